"""``observatory ref``: look-ups in the reference vocabularies."""

import sys
from typing import Annotated

import typer

from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Reference vocabularies: places, drugs, units, SDG, UNGASS.", no_args_is_help=True)
country = typer.Typer(help="Countries and territories.", no_args_is_help=True)
app.add_typer(country, name="country")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@country.command("resolve")
@reports_errors
def resolve(
    names: Annotated[list[str], typer.Argument(help="Names, aliases or ISO codes; '-' reads one name per line.")],
    year: Annotated[int | None, typer.Option(min=1900, max=2100, help="Resolve as of this year.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Resolve country names to ISO 3166 / M49 codes and regions; exits 1 if any name fails."""
    from observatory.reference.lookup import resolve_countries

    if names == ["-"]:
        names = [line.strip() for line in sys.stdin if line.strip()]
    results = resolve_countries(names, year)
    if as_json:
        emit_json(results)
    else:
        for result in results:
            if result["resolved"]:
                print(f"{result['query']}\t{result['iso3']}\t{result['m49'] or ''}\t{result['unodc_subregion'] or ''}")  # noqa: T201
            else:
                err.print(f"{result['query']}: {result['error']['message']}", markup=False, highlight=False)
    if not all(result["resolved"] for result in results):
        raise typer.Exit(1)


substance = typer.Typer(help="The substance registry.", no_args_is_help=True)
app.add_typer(substance, name="substance")


@substance.command("find")
@reports_errors
def find(
    query: Annotated[str, typer.Argument(help="Name, CAS number, InChIKey or SMILES.")], as_json: JsonFlag = False
) -> None:
    """Find a substance by name (any case, salt form), CAS number, InChIKey or SMILES."""
    from observatory.reference.lookup import find_substance

    record = find_substance(query)
    if as_json:
        emit_json(record)
        return
    controls = "; ".join(f"{c['regime']} {c['schedule']}" for c in record["controls"]) or "no control listed"
    print(f"{record['preferred_name']}\t{record['id']}\t{', '.join(record['cas'])}\t{controls}")  # noqa: T201


@app.command("convert")
@reports_errors
def convert(
    quantity: float,
    unit: str,
    drug: Annotated[str, typer.Option(help="Drug or drug group, as the WDR tables or common usage name it.")],
    region: Annotated[str | None, typer.Option()] = None,
    subregion: Annotated[str | None, typer.Option()] = None,
    year: Annotated[int | None, typer.Option(min=1900, max=2100)] = None,
    as_json: JsonFlag = False,
) -> None:
    """Convert a quantity to kilogram-equivalents; an unconfirmed factor is flagged."""
    from observatory.reference.lookup import convert_quantity

    result = convert_quantity(quantity, unit, drug, region, subregion, year)
    if as_json:
        emit_json(result)
        return
    print(f"{result['kilograms']:g} kg ({result['factor']['id']}, {result['scope']})")  # noqa: T201
    for flag in result["flags"]:
        err.print(f"warning: {flag['message']}", markup=False, highlight=False)


@app.command("list")
@reports_errors
def list_entries(
    vocabulary: str,
    release: Annotated[int | None, typer.Option(help="Release id; the latest when omitted.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the entries of one vocabulary as stored in the records store."""
    from observatory.cli.bootstrap import open_records
    from observatory.errors import NotFound
    from observatory.reference.release import entries, latest_release

    engine = open_records(Settings())
    try:
        latest = latest_release(engine)
        if latest is None:
            raise NotFound("no reference release loaded")
        rows = entries(engine, vocabulary, release or latest.id, limit=100_000)
    finally:
        engine.dispose()
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        print(f"{row['code']}\t{row['label']}")  # noqa: T201
