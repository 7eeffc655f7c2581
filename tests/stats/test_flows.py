"""Trafficking flows over a table of seizures: routes as documented, weights, ranks, and the new, growing,
continuing and no-baseline statuses at their thresholds, with the unconfirmed thresholds flagged."""

from typing import Any

import pyarrow as pa
import pytest

from observatory.errors import BadInput
from observatory.stats.figure import FlagCode
from observatory.stats.flows import SEIZURE_SCHEMA, FlowOptions, Measure, Unit, route_of, trafficking_flows


@pytest.mark.parametrize(
    ("departure", "transits", "destination", "country", "stops"),
    [
        ("COL", ["PAN"], "NLD", "NLD", ["COL", "PAN", "NLD"]),
        ("ECU", [], None, "BEL", ["ECU", "BEL"]),
        ("COL", [], "ESP", "PRT", ["COL", "ESP"]),
        (None, ["PAN"], "NLD", "NLD", ["PAN", "NLD"]),
        (None, [], "ESP", "ESP", []),
        ("NLD", [], None, "NLD", []),
        ("AFG", ["PAK", "PAK", "ARE"], "ARE", "GBR", ["AFG", "PAK", "ARE"]),
    ],
)
def test_a_route_is_departure_transits_and_destination_or_the_seizure_country(
    departure: str | None, transits: list[str], destination: str | None, country: str, stops: list[str]
) -> None:
    assert route_of(departure, transits, destination, country) == stops


def seizure(
    number: int, year: int, route: str, kilograms: float | None = 100.0, drug: str = "Cocaine"
) -> dict[str, Any]:
    departure, *transits, destination = route.split(">")
    return {
        "seizure": str(number),
        "submission_id": 7,
        "vintage": "1",
        "year": year,
        "drug": drug,
        "country": destination,
        "departure": departure,
        "transits": transits,
        "destination": destination,
        "kilograms": kilograms,
        "factor": None if kilograms is None else "mass-kilogram",
        "factor_value": None if kilograms is None else 1.0,
        "factor_source": None if kilograms is None else "METHODS.md §3 [C]",
        "factor_confirmed": None if kilograms is None else True,
    }


SEIZURES = [
    seizure(1, 2022, "COL>PAN>NLD"),
    seizure(2, 2023, "COL>PAN>NLD"),
    seizure(3, 2022, "ECU>BEL"),
    seizure(4, 2023, "ECU>BEL"),
    seizure(5, 2023, "ECU>BEL"),
    seizure(6, 2023, "ECU>BEL", None),
    seizure(7, 2023, "BRA>PRT", 5.0),
    seizure(8, 2023, "AFG>PAK>GBR", drug="Heroin"),
]


def flows(unit: Unit = Unit.LEG, rows: list[dict[str, Any]] | None = None, **options: Any) -> dict[str, dict[str, Any]]:
    table = pa.Table.from_pylist(SEIZURES if rows is None else rows, SEIZURE_SCHEMA)
    found = trafficking_flows(table, 2023, FlowOptions(unit, **options))
    return {f"{row['drug']}:{row['route']}": row for row in found.routes}


def test_legs_are_weighted_by_seizures_and_kilograms_with_their_status() -> None:
    routes = flows()
    assert set(routes) == {
        "Cocaine:COL → PAN",
        "Cocaine:PAN → NLD",
        "Cocaine:ECU → BEL",
        "Cocaine:BRA → PRT",
        "Heroin:AFG → PAK",
        "Heroin:PAK → GBR",
    }
    belgium = routes["Cocaine:ECU → BEL"]
    assert (belgium["seizures"], belgium["kilograms"], belgium["unconverted"]) == (3, 200.0, 1)
    assert (belgium["previous_seizures"], belgium["growth"], belgium["status"], belgium["rank"]) == (
        1,
        3.0,
        "growing",
        1,
    )
    assert routes["Cocaine:COL → PAN"]["status"] == "continuing"
    assert routes["Cocaine:BRA → PRT"]["status"] == "new"
    assert routes["Heroin:AFG → PAK"]["status"] == "no-baseline"


