"""WDR table 1.1 rebuilt from table 1.2 as imported and approved (both engines): every cell of the published
table is there, the published side equals an independent openpyxl read, fully covered areas equal an independent
population-weighted mean, the product's basis is the population aged 15–64 of the reference data (not derived),
its ranges hold the published best values, and the derived basis reproduces the populations the table implies."""

import math
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from observatory.analytics.prevalence_comparison import TableComparison, compare_wdr_1_1
from observatory.analytics.prevalence_comparison_record import comparison_record
from observatory.analytics.prevalence_figures import population_for, prevalence
from observatory.analytics.store import AnalyticsStore
from observatory.analytics.upkeep import ensure_current
from observatory.errors import BadInput
from observatory.reference.population_15_64 import population_15_64
from observatory.settings import Settings
from observatory.stats.comparison_coverage import pooled
from observatory.stats.figure import FlagCode
from observatory.stats.population_basis import DEFAULT_BASIS, Basis
from observatory.stats.wdr_comparison import summary
from observatory.store.engine import make_engine
from tests.stats.paths import NATIONAL
from tests.stats.stores import prepared
from tests.stats.test_published_prevalence import openpyxl_cells
from tests.stores import BACKENDS, fresh_database_url

pytestmark = pytest.mark.skipif(not NATIONAL.is_file(), reason=f"the shared test data is not at {NATIONAL}")


