"""``observatory user preferences | set-preferences``: the local administrator reads and sets a user's language and
kinds of mail, audited as the operating-system user; what is not accepted exits 1 naming it."""

import json

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from observatory.cli.main import app
from observatory.store.schema import AuditEvent
from tests.access.test_account_cli import PASSWORD, records, user  # noqa: F401  (records: the fixture)

runner = CliRunner()


def test_the_command_line_sets_and_shows_preferences(records: Engine) -> None:  # noqa: F811
    user("add", "kofi", "--role", "provider", "--country", "GHA", "--password-stdin", stdin=PASSWORD + "\n")
    assert json.loads(user("preferences", "kofi").stdout)["mail_language"] == "en"
    changed = json.loads(
        user("set-preferences", "kofi", "--language", "fr", "--mail-off", "deadline", "--mail-off", "query").stdout
    )
    assert (changed["language"], changed["mail"]) == ("fr", {"query": False, "submission": True, "deadline": False})
    again = json.loads(user("set-preferences", "kofi", "--mail-on", "query").stdout)
    assert (again["language"], again["mail"]["query"], again["mail"]["deadline"]) == ("fr", True, False)
    assert json.loads(user("set-preferences", "kofi", "--language", "default").stdout)["language"] is None
    with records.connect() as connection:
        actors = connection.scalars(select(AuditEvent.actor).where(AuditEvent.action == "user-preferences-changed"))
        assert [actor.startswith("cli:") for actor in actors] == [True, True, True]


@pytest.mark.usefixtures("records")
def test_what_is_not_accepted_exits_1_and_names_it() -> None:
    user("add", "kofi", "--role", "provider", "--country", "GHA", "--password-stdin", stdin=PASSWORD + "\n")
    for arguments, named in (
        (["--language", "klingon"], "klingon"),
        (["--mail-off", "reminders"], "reminders"),
    ):
        result = runner.invoke(app, ["user", "set-preferences", "kofi", *arguments])
        assert result.exit_code == 1 and named in result.output
    missing = runner.invoke(app, ["user", "preferences", "nobody"])
    assert missing.exit_code == 1 and "nobody" in missing.output
