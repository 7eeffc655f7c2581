"""``observatory user``: accounts, their preferences (language, kinds of mail) and API tokens (run by the local
administrator).

Every change is audited with the operating-system user and host as the actor (``cli:alice@host``). Secrets are
never printed, but a new token once, when it is created.
"""

import getpass
import socket
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="User accounts and API tokens.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)
app.add_typer(tokens, name="token")

T = TypeVar("T")
Countries = Annotated[list[str] | None, typer.Option("--country", help="ISO3 code of a country the user works for.")]
Datasets = Annotated[list[str] | None, typer.Option("--dataset", help="A data set a provider may submit (repeat).")]
Network = Annotated[str | None, typer.Option(help="Regional network of a reviewer, e.g. WENDU.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")]


def cli_actor() -> str:
    """Who runs the command, for the audit trail: ``cli:<os user>@<host>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}@{socket.gethostname()}"


def _with_records(work: Callable[[Engine], T]) -> T:
    from observatory.cli.bootstrap import open_records

    engine = open_records(Settings())
    try:
        return work(engine)
    finally:
        engine.dispose()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@app.command("add")
@reports_errors
def add(
    username: str,
    role: Annotated[Role, typer.Option(help="provider, focal_point, regional_reviewer, analyst or admin")],
    country: Countries = None,
    dataset: Datasets = None,
    network: Network = None,
    password_stdin: PasswordStdin = False,
    email: Annotated[str | None, typer.Option(help="Where the user's notifications go.")] = None,
) -> None:
    """Create an account; the password is asked for, or read from stdin."""
    from observatory.access.users import create_user

    password = _password(password_stdin)
    principal = _with_records(
        lambda engine: create_user(
            engine, username, password, role, country or [], dataset, network, actor=cli_actor(), email=email
        )
    )
    err.print(f"created {principal.username} ({principal.role}) for {', '.join(sorted(principal.countries)) or 'all'}")


@app.command("list")
@reports_errors
def list_accounts() -> None:
    """Every account, active or not (never a password hash)."""
    from dataclasses import asdict

    from observatory.access.users import list_users

    emit_json({"users": [asdict(account) for account in _with_records(list_users)]})


@app.command("role")
@reports_errors
def role(
    username: str,
    role: Annotated[Role, typer.Option(help="The new role.")],
    country: Countries = None,
    dataset: Datasets = None,
    network: Network = None,
) -> None:
    """Give an account another role and scope (countries, data sets, network replace the old ones)."""
    from observatory.access.users import change_role

    principal = _with_records(
        lambda engine: change_role(engine, username, role, country or [], dataset, network, actor=cli_actor())
    )
    err.print(f"{principal.username} is now {principal.role}")


@app.command("password")
@reports_errors
def password(username: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password; every session of the account ends."""
    from observatory.access.users import set_password

    new = _password(password_stdin)
    ended = _with_records(lambda engine: set_password(engine, username, new, actor=cli_actor()))
    err.print(f"password of {username} changed; {ended} session(s) ended")


@app.command("deactivate")
@reports_errors
def deactivate(username: str) -> None:
    """Stop an account (it is kept, with its history): its sessions end and its tokens are revoked."""
    from observatory.access.users import deactivate_user

    done = _with_records(lambda engine: deactivate_user(engine, username, actor=cli_actor()))
    err.print(f"{username} deactivated; {done.sessions_ended} session(s) ended, {done.tokens_revoked} token(s) revoked")


@app.command("activate")
@reports_errors
def activate(username: str) -> None:
    """Let a deactivated account sign in again (its old tokens stay revoked)."""
    from observatory.access.users import activate_user

    _with_records(lambda engine: activate_user(engine, username, actor=cli_actor()))
    err.print(f"{username} activated")


@app.command("preferences")
@reports_errors
def preferences(username: str) -> None:
    """A user's language and the kinds of mail they get (on or off)."""
    from observatory.access.preferences import preferences_of

    emit_json(_with_records(lambda engine: preferences_of(engine, _local_admin(), username)).shown())


@app.command("set-preferences")
@reports_errors
def set_preferences(
    username: str,
    language: Annotated[
        str | None, typer.Option(help="ar, zh, en, fr, ru or es; 'default' for the default language.")
    ] = None,
    mail_off: Annotated[
        list[str] | None, typer.Option("--mail-off", help="A kind of mail to stop: query, submission, deadline.")
    ] = None,
    mail_on: Annotated[list[str] | None, typer.Option("--mail-on", help="A kind of mail to get again.")] = None,
) -> None:
    """Set a user's language (of their mails and pages) and turn kinds of notification mail off or on."""
    from observatory.access.preferences import UNCHANGED, set_preferences

    chosen = UNCHANGED if language is None else (None if language == "default" else language)
    switches = dict.fromkeys(mail_off or [], False) | dict.fromkeys(mail_on or [], True)
    done = _with_records(
        lambda engine: set_preferences(engine, _local_admin(), username, language=chosen, mail=switches)
    )
    emit_json(done.shown())


def _local_admin() -> Principal:
    """Whoever runs the command line administers the store: they act as an administrator, named for the audit."""
    return Principal(cli_actor(), Role.ADMIN)


@tokens.command("create")
@reports_errors
def token_create(
    username: str,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    days: Annotated[int | None, typer.Option(help="Days until it expires; default OBSERVATORY_API_TOKEN_DAYS.")] = None,
) -> None:
    """Issue an API token; it is printed this once and only its digest is stored."""
    from observatory.access.users import create_token

    lasting = days or Settings().api_token_days
    info, token = _with_records(lambda engine: create_token(engine, username, label, days=lasting, actor=cli_actor()))
    emit_json({**info.shown(datetime.now(UTC)), "token": token})


@tokens.command("list")
@reports_errors
def token_list(username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None) -> None:
    """Tokens, newest first: id, owner, label, dates and status; never the tokens themselves."""
    from observatory.access.users import list_tokens

    now = datetime.now(UTC)
    listed = _with_records(lambda engine: list_tokens(engine, username))
    emit_json({"tokens": [info.shown(now) for info in listed]})


@tokens.command("revoke")
@reports_errors
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `observatory user token list`).")],
) -> None:
    """Revoke a token; it stops working at once."""
    from observatory.access.users import revoke_token

    info = _with_records(lambda engine: revoke_token(engine, token_id, actor=cli_actor()))
    err.print(f"token {info.id} of {info.username} ({info.label}) revoked")
