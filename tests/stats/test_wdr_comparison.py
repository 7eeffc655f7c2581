"""Table 1.1 rebuilt from national rows: one country aggregates to itself at every level, the population bases
behave as documented, every cell is differenced against the published one, and each reason appears exactly
when its data say so."""

import math
from typing import Any

import pyarrow as pa
import pytest

from observatory.errors import BadInput
from observatory.stats.population_basis import Basis, implied_populations, parse_basis, populations
from observatory.stats.published_prevalence import PUBLISHED_SCHEMA
from observatory.stats.wdr_comparison import Comparison, compare_with_published, summary

GEOGRAPHY = pa.schema(
    [(name, pa.string()) for name in ("country", "region", "subregion", "area")]
    + [("population", pa.float64()), ("population_15_64", pa.float64()), ("population_15_64_estimated", pa.bool_())]
    + [("placement", pa.string())]
)
#: The share of the population aged 15–64 the test places have.
AGED_SHARE = 0.65
NATIONAL = pa.schema(
    [("drug", pa.string()), ("country", pa.string()), ("estimate_year", pa.int32()), ("age", pa.string())]
    + [(name, pa.float64()) for name in ("best", "low", "high")]
    + [("dropped", pa.bool_()), ("source", pa.string()), ("vintage", pa.string())]
    + [("notes", pa.string()), ("definition", pa.string())]
)
AREAS = [("global", "World", None), ("region", "Africa", "Africa"), ("subregion", "North Africa", "Africa")]


def published(values: dict[str, tuple[float | None, float | None, float | None, float | None]]) -> pa.Table:
    """Cannabis rows of the areas in ``AREAS``: area → (users best, prevalence best, prevalence low, high)."""
    rows: list[dict[str, Any]] = []
    for position, (level, area, region) in enumerate(AREAS):
        users, best, low, high = values.get(area, (None, None, None, None))
        common: dict[str, Any] = {
            "drug": "cannabis",
            "level": level,
            "area": area,
            "region": region,
            "position": position,
        }
        spread = (None, None) if users is None else (users * 0.8, users * 1.2)
        rows.append(common | {"measure": "users", "best": users, "low": spread[0], "high": spread[1]})
        rows.append(common | {"measure": "prevalence", "best": best, "low": low, "high": high})
    return pa.Table.from_pylist([row | {"source_row": 0} for row in rows], PUBLISHED_SCHEMA)


def place(country: str, population: float, area: str = "North Africa", placement: str = "wdr") -> dict[str, Any]:
    return {"country": country, "region": "Africa", "subregion": area, "area": area, "population": population} | {
        "population_15_64": population * AGED_SHARE,
        "population_15_64_estimated": False,
        "placement": placement,
    }


def estimate(country: str, best: float, low: float | None, high: float | None, **extra: Any) -> dict[str, Any]:
    row = {"drug": "cannabis", "country": country, "estimate_year": 2023, "age": "15-64", "dropped": False}
    return row | {"best": best, "low": low, "high": high, "source": "prevalence/submission-1", "vintage": "1"} | extra


def compare(places: list[dict[str, Any]], rows: list[dict[str, Any]], basis: Basis, table: pa.Table) -> Comparison:
    national = pa.Table.from_pylist(rows, NATIONAL)
    return compare_with_published(national, pa.Table.from_pylist(places, GEOGRAPHY), table, basis=basis, year=2023)


def cell(comparison: Comparison, area: str, measure: str, end: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        c
        for c in comparison.cells.to_pylist()
        if (c["area"], c["measure"], c["end"], c["drug"]) == (area, measure, end, "cannabis")
    ]
    assert len(found) == 1
    return found[0]


PUBLISHED = published({"World": (60_000, 6.0, 5.0, 7.0), "Africa": (60_000, 6.0, 5.0, 7.0)})


@pytest.mark.parametrize("area", ["North Africa", "Africa", "World"])
@pytest.mark.parametrize("basis", list(Basis))
def test_one_country_aggregates_to_itself_at_every_level(area: str, basis: Basis) -> None:
    result = compare([place("MAR", 2_000_000)], [estimate("MAR", 5.0, 4.0, 6.0)], basis, PUBLISHED)
    prevalence = [cell(result, area, "prevalence", end)["ours"] for end in ("best", "low", "high")]
    assert prevalence == pytest.approx([5.0, 4.0, 6.0], rel=1e-12)
    persons = {Basis.TOTAL: 2_000_000, Basis.AGED: 2_000_000 * AGED_SHARE, Basis.DERIVED: 60_000 / 0.06}[basis]
    assert cell(result, area, "users", "best")["ours"] == pytest.approx(0.05 * persons, rel=1e-12)
    (row,) = [r for r in result.areas if r["area"] == area and r["drug"] == "cannabis"]
    assert (row["countries"], row["reporting"], row["coverage"], row["share_imputed"]) == (1, 1, 1.0, 0.0)


