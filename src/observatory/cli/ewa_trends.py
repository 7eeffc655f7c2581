"""``observatory ewa spread`` and ``observatory ewa persistence``: emergence, spread and persistence of new
psychoactive substances over the events in the store."""

from typing import TYPE_CHECKING, Annotated

import typer

from observatory.cli.output import emit_json, reports_errors
from observatory.settings import Settings

if TYPE_CHECKING:
    from observatory.ewa.trends import Sighting

By = Annotated[str, typer.Option(help="family (chemical family) or group (UNODC NPS group).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@reports_errors
def spread(
    by: By = "family",
    run_years: Annotated[
        int, typer.Option(min=1, max=30, help="Consecutive years that make a substance persistent.")
    ] = 3,
    countries: Annotated[
        bool, typer.Option("--countries", help="Substances by number of reporting countries.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Per year and group: new substances, substances reported, persistent ones and countries reporting; or, with
    --countries, substances by the number of countries that reported them."""
    from observatory.ewa.trends import axis
    from observatory.ewa.trends.views import countries_view, spread_view

    sightings, grouping = _sightings(), axis(by)
    view = countries_view(sightings, grouping) if countries else spread_view(sightings, grouping, run_years)
    if as_json:
        emit_json(view)
        return
    for row in view["results"]:
        if countries:
            print(f"{row['label']}\t{row['band']}\t{row['substances']}")  # noqa: T201
        else:
            values = (row["year"], row["label"], row["new"], row["reported"], row["persistent"], row["countries"])
            print("\t".join(str(value) for value in values))  # noqa: T201


@reports_errors
def persistence(
    horizon: Annotated[int, typer.Option(min=1, max=30, help="Years after the first sighting.")] = 5,
    by_cohort: Annotated[bool, typer.Option("--by-cohort", help="One row per year of first sighting.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Of the substances first seen in a year, the share still reported 1 … horizon years later."""
    from observatory.ewa.trends.views import persistence_view

    view = persistence_view(_sightings(), horizon, by_cohort)
    if as_json:
        emit_json(view)
        return
    for row in view["results"]:
        share = "–" if row["share"] is None else f"{100 * row['share']:.1f}%"
        cohort = "all" if row["cohort"] is None else row["cohort"]
        print(f"{cohort}\t+{row['years_after']}\t{row['still_reported']}/{row['substances']}\t{share}")  # noqa: T201


def _sightings() -> tuple["Sighting", ...]:
    from observatory.cli.bootstrap import open_records
    from observatory.ewa.trends import watched_sightings

    engine = open_records(Settings())
    try:
        return watched_sightings(engine)
    finally:
        engine.dispose()
