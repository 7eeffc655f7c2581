"""Trafficking flows from the approved individual seizures in the observations snapshot.

A submission of the ``individual-seizures`` data set is stored as one observation per element (quantity, unit,
purity) of each row, with the route as reported (country names, transits separated by ";") in the dimensions.
DuckDB gathers each row's elements back into one seizure; the names are resolved to ISO3 codes and the quantity
converted to kilogram-equivalents with the reference conversion table (once per distinct name and per distinct
unit, drug and place), and ``stats.flows`` does the rest.
"""

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import pyarrow as pa

from observatory.analytics.observations import observation_source
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput, NoData
from observatory.i18n import gettext as _
from observatory.reference.conversion import convert
from observatory.reference.drug_names import wdr_drug_name
from observatory.reference.geography import place, resolve_country
from observatory.stats.flows import SEIZURE_SCHEMA, FlowOptions, Flows, trafficking_flows
from observatory.stats.provenance import figure_record

DATASET = "individual-seizures"
TRANSIT_SEPARATOR = ";"
_YEAR = re.compile(r"^\s*(\d{4})(?:\D|$)")
_FIELDS = ("seizure_date", "departure_country", "transit_countries", "destination_country")


def seizure_flows(
    store: AnalyticsStore, *, drugs: Sequence[str] = (), year: int | None = None, options: FlowOptions | None = None
) -> Flows:
    """The flows of the approved individual seizures (of ``drugs`` when given) in ``year`` (the latest by default)."""
    table, notes = individual_seizures(store, drugs)
    if table.num_rows == 0:
        raise NoData(
            _(
                "no individual seizures are published yet: trafficking flows need single seizures with their route "
                "(departure, transit and destination countries), which the annual totals of WDR table 7.1 do not "
                "have; a country or agency adds them by submitting an individual-seizures file"
            ),
            [{"dataset": DATASET}],
        )
    flows = trafficking_flows(table, year, options)
    if year is not None and not flows.routes:
        years = sorted(set(flows.graph.column("year").to_pylist()))
        raise BadInput(
            f"no individual seizure with a route in {year}; years with routes: {', '.join(map(str, years)) or 'none'}",
            [{"parameter": "year", "value": year, "accepted": years}],
        )
    return Flows(flows.year, flows.options, flows.graph, flows.routes, flows.figures, (*notes, *flows.notes))


def individual_seizures(store: AnalyticsStore, drugs: Sequence[str] = ()) -> tuple[pa.Table, list[str]]:
    """One row per approved seizure (``stats.flows.SEIZURE_SCHEMA``), and notes on what could not be read."""
    source = observation_source(store, DATASET)
    if source is None:
        return SEIZURE_SCHEMA.empty_table(), ["no approved individual seizures"]
    extracted = ", ".join(f"any_value(json_extract_string(dimensions, '$.{name}')) AS {name}" for name in _FIELDS)
    rows = store.arrow(
        f"""
        SELECT submission_id, any_value(vintage) AS vintage, source_row, any_value(country_iso3) AS country,
               any_value(drug) AS drug, max(value) FILTER (WHERE element = 'quantity') AS quantity,
               max(value_text) FILTER (WHERE element = 'unit') AS unit, {extracted}
        FROM {source} GROUP BY submission_id, source_row ORDER BY submission_id, source_row
        """
    ).to_pylist()
    wanted = {wdr_drug_name(name) for name in drugs}
    known = {wdr_drug_name(row["drug"]) for row in rows if row["drug"]}
    unknown = sorted(wanted - known)
    if unknown:
        raise BadInput(
            f"no approved individual seizure of {', '.join(unknown)}; drugs seized: {', '.join(sorted(known))}",
            [{"parameter": "drug", "value": name, "accepted": sorted(known)} for name in unknown],
        )
    problems: list[str] = []
    seizures = [_seizure(row, problems) for row in rows if not wanted or wdr_drug_name(row["drug"] or "") in wanted]
    return pa.Table.from_pylist(seizures, SEIZURE_SCHEMA), sorted(set(problems))


def _seizure(row: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    year = _year(row["seizure_date"])
    transits = [_code(name.strip(), problems) for name in (row["transit_countries"] or "").split(TRANSIT_SEPARATOR)]
    drug = wdr_drug_name(row["drug"] or "")
    factor = _factor(row["unit"], drug, row["country"], year, problems)
    converted = None if factor is None or row["quantity"] is None else row["quantity"] * factor[0]
    return {
        "seizure": f"{row['submission_id']}:{row['source_row']}",
        "submission_id": row["submission_id"],
        "vintage": None if row["vintage"] is None else str(row["vintage"]),
        "year": year,
        "drug": drug,
        "country": row["country"],
        "departure": _code(row["departure_country"], problems),
        "transits": [code for code in transits if code],
        "destination": _code(row["destination_country"], problems),
        "kilograms": converted,
        **_factor_columns(factor),
    }


def _factor_columns(factor: tuple[float, str, float, str, bool] | None) -> dict[str, Any]:
    names = ("factor", "factor_value", "factor_source", "factor_confirmed")
    return dict(zip(names, factor[1:], strict=True)) if factor else dict.fromkeys(names)


def _year(text: str | None) -> int | None:
    found = _YEAR.match(text or "")
    return int(found.group(1)) if found else None


def _code(name: str | None, problems: list[str]) -> str | None:
    if not name:
        return None
    code = _resolved(name)
    if code is None:
        problems.append(f"country name {name!r} not recognised: left out of the route")
    return code


@cache
def _resolved(name: str) -> str | None:
    try:
        return resolve_country(name).iso3
    except BadInput:
        return None


def _factor(
    unit: str | None, drug: str | None, country: str | None, year: int | None, problems: list[str]
) -> tuple[float, str, float, str, bool] | None:
    if not unit or not drug:
        return None
    try:
        return _unit_factor(unit, drug, country, year)
    except BadInput as problem:
        problems.append(f"no kilogram-equivalent for {unit} of {drug}: {problem.message}")
        return None


@cache
def _unit_factor(unit: str, drug: str, country: str | None, year: int | None) -> tuple[float, str, float, str, bool]:
    """Kilograms in one ``unit`` of ``drug`` seized in ``country``, and the factor used."""
    where = place(country) if country else None
    region, subregion = (where.unodc_region, where.unodc_subregion) if where else (None, None)
    conversion = convert(1.0, unit, drug, region, subregion, year)
    factor = conversion.factor
    return conversion.kilograms, factor.id, factor.value, factor.source, factor.confirmed


def flows_record(flows: Flows) -> dict[str, Any]:
    """The flows as JSON-ready data: the figures, the routes of the year, the graph of that year and the one
    before, and the options used."""
    options = flows.options
    graph = [row for row in flows.graph.to_pylist() if row["year"] in (flows.year - 1, flows.year)]
    return {
        "data": [figure_record(figure) for figure in flows.figures],
        "routes": list(flows.routes),
        "graph": graph,
        "meta": {
            "dataset": DATASET,
            "year": flows.year,
            "previous_year": flows.year - 1,
            "unit": str(options.unit),
            "measure": str(options.measure),
            "top": options.top,
            "constants": [
                {"id": c.id, "value": c.value, "source": c.source, "confirmed": c.confirmed} for c in options.constants
            ],
            "route_rule": "departure → transits → destination; the country of seizure ends a route without one",
            "notes": list(flows.notes),
        },
    }
