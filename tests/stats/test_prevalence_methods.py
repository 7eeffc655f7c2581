"""The WDR-style estimators behind prevalence: percentile ranges for imputed countries, the union of a combined
drug's components, the 15–64 population of places the World Bank series lacks — worked examples and properties."""

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.reference.wdr_definitions import table_definitions
from observatory.stats.aggregation import aggregate_prevalence
from observatory.stats.drug_definitions import definition_estimate, union
from observatory.stats.imputation import RANGE_CONSTANTS, percentile
from observatory.stats.population_ages import aged_15_64
from observatory.stats.prevalence_table import PrevalenceScale

prevalences = st.floats(min_value=0, max_value=100, allow_nan=False)
values = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=30)


@given(values, st.floats(min_value=0, max_value=100))
def test_percentile_is_numpys_linear_and_stays_within_the_values(data: list[float], percent: float) -> None:
    found = percentile(data, percent)
    assert min(data) <= found <= max(data)
    assert found == pytest.approx(float(np.percentile(data, percent)), rel=1e-9, abs=1e-6)


@given(values, st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_percentile_grows_with_the_percent(data: list[float], first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert percentile(data, low) <= percentile(data, high) + 1e-9


@pytest.mark.parametrize("percent", [-1, 101, math.nan])
def test_a_percentile_outside_0_100_is_refused(percent: float) -> None:
    with pytest.raises(BadInput):
        percentile([1.0], percent)


def test_the_range_constants_are_flagged_unconfirmed_with_their_source() -> None:
    assert {c.id: c.value for c in RANGE_CONSTANTS} == {
        "imputation-range-low-percentile": 10.0,
        "imputation-range-high-percentile": 90.0,
        "imputation-range-min-countries": 3,
    }
    assert not any(c.confirmed for c in RANGE_CONSTANTS) and all("[U]" in c.source for c in RANGE_CONSTANTS)


pools = st.lists(st.tuples(st.one_of(st.none(), prevalences), st.floats(min_value=1, max_value=1e9)), max_size=10)


@given(pools.filter(lambda rows: any(b is not None for b, _ in rows) and any(b is None for b, _ in rows)))
def test_an_imputed_country_ranges_between_the_pools_extremes_and_holds_its_best(
    rows: list[tuple[float | None, float]],
) -> None:
    data = [
        {"country": f"C{i}", "subregion": "S", "region": "R", "best": b, "low": b, "high": b, "population": p}
        for i, (b, p) in enumerate(rows)
    ]
    figures = aggregate_prevalence(pa.Table.from_pylist(data), scale=PrevalenceScale.PERCENT, areas=())
    reported = [b for b, _ in rows if b is not None]
    for figure in figures:
        labels = dict(figure.dimensions)
        if labels["measure"] == "prevalence" and labels["basis"] != "reported":
            assert figure.low is not None and figure.high is not None
            assert min(reported) - 1e-9 <= figure.low <= figure.value <= figure.high <= max(reported) + 1e-9


def test_an_imputed_country_is_not_treated_as_known() -> None:
    """Three reporting countries that each know their prevalence exactly: the one without data gets their spread."""
    rows = [(1.0, 100.0), (2.0, 100.0), (6.0, 100.0), (None, 100.0)]
    data = [
        {"country": f"C{i}", "subregion": "S", "region": "R", "best": b, "low": b, "high": b, "population": p}
        for i, (b, p) in enumerate(rows)
    ]
    figures = aggregate_prevalence(pa.Table.from_pylist(data), scale=PrevalenceScale.PERCENT, areas=())
    (imputed,) = [
        f for f in figures if dict(f.dimensions)["area"] == "C3" and dict(f.dimensions)["measure"] == "prevalence"
    ]
    assert (imputed.value, imputed.low, imputed.high) == pytest.approx((3.0, 1.2, 5.2))


parts = st.lists(
    st.tuples(prevalences, st.floats(min_value=0, max_value=1), st.floats(min_value=1, max_value=2)).map(
        lambda t: (t[0], t[0] * t[1], min(100.0, t[0] * t[2]))
    ),
    min_size=1,
    max_size=4,
)


@given(parts)
def test_a_union_lies_within_the_frechet_bounds(found: list[tuple[float, float, float]]) -> None:
    best, low, high = union(found)
    assert low <= best <= high <= 100.0
    assert max(b for b, _, _ in found) - 1e-9 <= best <= min(100.0, math.fsum(b for b, _, _ in found)) + 1e-9
    assert low >= max(lo for _, lo, _ in found) - 1e-9 or low == best


@given(parts)
def test_a_union_ignores_the_order_and_a_zero_component(found: list[tuple[float, float, float]]) -> None:
    assert union(found) == pytest.approx(union(list(reversed(found))))
    assert union([*found, (0.0, 0.0, 0.0)]) == pytest.approx(union(found))


def test_the_union_of_the_worked_example() -> None:
    """USA 2023 in WDR table 1.2: amphetamines 1.09 % (no range), prescription stimulants 1.80 %."""
    best, low, high = union([(1.093808167, None, None), (1.800631575, None, None)])
    assert best == pytest.approx(100 * (1 - (1 - 0.01093808167) * (1 - 0.01800631575)))
    assert (low, high) == pytest.approx((1.800631575, 2.894439742))


def row(best: float, notes: str | None = None, **extra: Any) -> dict[str, Any]:
    found = {"country": "X", "estimate_year": 2021, "age": "15-64", "best": best, "low": None, "high": None}
    return found | {"dropped": False, "source": "prevalence/submission-1", "vintage": "1", "notes": notes} | extra


def test_the_definitions_say_how_a_country_estimate_is_made() -> None:
    definitions = table_definitions()
    assert definitions["opioids"].national_drugs == ("Opioids", "Opiates", "Prescription opioids")
    amphetamines = definitions["amphetamines"]
    both = {"Amphetamines": row(1.0), "Prescription stimulants": row(2.0, estimate_year=2019, age="12-65")}
    made = definition_estimate(amphetamines, both)
    assert made is not None and made["definition"] == "union: Amphetamines + Prescription stimulants"
    assert (made["low"], made["high"], made["estimate_year"], made["age"]) == (2.0, 3.0, 2019, "12-65/15-64")
    marked = definition_estimate(amphetamines, both | {"Amphetamines": row(1.0, "a, z*")})
    assert marked is not None and marked["best"] == 1.0 and marked["definition"].startswith("includes the others")
    alone = definition_estimate(amphetamines, {"Prescription stimulants": row(2.0)})
    assert alone is not None and alone["definition"] == "partial: Prescription stimulants only"
    opioids = definitions["opioids"]
    series = definition_estimate(opioids, {"Opioids": row(1.5), "Opiates": row(0.5)})
    assert series is not None and series["best"] == 1.5 and series["definition"] == "series: Opioids"
    assert definition_estimate(opioids, {"Cannabis": row(4.0)}) is None


def test_an_amphetamines_figure_of_prescription_stimulants_only_is_never_added_to_one() -> None:
    """Table 1.2 footnote (Amphetamines sheet): "z**= figures only include prescription stimulants". El Salvador
    2014 reports 0.38 % so marked beside 0.36 % of prescription stimulants: one figure twice, not a union."""
    amphetamines = table_definitions()["amphetamines"]
    both = {"Amphetamines": row(0.38, "z**"), "Prescription stimulants": row(0.36, "z**")}
    made = definition_estimate(amphetamines, both)
    assert made is not None and made["best"] == 0.36
    assert made["definition"] == "partial: Prescription stimulants only"
    alone = definition_estimate(amphetamines, {"Amphetamines": row(0.38, "z**")})
    assert alone is not None and alone["best"] == 0.38
    assert alone["definition"] == "partial: Amphetamines only (note z**: the other component only)"
    starred = definition_estimate(amphetamines, both | {"Amphetamines": row(0.38, "z*")})
    assert starred is not None and starred["definition"].startswith("includes the others (note z*)")


totals = st.dictionaries(
    st.sampled_from([f"P{i}" for i in range(12)]), st.floats(min_value=1, max_value=1e9), min_size=1
)


@given(totals, st.data())
def test_a_place_the_series_lacks_gets_its_total_times_its_groups_share(total: dict[str, float], data: Any) -> None:
    places = sorted(total)
    known = data.draw(st.lists(st.sampled_from(places), min_size=1, unique=True))
    shares = {p: data.draw(st.floats(min_value=0.4, max_value=0.8)) for p in known}
    groups = {p: data.draw(st.sampled_from(["A", "B"])) for p in places}
    aged = {p: total[p] * shares[p] for p in known}
    result = aged_15_64(total, aged, groups)
    assert {p: result.persons[p] for p in known} == aged
    assert set(result.estimated_places) == set(places) - set(known)
    for item in result.estimated:
        pool = [p for p in known if groups[p] == item.group] if item.group != "world" else known
        assert min(shares[p] for p in pool) - 1e-9 <= item.share <= max(shares[p] for p in pool) + 1e-9
        assert result.persons[item.place] == pytest.approx(total[item.place] * item.share)


def test_no_place_with_both_populations_is_refused() -> None:
    with pytest.raises(BadInput, match="no place has both"):
        aged_15_64({"AAA": 10.0}, {"BBB": 6.0}, {})
