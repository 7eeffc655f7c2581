"""``observatory search`` and ``observatory policy``: full-text search, loading the policy knowledge, reports."""

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer()
policy = typer.Typer(help="Policy knowledge: UNGASS implementation, good practices, laws.", no_args_is_help=True)
app.add_typer(policy, name="policy")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command()
@reports_errors
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, -excluded.')],
    kind: Annotated[
        str | None, typer.Option(help="recommendation, programme, strategy, practice, law or case.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 code.")] = None,
    top: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Search recommendations, programmes, strategies, practices, laws and cases."""
    from observatory.policy.search import search as full_text_search
    from observatory.store.engine import make_engine

    engine = make_engine(Settings().records_url)
    try:
        hits = full_text_search(engine, query, kind=kind, country=country, top=top)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"results": [asdict(hit) for hit in hits]})
        return
    for hit in hits:
        print(f"{hit.kind}\t{hit.id}\t{hit.country or ''}\t{hit.score:.4f}\t{hit.title}")  # noqa: T201


@policy.command("load")
@reports_errors
def load(as_json: JsonFlag = False) -> None:
    """Initialise the store and load the shipped programmes, national strategies, statuses and laws."""
    from observatory.demo import initialise
    from observatory.policy.seed import load_policy_seed

    engine = initialise(Settings())
    try:
        summary = load_policy_seed(engine)
    finally:
        engine.dispose()
    if as_json:
        emit_json(summary)
        return
    err.print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in summary.items()))


@policy.command("report")
@reports_errors
def report(
    country: Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code.")],
    pdf: Annotated[Path | None, typer.Option(help="Also print the HTML report to this PDF file.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """A country's progress report: status by chapter and SDG target (JSON), or as PDF with --pdf."""
    from observatory.policy.report import country_report
    from observatory.store.engine import make_engine

    engine = make_engine(Settings().records_url)
    try:
        found = country_report(engine, country)
    finally:
        engine.dispose()
    if pdf is not None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        from observatory.policy.pdf import html_to_pdf
        from observatory.web.app import WEB

        templates = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape())
        pdf.write_bytes(html_to_pdf(templates.get_template("policy/report.html").render(report=found)))
        err.print(f"wrote {pdf}")
    if as_json or pdf is None:
        emit_json(found)