def test_whole_routes_count_each_seizure_once() -> None:
    routes = flows(Unit.ROUTE)
    assert routes["Cocaine:COL → PAN → NLD"]["seizures"] == 1 and "Cocaine:COL → PAN" not in routes


@pytest.mark.parametrize(
    ("options", "status"),
    [
        ({}, "growing"),
        ({"growth_threshold": 3.0}, "growing"),
        ({"growth_threshold": 3.01}, "continuing"),
        ({"minimum_seizures": 4}, "continuing"),
        ({"measure": Measure.KILOGRAMS}, "growing"),
        ({"measure": Measure.KILOGRAMS, "growth_threshold": 2.5}, "continuing"),
    ],
)
def test_growth_needs_the_threshold_and_the_minimum(options: dict[str, Any], status: str) -> None:
    assert flows(**options)["Cocaine:ECU → BEL"]["status"] == status


def test_ranks_follow_the_measure_and_top_limits_the_figures() -> None:
    table = pa.Table.from_pylist(SEIZURES, SEIZURE_SCHEMA)
    found = trafficking_flows(table, 2023, FlowOptions(measure=Measure.KILOGRAMS, top=1))
    ranks = {row["route"]: row["rank"] for row in found.routes if row["drug"] == "Cocaine"}
    assert ranks["ECU → BEL"] == 1 and ranks["BRA → PRT"] == 4
    routes = {dict(figure.dimensions)["route"] for figure in found.figures}
    assert routes == {"ECU → BEL", "BRA → PRT", "AFG → PAK"}


def test_figures_carry_inputs_and_flag_unconverted_seizures_and_unconfirmed_thresholds() -> None:
    table = pa.Table.from_pylist(SEIZURES, SEIZURE_SCHEMA)
    found = trafficking_flows(table, 2023)
    belgium = {dict(f.dimensions)["measure"]: f for f in found.figures if dict(f.dimensions)["route"] == "ECU → BEL"}
    assert belgium["seizures"].value == 3 and belgium["seizures"].inputs[0].id == "individual-seizures/submission-7"
    assert FlagCode.UNCONVERTED in belgium["kilograms"].flag_codes
    assert belgium["growth-seizures"].value == 3.0
    assert FlagCode.UNCONFIRMED_CONSTANT in belgium["growth-seizures"].flag_codes


def test_seizures_without_a_route_or_a_date_are_counted_in_the_notes() -> None:
    rows = [*SEIZURES, seizure(9, 2023, "ESP>ESP"), seizure(10, 2023, "COL>ESP") | {"year": None}]
    found = trafficking_flows(pa.Table.from_pylist(rows, SEIZURE_SCHEMA), 2023)
    assert found.notes == (
        "1 seizure(s) without a route: fewer than two countries known",
        "1 seizure(s) without a usable date left out",
    )


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"unit": "path"}, "unsupported unit 'path'; supported: leg, route"),
        ({"measure": "value"}, "unsupported measure 'value'; supported: seizures, kilograms"),
        ({"growth_threshold": 1.0}, "growth_threshold must be > 1"),
        ({"growth_threshold": float("nan")}, "growth_threshold must be a finite number > 0"),
        ({"minimum_seizures": 0}, "minimum_seizures must be a whole number ≥ 1"),
        ({"top": 2.5}, "top must be a whole number ≥ 1"),
    ],
)
def test_bad_options_are_refused_naming_the_problem(options: dict[str, Any], named: str) -> None:
    with pytest.raises(BadInput) as raised:
        FlowOptions.of(**({"unit": "leg", "measure": "seizures"} | options))
    assert named in raised.value.message


def test_no_seizures_give_no_routes_and_say_so() -> None:
    found = trafficking_flows(SEIZURE_SCHEMA.empty_table())
    assert found.routes == () and found.notes == ("no seizure with a route",)
