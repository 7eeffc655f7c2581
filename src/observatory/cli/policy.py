"""``observatory search`` and ``observatory policy``: search (hybrid, full text or semantic), loading and embedding
the policy knowledge, reports."""

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
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, -excluded; or a question in any language.')],
    kind: Annotated[
        str | None, typer.Option(help="recommendation, programme, strategy, practice, law or case.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 code.")] = None,
    top: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid (words and meaning), fulltext or semantic.")] = "hybrid",
    literal: Annotated[
        bool, typer.Option("--literal", help="Take the query literally: no country or kind read from its words.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Search recommendations, programmes, strategies, practices, laws and cases.

    The countries a query names ("Algerian", "Argelia") keep only their documents and the kinds it names
    ("strategy") rank first; what was understood is printed, and --literal searches the words only."""
    from observatory.cli.bootstrap import open_records
    from observatory.policy.search import find

    settings = Settings()
    engine = open_records(settings)
    try:
        found = find(
            engine,
            query,
            kind=kind,
            country=country,
            top=top,
            mode=mode,
            model=settings.search_model,
            understand=not literal,
        )
    finally:
        engine.dispose()
    if found.note:
        err.print(f"{found.mode} search: {found.note}")
    if found.understood:
        err.print(f"understood: {found.understood.label} (--literal to search the words only)")
    if as_json:
        emit_json(
            {
                "results": [asdict(hit) for hit in found.hits],
                "mode": found.mode,
                "requested_mode": found.requested,
                "model": found.model,
                "note": found.note,
                "understood": found.understood.as_json() if found.understood else None,
            }
        )
        return
    for hit in found.hits:
        print(f"{hit.kind}\t{hit.id}\t{hit.country or ''}\t{hit.score:.4f}\t{hit.title}")  # noqa: T201


@policy.command("load")
@reports_errors
def load(as_json: JsonFlag = False) -> None:
    """Load the shipped programmes, national strategies, statuses and laws into the store."""
    from observatory.cli.bootstrap import open_records
    from observatory.policy.seed import load_policy_seed

    settings = Settings()
    engine = open_records(settings)
    try:
        summary = load_policy_seed(engine, settings.search_model)
    finally:
        engine.dispose()
    if as_json:
        emit_json(summary)
        return
    err.print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in summary.items()))


@policy.command("embed")
@reports_errors
def embed(as_json: JsonFlag = False) -> None:
    """Embed the search documents that have no vector of the search model yet (new, changed, or another model)."""
    from observatory.cli.bootstrap import open_records
    from observatory.policy.search.embedder import load_embedder
    from observatory.policy.search.vectors import embed_pending

    settings = Settings()
    embedder = load_embedder(settings.search_model)
    engine = open_records(settings)
    try:
        embedded = embed_pending(engine, embedder)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"model": embedder.name, "embedded": embedded})
        return
    err.print(f"embedded {embedded} documents with {embedder.name}")


@policy.command("report")
@reports_errors
def report(
    country: Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code.")],
    pdf: Annotated[Path | None, typer.Option(help="Also print the HTML report to this PDF file.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """A country's progress report: status by chapter and SDG target (JSON), or as PDF with --pdf."""
    from observatory.cli.bootstrap import open_records
    from observatory.policy.report import country_report

    engine = open_records(Settings())
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
