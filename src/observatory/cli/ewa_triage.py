"""``observatory ewa triage``: the queue of draft alerts (grouped, most severe first), bulk issue and dismissal
with a reason, and issuing the drafts the rules rank highest as a named analyst."""

from typing import Annotated

import typer

from observatory.cli.output import emit_json, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Triage of draft alerts.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Reason = Annotated[str, typer.Option(help="Why: recorded on every alert's history.")]
Analyst = Annotated[str, typer.Option("--as", help="The analyst account the step is recorded under.")]


@app.command("list")
@reports_errors
def list_queue(
    status: Annotated[str, typer.Option(help="draft, issued, updated, retracted or dismissed.")] = "draft",
    rule: Annotated[str | None, typer.Option(help="first_detection, analogue, signal or adulterant.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 code.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 25,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Groups of near-duplicate alerts, most severe first."""
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.alerts import Rule, Status, TriageFilter, triage_queue
    from observatory.ewa.events import choice, one_of

    wanted = TriageFilter(one_of(Status, status, "status"), choice(Rule, rule, "rule"), country)
    engine = open_records(Settings())
    try:
        groups, total = triage_queue(engine, wanted, limit, offset)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"results": groups, "meta": {"total": total, "limit": limit, "offset": offset}})
        return
    for group in groups:
        top = group["alerts"][0]
        print(f"{group['severity']:.2f}\t{group['size']}\t{top['id']}\t{top['title']}")  # noqa: T201


def _bulk(step: str, ids: list[int], reason: str, analyst: str, as_json: bool) -> None:
    from observatory.access.users import principal_of
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.alerts import Step, bulk_triage

    engine = open_records(Settings())
    try:
        result = bulk_triage(engine, ids, Step(step), reason, principal_of(engine, analyst))
    finally:
        engine.dispose()
    if as_json:
        emit_json(result)
    else:
        print(f"{result['changed']} alerts {step}d by {result['by']}: {result['reason']}")  # noqa: T201


@app.command()
@reports_errors
def issue(
    ids: Annotated[list[int], typer.Argument(help="Alert ids (each with the drafts of its group).")],
    reason: Reason,
    analyst: Analyst,
    as_json: JsonFlag = False,
) -> None:
    """Issue drafts, with their near-duplicates."""
    _bulk("issue", ids, reason, analyst, as_json)


@app.command()
@reports_errors
def dismiss(
    ids: Annotated[list[int], typer.Argument(help="Alert ids (each with the drafts of its group).")],
    reason: Reason,
    analyst: Analyst,
    as_json: JsonFlag = False,
) -> None:
    """Dismiss drafts, with their near-duplicates."""
    _bulk("dismiss", ids, reason, analyst, as_json)


@app.command("issue-top")
@reports_errors
def issue_top_ranked(
    count: Annotated[int, typer.Argument(min=1, max=1000, help="How many groups.")],
    reason: Reason,
    analyst: Analyst,
    as_json: JsonFlag = False,
) -> None:
    """Issue the most severe public draft of each of the COUNT most severe groups."""
    from observatory.access.users import principal_of
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.alerts import issue_top

    engine = open_records(Settings())
    try:
        result = issue_top(engine, principal_of(engine, analyst), count, reason)
    finally:
        engine.dispose()
    if as_json:
        emit_json(result)
    else:
        print(f"{result['changed']} alerts issued by {result['by']}: {result['reason']}")  # noqa: T201
