"""``observatory user``: accounts and tokens from the command line, audited with the operating-system user and host
as the actor, and never a secret printed but a new token, once."""

import getpass
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner, Result

from observatory.access.sessions import Client, SessionRules, session_principal, sign_in
from observatory.access.throttle import ThrottleRules
from observatory.access.users import authenticate, principal_for_token
from observatory.cli.main import app
from observatory.errors import Unauthenticated
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.store.schema import AuditEvent

PASSWORD = "a long enough password"
runner = CliRunner()


@pytest.fixture
def records(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("OBSERVATORY_DATABASE_URL", database_url)
    monkeypatch.setenv("OBSERVATORY_VAR_DIR", str(tmp_path))
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def user(*arguments: str, stdin: str | None = None) -> Result:
    result = runner.invoke(app, ["user", *arguments], input=stdin)
    assert result.exit_code == 0, result.output
    return result


def test_tokens_are_created_listed_and_revoked_and_shown_only_once(records: Engine) -> None:
    user("add", "ines", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    created = json.loads(user("token", "create", "ines", "--label", "nightly", "--days", "7").stdout)
    token = created["token"]
    assert created["status"] == "active" and created["username"] == "ines"
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    assert principal_for_token(records, token).username == "ines"
    with pytest.raises(Unauthenticated):
        principal_for_token(records, token, expires)  # expired
    listed = user("token", "list")
    assert token not in listed.output
    [shown] = json.loads(listed.stdout)["tokens"]
    assert (shown["id"], shown["label"], shown["status"]) == (created["id"], "nightly", "active")
    assert "token" not in shown
    revoked = user("token", "revoke", str(created["id"]))
    assert token not in revoked.output
    assert json.loads(user("token", "list", "ines").stdout)["tokens"][0]["status"] == "revoked"
    with pytest.raises(Unauthenticated):
        principal_for_token(records, token)
    assert runner.invoke(app, ["user", "token", "revoke", "999"]).exit_code == 1


def test_deactivate_stops_sessions_and_tokens_and_keeps_the_account(records: Engine) -> None:
    user("add", "ama", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    token = json.loads(user("token", "create", "ama").stdout)["token"]
    now = datetime.now(UTC)
    _, session_id = sign_in(records, "ama", PASSWORD, Client("10.0.0.1"), now, ThrottleRules())
    assert "1 session(s) ended, 1 token(s) revoked" in user("deactivate", "ama").output
    assert session_principal(records, session_id, now, SessionRules()) is None
    with pytest.raises(Unauthenticated):
        principal_for_token(records, token)
    with pytest.raises(Unauthenticated):
        authenticate(records, "ama", PASSWORD)
    assert [(u["username"], u["active"]) for u in json.loads(user("list").stdout)["users"]] == [("ama", False)]
    assert runner.invoke(app, ["user", "deactivate", "ama"]).exit_code == 1


def test_every_account_change_names_the_operating_system_user_and_host(records: Engine) -> None:
    new_password = "another long password"
    user("add", "ama", "--role", "provider", "--country", "GHA", "--password-stdin", stdin=PASSWORD + "\n")
    user("role", "ama", "--role", "focal_point", "--country", "GHA")
    user("password", "ama", "--password-stdin", stdin=new_password + "\n")
    token_id = json.loads(user("token", "create", "ama").stdout)["id"]
    user("token", "revoke", str(token_id))
    user("deactivate", "ama")
    user("activate", "ama")
    with records.connect() as connection:
        events = connection.execute(select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id)).all()
        details = json.dumps(list(connection.scalars(select(AuditEvent.detail))))
    actor = f"cli:{getpass.getuser()}@{socket.gethostname()}"
    assert [tuple(event) for event in events] == [
        (actor, "user-created"),
        (actor, "user-role-changed"),
        (actor, "user-password-changed"),
        (actor, "token-created"),
        (actor, "token-revoked"),
        (actor, "user-deactivated"),
        (actor, "user-activated"),
    ]
    assert PASSWORD not in details and new_password not in details
    assert authenticate(records, "ama", new_password).role == "focal_point"
