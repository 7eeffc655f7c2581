"""The table 1.1 comparison and the trafficking flows over the API and as pages (both engines): the same numbers
as the library, the documented shapes, and bad parameters refused with a 4xx naming the problem."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from observatory.analytics.prevalence_comparison import compare_wdr_1_1
from observatory.analytics.prevalence_figures import population_for
from observatory.analytics.store import AnalyticsStore
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web.app import create_app
from tests.stats.paths import NATIONAL
from tests.stats.stores import prepared
from tests.stores import BACKENDS, fresh_database_url

pytestmark = pytest.mark.skipif(not NATIONAL.is_file(), reason=f"the shared test data is not at {NATIONAL}")


@pytest.fixture(scope="module", params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp(f"tables-{request.param}")
    for url in fresh_database_url(request.param, folder):
        yield prepared(folder, url)


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("basis", ["15-64", "total", "derived-15-64"])
def test_the_comparison_is_the_library_s_every_cell_and_area(
    client: TestClient, settings: Settings, basis: str
) -> None:
    response = client.get("/api/v1/stats/prevalence/wdr-1-1", params={"basis": basis})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["data"]) == 6 * 24 * 2 * 3 and len(body["areas"]) == 6 * 24
    assert body["meta"]["basis"] == basis and body["meta"]["constants"][0]["confirmed"] is (basis == "15-64")
    assert [row["measure"] for row in body["headline"]] == ["prevalence", "users"]
    engine, store = make_engine(settings.records_url), AnalyticsStore(settings.analytics_dir)
    try:
        expected = compare_wdr_1_1(store, population_for(store, 2023), basis=basis).comparison.cells.to_pylist()
    finally:
        store.close()
        engine.dispose()
    assert body["data"] == expected
    assert {row["level"] for row in body["summary"]} == {"global", "region", "subregion"}
    assert all({"interval_coverage", "median_width_ratio"} <= row.keys() for row in body["summary"])
    assert max(abs(check["difference"]) for check in body["published_checks"]) <= 10_000


def test_the_flows_over_the_api(client: TestClient) -> None:
    body = client.get("/api/v1/stats/seizures/flows", params={"unit": "route", "measure": "kilograms"}).json()
    assert body["meta"] | {"notes": None, "constants": None} == {
        "dataset": "individual-seizures",
        "year": 2023,
        "previous_year": 2022,
        "unit": "route",
        "measure": "kilograms",
        "top": 10,
        "constants": None,
        "route_rule": "departure → transits → destination; the country of seizure ends a route without one",
        "notes": None,
    }
    routes = {(row["drug"], row["route"]): row for row in body["routes"]}
    usa = routes[("Cocaine hydrochloride", "ECU → GTM → MEX → USA")]
    assert (usa["status"], usa["seizures"], usa["kilograms"]) == ("new", 1, 210.0)
    heroin = client.get("/api/v1/stats/seizures/flows", params={"drug": "Heroin", "year": 2022}).json()
    assert [row["route"] for row in heroin["routes"]] == ["AFG → IRN", "IRN → TUR", "TUR → BGR"]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/api/v1/stats/prevalence/wdr-1-1?basis=adults", "unknown population basis 'adults'"),
        ("/api/v1/stats/prevalence/wdr-1-1?drug=cannabis", "unknown query parameter 'drug'"),
        ("/api/v1/stats/seizures/flows?unit=country", "unsupported unit 'country'"),
        ("/api/v1/stats/seizures/flows?measure=value", "unsupported measure 'value'"),
        ("/api/v1/stats/seizures/flows?growth_threshold=0.5", "growth_threshold must be > 1"),
        ("/api/v1/stats/seizures/flows?top=0", "top must be a whole number ≥ 1"),
        ("/api/v1/stats/seizures/flows?drug=Khat", "no approved individual seizure of Khat"),
        ("/api/v1/stats/seizures/flows?year=2015", "no individual seizure with a route in 2015"),
        ("/statistics/prevalence-comparison?drug=heroin", "unknown drug 'heroin'"),
        ("/statistics/prevalence-comparison?basis=adults", "unknown population basis 'adults'"),
        ("/statistics/flows?year=last", "year must be a year between 1900 and 2100"),
        ("/statistics/flows?unit=country", "unsupported unit 'country'"),
    ],
)
def test_bad_parameters_are_refused_with_a_4xx_naming_them(client: TestClient, path: str, named: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert named in response.text


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/statistics/prevalence-comparison", ["comparison-table", "Eastern and South-Eastern Europe", "area-merged"]),
        ("/statistics/prevalence-comparison", ["comparison-headline", "15-64 basis", "Median width ratio"]),
        ("/statistics/prevalence-comparison?drug=amphetamines&basis=derived-15-64", ["published-range", "0.119%"]),
        ("/statistics/flows", ["ECU → GTM", "growing", "new", "Heroin"]),
        ("/statistics/flows?unit=route&drug=Heroin", ["AFG → PAK → ARE → GBR"]),
        ("/statistics/flows?year=", ["2023, compared with 2022"]),
        ("/statistics", ["/statistics/prevalence-comparison", "/statistics/flows"]),
    ],
)
def test_the_pages_show_the_tables(client: TestClient, path: str, shown: list[str]) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    for text in shown:
        assert text in response.text, text
