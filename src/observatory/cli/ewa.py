"""``observatory ewa``: the Early Warning Advisory: structure search, classification, events and alerts; trends and
signals (``ewa_trends``, ``ewa_signals``)."""

import sys
from typing import Annotated

import typer

from observatory.cli import ewa_intake, ewa_signals, ewa_trends, ewa_triage
from observatory.cli.output import emit_json, err, reports_errors
from observatory.settings import Settings

app = typer.Typer(help="Early Warning Advisory on new psychoactive substances.", no_args_is_help=True)
app.command()(ewa_signals.evaluate)
app.command("group-signals")(ewa_signals.group_signals)
app.command()(ewa_trends.spread)
app.command()(ewa_trends.persistence)
app.command("import")(ewa_intake.import_file)
app.add_typer(ewa_triage.app, name="triage")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command()
@reports_errors
def similar(
    smiles: Annotated[str, typer.Argument(help="The structure, as SMILES.")],
    top: Annotated[int, typer.Option(min=1, max=1000, help="How many substances.")] = 10,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="Lowest Tanimoto similarity.")] = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """The registry substances most similar to a structure (Morgan fingerprints, Tanimoto), with their control."""
    from observatory.ewa.chemistry import similarity_search
    from observatory.ewa.events.structure_views import hit_view

    results = [hit_view(hit) for hit in similarity_search(smiles, top, threshold)]
    if as_json:
        emit_json({"results": results})
        return
    for result in results:
        control = "; ".join(result["control"]) or "not controlled in the registry's lists"
        print(f"{result['similarity']:.3f}\t{result['name']}\t{result['inchikey']}\t{control}")  # noqa: T201


@app.command()
@reports_errors
def classify(
    smiles: Annotated[list[str], typer.Argument(help="Structures as SMILES; '-' reads one per line from stdin.")],
    as_json: JsonFlag = False,
) -> None:
    """UNODC group, chemical family and effect group of each structure, with confidence and explanation; exits 1
    if any structure could not be classified."""
    from observatory.ewa.events.structure_views import classify_each

    if smiles == ["-"]:
        smiles = [line.strip() for line in sys.stdin if line.strip()]
    results = classify_each(smiles)
    if as_json:
        emit_json(results)
    else:
        for result in results:
            if "error" in result:
                err.print(f"{result['smiles']}: {result['error']['message']}", markup=False, highlight=False)
            else:
                print(  # noqa: T201
                    f"{result['smiles']}\t{result['unodc_group']}\t{result['chemical_family']}\t"
                    f"{result['effect_group']}\t{result['confidence']}"
                )
    if any("error" in result for result in results):
        raise typer.Exit(1)


@app.command()
@reports_errors
def load(
    alerts: Annotated[bool, typer.Option(help="Also run the alert rules over the events.")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Load the NPS lists and drug-checking results into the store and draft alerts; running it again adds only
    what is new."""
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.alerts import run_rules
    from observatory.ewa.events import load_events

    engine = open_records(Settings())
    try:
        with err.status("loading the early-warning sources…"):
            summary = {"events": load_events(engine)}
        if alerts:
            with err.status("running the alert rules…"):
                summary["alerts"] = run_rules(engine)
    finally:
        engine.dispose()
    if as_json:
        emit_json(summary)
        return
    for source, counts in summary["events"].items():
        err.print(
            f"{source}: {counts['events_inserted']} events loaded ({counts['events_already_loaded']} already), "
            f"{counts['substances_added']} substances added"
        )
    for rule, counts in summary.get("alerts", {}).items():
        err.print(f"rule {rule}: {counts['drafted']} alerts drafted ({counts['already_drafted']} already)")


@app.command("alerts")
@reports_errors
def list_alerts(
    status: Annotated[str | None, typer.Option(help="draft, issued, updated or retracted.")] = None,
    rule: Annotated[str | None, typer.Option(help="first_detection, analogue, signal or adulterant.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 code.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonFlag = False,
) -> None:
    """The alerts in the store, newest first event first, as the network sees them."""
    from observatory.access.policy import Principal, Role
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.alerts import AlertFilter, Rule, Status, find_alerts
    from observatory.ewa.events import choice

    wanted = AlertFilter(choice(Status, status, "status"), choice(Rule, rule, "rule"), country)
    engine = open_records(Settings())
    try:
        alerts, total = find_alerts(engine, Principal("command line", Role.ANALYST), wanted, limit)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"results": alerts, "meta": {"total": total}})
        return
    for alert in alerts:
        print(f"{alert['id']}\t{alert['status']}\t{alert['first_event_on']}\t{alert['rule']}\t{alert['title']}")  # noqa: T201


@app.command()
@reports_errors
def emergence(
    by: Annotated[str, typer.Option(help="year, group (UNODC NPS group) or family (chemical family).")] = "group",
    as_json: JsonFlag = False,
) -> None:
    """New substances first identified per year (Slovenian National Forensic Laboratory list), by group."""
    from observatory.ewa.events.structure_views import emergence_rows

    rows = emergence_rows(by)
    if as_json:
        emit_json({"by": by, "results": rows})
        return
    for row in rows:
        print("\t".join(str(value) for value in row.values()))  # noqa: T201


@app.command("scope-report")
@reports_errors
def scope_report(as_json: JsonFlag = False) -> None:
    """Precision, recall and abstention per family on the labelled set (the early-warning lists as positives,
    the out-of-scope list as negatives, leave-one-out), and the reliability of the confidence."""
    from observatory.ewa.chemistry.scope_report import scope_report as report

    result = report()
    if as_json:
        emit_json(result)
        return
    for row in result["families"]:
        print(f"{row['family']}\t{row['support']}\t{row['precision']}\t{row['recall']}\t{row['abstention']}")  # noqa: T201
