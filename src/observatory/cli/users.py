"""``observatory user``: accounts and API tokens (run by the local administrator)."""

import sys
from typing import Annotated

import typer

from observatory.access.policy import Role
from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="User accounts and API tokens.", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    username: str,
    role: Annotated[Role, typer.Option(help="provider, focal_point, regional_reviewer, analyst or admin")],
    country: Annotated[
        list[str] | None, typer.Option(help="ISO3 code of a country the user works for (repeat).")
    ] = None,
    dataset: Annotated[list[str] | None, typer.Option(help="A data set a provider may submit (repeat).")] = None,
    network: Annotated[str | None, typer.Option(help="Regional network of a reviewer, e.g. WENDU.")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create an account; the password is asked for, or read from stdin."""
    from observatory.access.users import create_user
    from observatory.demo import initialise

    password = sys.stdin.readline().rstrip("\n") if password_stdin else typer.prompt("password", hide_input=True)
    engine = initialise(Settings())
    try:
        principal = create_user(engine, username, password, role, country or [], dataset, network)
    finally:
        engine.dispose()
    err.print(f"created {principal.username} ({principal.role}) for {', '.join(sorted(principal.countries)) or 'all'}")


@app.command("token")
@reports_errors
def token(username: str, label: Annotated[str, typer.Option(help="What the token is for.")] = "api") -> None:
    """Issue an API token; it is printed once and only its digest is stored."""
    from observatory.access.users import issue_token
    from observatory.demo import initialise

    engine = initialise(Settings())
    try:
        emit_json({"username": username, "token": issue_token(engine, username, label)})
    finally:
        engine.dispose()