@pytest.fixture(scope="module", params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp(f"wdr-1-1-{request.param}")
    for url in fresh_database_url(request.param, folder):
        yield prepared(folder, url, seizures=False)


@pytest.fixture(scope="module")
def results(settings: Settings) -> Iterator[dict[Basis, TableComparison]]:
    engine, store = make_engine(settings.records_url), AnalyticsStore(settings.analytics_dir)
    try:
        persons = population_for(store, 2023)
        yield {basis: compare_wdr_1_1(store, persons, basis=basis) for basis in Basis}
    finally:
        store.close()
        engine.dispose()


@pytest.mark.parametrize("basis", list(Basis))
def test_every_cell_of_the_published_table_is_there_with_its_difference(
    results: dict[Basis, TableComparison], basis: Basis
) -> None:
    expected = openpyxl_cells()
    cells = {(c["drug"], c["area"], c["measure"], c["end"]): c for c in results[basis].comparison.cells.to_pylist()}
    assert cells.keys() == expected.keys()
    for key, published in expected.items():
        cell = cells[key]
        assert cell["published"] == published, key
        if published is None or cell["ours"] is None:
            assert cell["difference"] is None
        else:
            assert cell["difference"] == cell["ours"] - published
            assert cell["relative_difference"] == pytest.approx((cell["ours"] - published) / published, rel=1e-12)
    areas = {(a["drug"], a["area"]) for a in results[basis].comparison.areas}
    assert areas == {(drug, area) for drug, area, _, _ in expected}


def test_fully_covered_areas_equal_an_independent_weighted_mean(results: dict[Basis, TableComparison]) -> None:
    result = results[Basis.AGED]
    places = result.geography.to_pylist()
    estimates = {(row["drug"], row["country"]): row for row in result.national.to_pylist()}
    cells = {(c["drug"], c["area"], c["measure"], c["end"]): c["ours"] for c in result.comparison.cells.to_pylist()}
    checked = 0
    for area in result.comparison.areas:
        members = [p for p in places if area["level"] == "subregion" and p["area"] == area["area"]]
        rows = [estimates.get((area["drug"], p["country"])) for p in members]
        if not members or any(row is None or row["dropped"] or row["low"] is None for row in rows):
            continue
        persons = [p["population_15_64"] for p in members]
        for end in ("best", "low", "high"):
            mean = math.fsum(r[end] * n for r, n in zip(rows, persons, strict=True) if r) / math.fsum(persons)
            assert cells[(area["drug"], area["area"], "prevalence", end)] == pytest.approx(mean, rel=1e-12)
            users = cells[(area["drug"], area["area"], "users", end)]
            assert users == pytest.approx(mean / 100 * math.fsum(persons), rel=1e-12)
        checked += 1
    assert checked >= 5


def test_the_estimates_are_the_latest_national_rows_of_2023_or_before(results: dict[Basis, TableComparison]) -> None:
    rows = {(r["drug"], r["country"]): r for r in results[Basis.TOTAL].national.to_pylist()}
    usa, nga = rows[("cannabis", "USA")], rows[("cannabis", "NGA")]
    assert (usa["estimate_year"], usa["best"]) == (2023, 26.37991803)
    assert (nga["estimate_year"], nga["best"], nga["low"], nga["high"]) == (2017, 10.76, 10.26, 11.26)
    assert max(r["estimate_year"] for r in rows.values()) <= 2023


def test_combined_columns_follow_the_drug_definitions(results: dict[Basis, TableComparison]) -> None:
    """USA 2023: amphetamines 1.09 % (note a) and prescription stimulants 1.80 %, both without a range."""
    rows = {(r["drug"], r["country"]): r for r in results[DEFAULT_BASIS].national.to_pylist()}
    usa = rows[("amphetamines", "USA")]
    assert usa["definition"] == "union: Amphetamines + Prescription stimulants"
    assert (usa["low"], usa["high"]) == pytest.approx((1.800631575, 1.093808167 + 1.800631575))
    assert rows[("opioids", "USA")]["definition"] == "series: Opioids"
    assert {r["definition"].split(":")[0] for r in rows.values()} >= {"series", "union", "partial"}


def test_a_z_double_star_amphetamines_figure_is_not_added_to_prescription_stimulants(
    results: dict[Basis, TableComparison],
) -> None:
    """El Salvador 2014: amphetamines 0.38 % marked z** ("figures only include prescription stimulants", table 1.2
    footnote) beside prescription stimulants 0.36 %: the same users, so no union."""
    rows = {(r["drug"], r["country"]): r for r in results[DEFAULT_BASIS].national.to_pylist()}
    salvador = rows[("amphetamines", "SLV")]
    assert (salvador["definition"], salvador["best"]) == ("partial: Prescription stimulants only", 0.36)


def test_the_wdr_uses_age_groups_other_than_15_64_as_reported(results: dict[Basis, TableComparison]) -> None:
    """Evidence for keeping estimates of other age groups unconverted: Australia and New Zealand's published cells
    are the population-weighted means of Australia's 14+ and New Zealand's 15+ estimates exactly as table 1.2 gives
    them (no age adjustment on top of the table's own note a)."""
    result = results[Basis.AGED]
    rows = {(r["drug"], r["country"]): r for r in result.national.to_pylist()}
    assert {rows[(drug, "AUS")]["age"] for drug in ("cannabis", "cocaine", "opioids", "ecstasy")} == {"14+"}
    assert {rows[(drug, "NZL")]["age"] for drug in ("cannabis", "cocaine", "opioids", "ecstasy")} == {"15+"}
    cells = {(c["drug"], c["area"], c["measure"]): c for c in result.comparison.cells.to_pylist() if c["end"] == "best"}
    for drug in ("cannabis", "cocaine", "opioids", "ecstasy"):
        cell = cells[(drug, "Australia and New Zealand", "prevalence")]
        assert abs(cell["relative_difference"]) < 0.002, drug


def test_the_products_basis_is_the_15_64_population_of_the_reference_data(
    results: dict[Basis, TableComparison],
) -> None:
    result = results[DEFAULT_BASIS]
    record = comparison_record(result)
    assert record["meta"]["basis"] == "15-64" != str(Basis.DERIVED)
    assert "SP.POP.1564.TO" in record["meta"]["basis_source"]
    reference = population_15_64().year(2023)
    by_country = result.comparison.populations.by_country
    assert all(by_country[code] == reference[code] for code in by_country if code in reference)
    assert result.comparison.populations.constant.confirmed
    constants = {c["id"]: c["confirmed"] for c in record["meta"]["constants"]}
    assert constants["population-basis"] and not constants["imputation-range-low-percentile"]


def test_the_ranges_hold_the_published_best_values_and_the_global_cells_are_close(
    results: dict[Basis, TableComparison],
) -> None:
    comparison = results[DEFAULT_BASIS].comparison
    for measure in ("prevalence", "users"):
        headline = pooled(comparison.cells, measure)
        assert headline["range_cells"] == 36 and headline["interval_coverage"] >= 0.75, headline
        assert 0.5 <= headline["median_width_ratio"] <= 2, headline
        (world,) = [row for row in summary(comparison, measure) if row["level"] == "global"]
        assert world["median_absolute_relative_difference"] <= 0.04, world


def test_the_derived_basis_reproduces_the_populations_the_table_implies(
    results: dict[Basis, TableComparison],
) -> None:
    derived = results[Basis.DERIVED].comparison.populations
    expected = openpyxl_cells()
    geography = results[Basis.DERIVED].geography.to_pylist()
    for region in ("Africa", "Americas", "Asia", "Europe", "Oceania"):
        users, prevalence = (
            expected[("cannabis", region, "users", "best")],
            expected[("cannabis", region, "prevalence", "best")],
        )
        assert users is not None and prevalence is not None
        total = math.fsum(derived.by_country[p["country"]] for p in geography if p["region"] == region)
        assert total == pytest.approx(users / (prevalence / 100), rel=0.01), region
    assert all(0.5 < area.factor < 0.75 for area in derived.areas), [(a.area, a.factor) for a in derived.areas]


def test_reasons_name_the_known_differences(results: dict[Basis, TableComparison]) -> None:
    areas = {(a["drug"], a["area"]): a for a in results[Basis.TOTAL].comparison.areas}
    codes = {key: {reason["code"] for reason in area["reasons"]} for key, area in areas.items()}
    aged = {(a["drug"], a["area"]): a for a in results[Basis.AGED].comparison.areas}
    messages = {reason["code"]: reason["message"] for reason in aged[("amphetamines", "North America")]["reasons"]}
    assert "union ×" in messages["drug-definition"]
    assert "area-merged" in codes[("cannabis", "Eastern and South-Eastern Europe")]
    assert "published-range" in codes[("amphetamines", "Eastern and South-Eastern Europe")]
    assert "drug-definition" in codes[("amphetamines", "World")]
    assert "not-published" in codes[("cannabis", "East Africa")] and "placement" in codes[("cannabis", "East Africa")]
    assert {"population-basis", "year-mix", "imputation"} <= codes[("cannabis", "World")]


def test_no_approved_estimates_is_refused_naming_what_to_submit(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("empty")
    settings = prepared(folder, f"sqlite:///{folder / 'observatory.db'}", national=False, seizures=False)
    engine: Engine = make_engine(settings.records_url)
    ensure_current(engine, settings.analytics_dir)  # as every command and the web app do before reading
    store = AnalyticsStore(settings.analytics_dir)
    try:
        with pytest.raises(BadInput) as raised:
            compare_wdr_1_1(store, population_for(store, 2023))
    finally:
        store.close()
        engine.dispose()
    assert "submit WDR table 1.2" in raised.value.message


def test_prevalence_figures_flag_age_groups_they_could_not_adjust(settings: Settings) -> None:
    engine, store = make_engine(settings.records_url), AnalyticsStore(settings.analytics_dir)
    try:
        result = prevalence(store, population_for(store, 2023), "Cocaine", 2023, ["country", "global"])
    finally:
        store.close()
        engine.dispose()
    figures = {
        (dict(i.figure.dimensions)["area"], dict(i.figure.dimensions)["measure"]): i.figure for i in result.figures
    }
    australia, usa, world = (figures[(area, "prevalence")] for area in ("AUS", "USA", "World"))
    assert [f.message for f in australia.flags if f.code == FlagCode.UNCONVERTED] == [
        "age group other than 15–64, used as reported (no cited adjustment): AUS (14+)"
    ]
    assert FlagCode.UNCONVERTED not in usa.flag_codes and FlagCode.UNCONVERTED in world.flag_codes
    assert australia.value == 4.5  # kept as reported, never silently converted
    assert "reference/worldbank-population-15-64" in {ref.id for ref in world.inputs}
