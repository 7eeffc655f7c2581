"""National prevalence → subregional, regional, global figures; imputation of countries without data."""

import math
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.figure import Figure
from observatory.stats.prevalence_table import PrevalenceScale

P = PrevalenceScale.PERCENT
ROWS: list[dict[str, Any]] = [
    {"country": "AAA", "subregion": "S1", "region": "R1", "best": 1.0, "low": 0.5, "high": 1.5, "population": 100.0},
    {"country": "BBB", "subregion": "S1", "region": "R1", "best": None, "low": None, "high": None, "population": 200.0},
    {"country": "CCC", "subregion": "S2", "region": "R1", "best": 2.0, "low": 1.5, "high": 3.0, "population": 300.0},
    {"country": "DDD", "subregion": "S3", "region": "R2", "best": None, "low": None, "high": None, "population": 50.0},
    {"country": "EEE", "subregion": "S2 ", "region": "R1", "best": 4.0, "low": None, "high": None, "population": 100.0},
]


def table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def pick(figures: list[Figure], area: str, measure: str = "prevalence") -> Figure:
    [found] = [f for f in figures if dict(f.dimensions)["area"] == area and dict(f.dimensions)["measure"] == measure]
    return found


def ends(figure: Figure) -> tuple[float, ...]:
    return tuple(x for x in (figure.value, figure.low, figure.high) if x is not None)


@pytest.mark.parametrize(
    ("area", "measure", "expected", "basis"),
    [
        ("AAA", "prevalence", (1.0, 0.5, 1.5), "reported"),
        # Best: the pool's weighted best. Low and high: 10th and 90th percentiles of the best values of the smallest
        # pool with 3 reporting countries (S1 has 1, so R1's 1, 2, 4: 1.2 and 3.6), widened to hold the best.
        ("BBB", "prevalence", (1.0, 1.0, 3.6), "imputed-subregion"),
        ("DDD", "prevalence", (2.2, 1.2, 3.6), "imputed-world"),  # (1×100 + 2×300 + 4×100) / 500; EEE: 4 for all
        ("EEE", "prevalence", (4.0, 4.0, 4.0), "reported"),
        ("BBB", "users", (2.0, 2.0, 7.2), "imputed-subregion"),
        ("S1", "prevalence", (1.0, 2.5 / 3, 8.7 / 3), "aggregate"),
        ("S2", "prevalence", (2.5, 2.125, 3.25), "aggregate"),
        ("S2", "users", (10.0, 8.5, 13.0), "aggregate"),
        ("R1", "users", (13.0, 11.0, 21.7), "aggregate"),
        ("R2", "prevalence", (2.2, 1.2, 3.6), "aggregate"),
        ("World", "users", (14.1, 11.6, 23.5), "aggregate"),
        ("World", "prevalence", (14.1 / 7.5, 11.6 / 7.5, 23.5 / 7.5), "aggregate"),
        ("S1", "population-covered", (1 / 3,), "aggregate"),
        ("World", "population-covered", (500 / 750,), "aggregate"),
    ],
)
def test_worked_table(area: str, measure: str, expected: tuple[float, ...], basis: str) -> None:
    figure = pick(aggregate_prevalence(table(ROWS), scale=P), area, measure)
    assert ends(figure) == pytest.approx(expected)
    assert dict(figure.dimensions)["basis"] == basis


def test_imputation_and_missing_ranges_are_flagged_with_the_level_used() -> None:
    figures = aggregate_prevalence(table(ROWS), scale=P)
    assert {"imputed", "unconfirmed-method"} <= pick(figures, "BBB").flag_codes
    assert "imputed-world" in " ".join(flag.message for flag in pick(figures, "DDD").flags)
    assert "range-missing" in pick(figures, "EEE").flag_codes and "range-missing" in pick(figures, "S2").flag_codes
    assert pick(figures, "AAA").flags == ()
    assert "imputed" not in pick(figures, "S2").flag_codes
    world = " ".join(flag.message for flag in pick(figures, "World").flags)
    assert "2 of 5 countries, 33.3% of the population, imputed" in world


def test_levels_and_order_of_rows() -> None:
    figures = aggregate_prevalence(table(ROWS), scale=P)
    levels = [dict(f.dimensions)["level"] for f in figures if dict(f.dimensions)["measure"] == "prevalence"]
    assert levels == ["country"] * 5 + ["subregion"] * 3 + ["region"] * 2 + ["global"]


@pytest.mark.parametrize(
    ("countries", "areas"),
    [(False, ["region"]), (True, []), (False, ["global", "subregion"]), (True, ["subregion", "region", "global"])],
)
def test_only_the_levels_asked_for_are_worked_out_and_they_equal_those_of_the_full_roll_up(
    countries: bool, areas: list[str]
) -> None:
    full = aggregate_prevalence(table(ROWS), scale=P)
    chosen = aggregate_prevalence(table(ROWS), scale=P, countries=countries, areas=areas)
    wanted = {*areas, *(["country"] if countries else [])}
    assert chosen == [figure for figure in full if dict(figure.dimensions)["level"] in wanted]