def test_every_cell_is_differenced_against_the_published_one() -> None:
    result = compare([place("MAR", 2_000_000)], [estimate("MAR", 5.0, 4.0, 6.0)], Basis.TOTAL, PUBLISHED)
    assert result.cells.num_rows == len(AREAS) * 2 * 3
    world = cell(result, "World", "prevalence", "low")
    assert (world["published"], world["difference"]) == (5.0, pytest.approx(-1.0))
    assert world["relative_difference"] == pytest.approx(-0.2)
    unpublished = cell(result, "North Africa", "prevalence", "best")
    assert unpublished["published"] is None and unpublished["difference"] is None and unpublished["ours"] == 5.0
    rows = {row["level"]: row for row in summary(result)}
    assert rows["global"]["cells"] == 1 and rows["subregion"]["cells"] == 0
    assert rows["global"]["median_absolute_relative_difference"] == pytest.approx(1 / 6)


def test_the_derived_basis_gives_each_area_the_population_the_table_implies() -> None:
    table = published({"World": (300_000, 5.0, 4.0, 6.0), "Africa": (300_000, 5.0, 4.0, 6.0)})
    geography = pa.Table.from_pylist(
        [place("MAR", 4e6), place("EGY", 6e6), place("KEN", 5e6, "East Africa")], GEOGRAPHY
    )
    implied = implied_populations(table)
    assert implied[("region", "Africa")].persons == pytest.approx(6e6)
    derived = populations(Basis.DERIVED, geography, table)
    assert math.fsum(derived.by_country.values()) == pytest.approx(6e6, rel=1e-12)
    assert derived.by_country["MAR"] / 4e6 == pytest.approx(derived.by_country["KEN"] / 5e6)
    assert {area.rule for area in derived.areas if area.level == "subregion"} == {"region remainder"}
    assert not derived.constant.confirmed and populations(Basis.TOTAL, geography, table).by_country["EGY"] == 6e6


@pytest.mark.parametrize("name", ["15_64", "", "TOTAL"])
def test_an_unknown_basis_is_refused_naming_those_accepted(name: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_basis(name)
    assert "15-64, total, derived-15-64" in raised.value.message


SCENARIOS = [
    ([estimate("MAR", 5.0, 4.0, 6.0)], {"population-basis"}),
    ([estimate("MAR", 5.0, 4.0, 6.0, estimate_year=2019)], {"population-basis", "year-mix"}),
    ([estimate("MAR", 5.0, 4.0, 6.0, age="16-59")], {"population-basis", "age-group"}),
    ([estimate("MAR", 5.0, None, None)], {"population-basis", "range-missing"}),
    ([estimate("MAR", 5.0, 6.0, 7.0, dropped=True)], {"population-basis", "range-missing"}),
]


@pytest.mark.parametrize(("rows", "codes"), SCENARIOS, ids=["reported", "older", "ages", "no-range", "dropped"])
def test_each_reason_appears_when_its_data_say_so(rows: list[dict[str, Any]], codes: set[str]) -> None:
    result = compare([place("MAR", 2_000_000)], rows, Basis.TOTAL, PUBLISHED)
    (world,) = [r for r in result.areas if r["area"] == "World" and r["drug"] == "cannabis"]
    assert {reason["code"] for reason in world["reasons"]} == codes


def test_imputation_placement_and_unpublished_areas_are_named() -> None:
    places = [place("MAR", 2e6), place("ETH", 8e6, "East Africa", "m49")]
    result = compare(places, [estimate("MAR", 5.0, 4.0, 6.0)], Basis.TOTAL, PUBLISHED)
    rows = {r["area"]: r for r in result.areas if r["drug"] == "cannabis"}
    africa = {reason["code"]: reason["message"] for reason in rows["Africa"]["reasons"]}
    assert "1 of 2 countries (80% of the population)" in africa["imputation"]
    assert africa["placement"].endswith("subregion: ETH")
    assert "not-published" in {r["code"] for r in rows["North Africa"]["reasons"]}
    assert rows["Africa"]["coverage"] == pytest.approx(0.2)


def test_a_published_range_that_does_not_hold_its_best_value_is_reported() -> None:
    table = published({"World": (60_000, 6.0, 5.0, 5.5), "Africa": (60_000, 6.0, 5.0, 7.0)})
    result = compare([place("MAR", 2e6)], [estimate("MAR", 5.0, 4.0, 6.0)], Basis.TOTAL, table)
    (world,) = [r for r in result.areas if r["area"] == "World" and r["drug"] == "cannabis"]
    messages = {reason["code"]: reason["message"] for reason in world["reasons"]}
    assert (
        messages["published-range"]
        == "the published range does not hold its best value (prevalence: low 5, best 6, high 5.5)"
    )


def test_a_drug_without_national_estimates_leaves_our_cells_empty() -> None:
    result = compare(
        [place("MAR", 2e6)], [estimate("MAR", 5.0, 4.0, 6.0) | {"drug": "cocaine"}], Basis.TOTAL, PUBLISHED
    )
    world = cell(result, "World", "prevalence", "best")
    assert world["ours"] is None and world["published"] == 6.0 and world["difference"] is None
