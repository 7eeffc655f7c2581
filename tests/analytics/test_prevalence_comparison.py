"""WDR table 1.1 rebuilt from table 1.2 as imported and approved (both engines): every cell of the published
table is there, the published side equals an independent openpyxl read, fully covered areas equal an independent
population-weighted mean, and the derived basis reproduces the populations the table implies."""

import math
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from observatory.analytics.prevalence_comparison import TableComparison, compare_wdr_1_1
from observatory.analytics.prevalence_figures import population_for
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.settings import Settings
from observatory.stats.population_basis import Basis
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
        persons = population_for(engine, 2023)
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
    result = results[Basis.TOTAL]
    places = result.geography.to_pylist()
    estimates = {(row["drug"], row["country"]): row for row in result.national.to_pylist()}
    cells = {(c["drug"], c["area"], c["measure"], c["end"]): c["ours"] for c in result.comparison.cells.to_pylist()}
    national = {"cannabis": "Cannabis", "cocaine": "Cocaine", "opiates": "Opiates", "opioids": "Opioids"}
    national |= {"amphetamines": "Amphetamines", "ecstasy": "Ecstasy"}
    checked = 0
    for area in result.comparison.areas:
        members = [p for p in places if area["level"] == "subregion" and p["area"] == area["area"]]
        rows = [estimates.get((national[area["drug"]], p["country"])) for p in members]
        if not members or any(row is None or row["dropped"] or row["low"] is None for row in rows):
            continue
        persons = [p["population"] for p in members]
        for end in ("best", "low", "high"):
            mean = math.fsum(r[end] * n for r, n in zip(rows, persons, strict=True) if r) / math.fsum(persons)
            assert cells[(area["drug"], area["area"], "prevalence", end)] == pytest.approx(mean, rel=1e-12)
            users = cells[(area["drug"], area["area"], "users", end)]
            assert users == pytest.approx(mean / 100 * math.fsum(persons), rel=1e-12)
        checked += 1
    assert checked >= 5


def test_the_estimates_are_the_latest_national_rows_of_2023_or_before(results: dict[Basis, TableComparison]) -> None:
    rows = {(r["drug"], r["country"]): r for r in results[Basis.TOTAL].national.to_pylist()}
    usa, nga = rows[("Cannabis", "USA")], rows[("Cannabis", "NGA")]
    assert (usa["estimate_year"], usa["best"]) == (2023, 26.37991803)
    assert (nga["estimate_year"], nga["best"], nga["low"], nga["high"]) == (2017, 10.76, 10.26, 11.26)
    assert max(r["estimate_year"] for r in rows.values()) <= 2023


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
    assert "area-merged" in codes[("cannabis", "Eastern and South-Eastern Europe")]
    assert "published-range" in codes[("amphetamines", "Eastern and South-Eastern Europe")]
    assert "drug-definition" in codes[("amphetamines", "World")]
    assert "not-published" in codes[("cannabis", "East Africa")] and "placement" in codes[("cannabis", "East Africa")]
    assert {"population-basis", "year-mix", "imputation"} <= codes[("cannabis", "World")]


def test_no_approved_estimates_is_refused_naming_what_to_submit(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("empty")
    settings = prepared(folder, f"sqlite:///{folder / 'observatory.db'}", national=False, seizures=False)
    engine: Engine = make_engine(settings.records_url)
    store = AnalyticsStore(settings.analytics_dir)
    try:
        with pytest.raises(BadInput) as raised:
            compare_wdr_1_1(store, population_for(engine, 2023))
    finally:
        store.close()
        engine.dispose()
    assert "submit WDR table 1.2" in raised.value.message