def test_an_unknown_area_level_is_refused() -> None:
    with pytest.raises(BadInput, match="unknown area level 'planet'"):
        aggregate_prevalence(table(ROWS), scale=P, areas=["planet"])


def test_proportion_scale_and_sources_become_inputs() -> None:
    rows = [
        {**ROWS[0], "best": 0.01, "low": 0.005, "high": 0.015, "source": "ARQ", "vintage": "2024"},
        {**ROWS[2], "best": 0.02, "low": 0.015, "high": 0.03, "source": "survey", "vintage": None},
    ]
    figures = aggregate_prevalence(table(rows), scale=PrevalenceScale.PROPORTION)
    assert pick(figures, "World", "users").value == pytest.approx(0.01 * 100 + 0.02 * 300)
    assert [i.id for i in pick(figures, "World").inputs] == ["ARQ", "survey"]
    assert pick(figures, "AAA").inputs[0].vintage == "2024"


def with_cell(number: int, **cells: object) -> pa.Table:
    rows = [dict(row) for row in ROWS]
    rows[number].update(cells)
    return table(rows)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (table([{k: v for k, v in ROWS[0].items() if k != "population"}]), "lacks column"),
        (table(ROWS).slice(0, 0), "no rows"),
        (with_cell(1, country="AAA"), "row 1, column 'country'.*appears twice"),
        (with_cell(0, population=0.0), "row 0, column 'population'"),
        (with_cell(0, population=None), "row 0, column 'population'"),
        (with_cell(0, best=150.0, high=160.0), "row 0, column 'best'.*between 0 and 100"),
        (with_cell(0, best=-1.0, low=-2.0), "row 0, column 'best'"),
        (with_cell(0, best=math.nan), "row 0, column 'best'"),
        (with_cell(0, best=2.0), "must lie between low 0.5 and high 1.5"),
        (with_cell(1, low=1.0, high=2.0), "best.*null while low or high"),
        (with_cell(0, high=None), "column 'high'.*null while the other"),
        (with_cell(0, subregion=" "), "column 'subregion'"),
        (with_cell(2, region="R2"), "row 4, column 'region'.*differs from 'R2'"),  # "S2 " is S2
        (table([{**ROWS[1]}]), "no country in the table has an estimate"),
    ],
)
def test_refusals_name_the_cell(data: pa.Table, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        aggregate_prevalence(data, scale=P)


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(BadInput, match="scale"):
        aggregate_prevalence(table(ROWS), scale="permille")  # type: ignore[arg-type]


prevalences = st.floats(min_value=0, max_value=100)
populations = st.floats(min_value=1, max_value=1e9)


@given(st.lists(prevalences, min_size=3, max_size=3).map(sorted), populations)
def test_aggregating_one_country_returns_that_country(values: list[float], population: float) -> None:
    low, best, high = values
    row = {"country": "X", "subregion": "S", "region": "R", "best": best, "low": low, "high": high}
    figures = aggregate_prevalence(table([{**row, "population": population}]), scale=P)
    for area in ("X", "S", "R", "World"):
        assert ends(pick(figures, area)) == pytest.approx((best, low, high), rel=1e-12, abs=1e-12)
        assert pick(figures, area, "users").value == pytest.approx(best / 100 * population, rel=1e-12, abs=1e-9)


countries = st.lists(
    st.tuples(st.sampled_from(["S1", "S2", "S3"]), st.one_of(st.none(), prevalences), populations),
    min_size=1,
    max_size=12,
).filter(lambda rows: any(best is not None for _, best, _ in rows))


@given(countries, st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_every_population_leaves_prevalence_unchanged(
    rows: list[tuple[str, float | None, float]], k: float
) -> None:
    def build(factor: float) -> list[Figure]:
        data = [
            {
                "country": f"C{i}",
                "subregion": s,
                "region": "R",
                "best": b,
                "low": b,
                "high": b,
                "population": p * factor,
            }
            for i, (s, b, p) in enumerate(rows)
        ]
        return aggregate_prevalence(table(data), scale=P)

    base, scaled = build(1.0), build(k)
    for before, after in zip(base, scaled, strict=True):
        if dict(before.dimensions)["measure"] != "users":
            assert ends(after) == pytest.approx(ends(before), rel=1e-9, abs=1e-12)


@given(countries)
def test_users_add_up_and_prevalences_stay_between_country_extremes(
    rows: list[tuple[str, float | None, float]],
) -> None:
    data = [
        {"country": f"C{i}", "subregion": s, "region": "R", "best": b, "low": b, "high": b, "population": p}
        for i, (s, b, p) in enumerate(rows)
    ]
    figures = aggregate_prevalence(table(data), scale=P)
    country_users = [
        f.value
        for f in figures
        if dict(f.dimensions)["level"] == "country" and dict(f.dimensions)["measure"] == "users"
    ]
    assert pick(figures, "World", "users").value == pytest.approx(math.fsum(country_users), rel=1e-9)
    reported = [b for _, b, _ in rows if b is not None]
    assert min(reported) - 1e-9 <= pick(figures, "World").value <= max(reported) + 1e-9
