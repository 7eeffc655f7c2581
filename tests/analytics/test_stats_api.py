"""The statistics API: every figure carries value, interval, method, inputs, constants and flags, never NaN or
infinity; the METHODS.md worked examples come out; bad input is a 4xx in the one error shape."""

import json
import math
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from observatory.web import stats_api, stats_pages
from tests.web.test_error_shape import assert_error_shape

FIGURE_KEYS = {"id", "value", "low", "high", "unit", "dimensions", "method", "inputs", "constants", "flags"}


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in a published figure")

    return json.loads(text, parse_constant=refuse)


def figures_of(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = strict_json(response.text)["data"]
    for figure in data:
        assert set(figure) == FIGURE_KEYS
        assert math.isfinite(figure["value"])
        assert (figure["low"] is None) == (figure["high"] is None)
        assert set(figure["method"]) == {"id", "description", "confirmed"}
    return data


def test_trends_carry_their_inputs_with_vintages(client: TestClient) -> None:
    data = figures_of(client, "/api/v1/stats/seizures/trend", drug_group="Cocaine-type")
    assert [f["dimensions"]["measure"] for f in data].count("kilograms") == 5
    (growth,) = [f for f in data if f["dimensions"]["measure"] == "cagr"]
    assert growth["id"] == "seizures.cagr/drug_group=Cocaine-type/2019-2023"
    assert growth["inputs"] == [{"id": "annual-seizures/submission-1", "vintage": "1"}]
    table = client.get("/api/v1/stats/seizures/trend", params={"drug_group": "Cocaine-type"}).json()["table"]
    assert [row["year"] for row in table] == [2019, 2020, 2021, 2022, 2023]


def test_area_totals_come_with_their_check(client: TestClient) -> None:
    body = client.get("/api/v1/stats/seizures/totals", params={"drug_group": "Opioids", "year": 2021}).json()
    assert body["meta"]["all_equal"] and all(check["equal"] for check in body["checks"])
    assert {f["dimensions"]["level"] for f in body["data"]} == {"global", "region", "subregion"}


def test_prevalence_is_on_the_15_64_population_and_lists_its_range_constants(client: TestClient) -> None:
    data = figures_of(client, "/api/v1/stats/prevalence", drug="Cocaine", year=2023, level="global")
    assert [f["dimensions"]["measure"] for f in data] == ["prevalence", "users", "population-covered"]
    for figure in data:
        basis = next(c for c in figure["constants"] if c["id"] == "population-basis")
        assert basis["confirmed"] and "SP.POP.1564.TO" in basis["value"]
    prevalence, users, _ = data
    for figure in (prevalence, users):
        assert "reference/worldbank-population-15-64" in {i["id"] for i in figure["inputs"]}
        ranges = {c["id"] for c in figure["constants"] if not c["confirmed"]}
        assert {"imputation-range-low-percentile", "imputation-range-high-percentile"} <= ranges
        assert "unconfirmed-constant" in {flag["code"] for flag in figure["flags"]}


def test_chapman_gives_the_methods_example(client: TestClient) -> None:
    chapman, petersen = figures_of(client, "/api/v1/stats/capture-recapture", n1=100, n2=80, m=20, interval="normal")
    assert chapman["value"] == pytest.approx(388.571, abs=1e-3) and petersen["value"] == 400
    assert (chapman["high"] - chapman["value"]) / 1.959964 == pytest.approx(63.62, abs=0.01)


def test_the_multiplier_gives_the_methods_example_flagged_unconfirmed(client: TestClient) -> None:
    (figure,) = figures_of(client, "/api/v1/stats/multiplier", benchmark=2000, proportion=0.25, proportion_low=0.2)
    assert (figure["value"], figure["low"], figure["high"]) == (8000, 8000, 10000)
    assert figure["method"]["confirmed"] is False
    assert [flag["code"] for flag in figure["flags"]] == ["unconfirmed-method"]


def test_a_survey_proportion_gives_the_methods_example(client: TestClient) -> None:
    body = {"y": [1, 0, 1, 0], "weights": [1, 2, 3, 4], "interval": "wilson", "variance": "kish"}
    response = client.post("/api/v1/stats/survey-proportion", json=body)
    (figure,) = response.json()["data"]
    assert (round(figure["low"], 5), figure["value"], round(figure["high"], 5)) == (0.0911, 0.4, 0.81598)
    assert response.json()["meta"]["kish_design_effect"] == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/stats/seizures/trend", {"drug_group": "Opioids", "region": "Europe"}),
        ("/api/v1/stats/seizures/totals", {"drug_group": "Cocaine-type", "year": 2019}),
        ("/api/v1/stats/prevalence", {"drug": "Cocaine", "year": 2023, "level": ["country", "region"]}),
        ("/api/v1/stats/capture-recapture", {"n1": 120, "n2": 45, "m": 9}),
        ("/api/v1/stats/multiplier", {"benchmark": 1234, "proportion": 0.1, "proportion_high": 0.3}),
    ],
)
def test_every_figure_explains_to_the_same_value(client: TestClient, path: str, params: dict[str, Any]) -> None:
    for figure in figures_of(client, path, **params)[:40]:
        response = client.get("/api/v1/stats/explain", params={"id": figure["id"]})
        explanation = strict_json(response.text)["data"]
        assert explanation["matches"] and explanation["recomputed"]["value"] == figure["value"], figure["id"]
        assert explanation["figure"] == figure
        assert explanation["steps"] and explanation["rows"]


@pytest.mark.parametrize(
    ("span", "levels"),
    [((2019, 2023), ["region"]), ((2021, 2022), ["country", "global"]), ((2023, 2023), ["subregion"])],
)
def test_a_span_of_years_answers_as_each_year_asked_alone(
    client: TestClient, span: tuple[int, int], levels: list[str]
) -> None:
    start, end = span
    body = client.get(
        "/api/v1/stats/prevalence", params={"drug": "Cocaine", "start": start, "end": end, "level": levels}
    )
    assert body.status_code == 200, body.text
    alone = [
        figure
        for year in range(start, end + 1)
        for figure in figures_of(client, "/api/v1/stats/prevalence", drug="Cocaine", year=year, level=levels)
    ]
    assert strict_json(body.text)["data"] == alone
    assert body.json()["meta"]["years"] == list(range(start, end + 1))


def test_a_year_before_any_estimate_in_a_span_is_noted(client: TestClient) -> None:
    body = client.get("/api/v1/stats/prevalence", params={"drug": "Cocaine", "start": 2013, "end": 2016}).json()
    assert {figure["dimensions"]["year"] for figure in body["data"]} == {"2015", "2016"}
    assert "2013: no approved past-year prevalence of 'Cocaine' in 2013 or before" in body["meta"]["notes"]


@pytest.mark.parametrize(
    ("method", "path", "params", "status", "named"),
    [
        ("GET", "/api/v1/stats/capture-recapture", {"n1": 100, "n2": 80, "m": 0}, 400, "no overlap"),
        ("GET", "/api/v1/stats/capture-recapture", {"n1": 10, "n2": 8, "m": 9}, 400, "cannot exceed"),
        (
            "GET",
            "/api/v1/stats/capture-recapture",
            {"n1": 100, "n2": 80, "m": 20, "interval": "bayes"},
            400,
            "unsupported interval method 'bayes'",
        ),
        ("GET", "/api/v1/stats/multiplier", {"benchmark": 2000, "proportion": 1.5}, 400, "(0, 1]"),
        ("GET", "/api/v1/stats/multiplier", {"benchmark": 2000, "proportion": 0}, 400, "(0, 1]"),
        ("GET", "/api/v1/stats/multiplier", {"benchmark": "inf", "proportion": 0.5}, 400, "finite"),
        ("GET", "/api/v1/stats/explain", {"id": "nonsense/x=1"}, 400, "unsupported figure kind"),
        ("GET", "/api/v1/stats/explain", {"id": "seizures.total/drug_group=Cocaine-type/2030"}, 404, "no figure"),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Heroin", "year": 2023}, 400, "Cannabis, Cocaine"),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Cocaine", "year": 2023, "level": "planet"}, 400, "unknown level"),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Cocaine"}, 400, "give a year, or a span"),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Cocaine", "start": 2023, "end": 2021}, 400, "after end"),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Cocaine", "start": 2021}, 400, "span from start to end"),
        (
            "GET",
            "/api/v1/stats/prevalence",
            {"drug": "Cocaine", "year": 2022, "start": 2021, "end": 2023},
            400,
            "not both",
        ),
        ("GET", "/api/v1/stats/prevalence", {"drug": "Cocaine", "start": 1901, "end": 1902}, 400, "no value for 1901"),
        ("GET", "/api/v1/stats/seizures/trend", {"drug_group": "Cocaine"}, 400, "Cocaine-type"),
        ("GET", "/api/v1/stats/seizures/trend", {"region": "Africa", "country": "GHA"}, 400, "one area"),
        ("GET", "/api/v1/stats/seizures/trend", {"start": 2021, "end": 2021}, 400, "start year before an end year"),
        ("GET", "/api/v1/stats/seizures/totals", {"drug_group": "Opioids", "year": 1990}, 400, "2019–2023"),
        ("GET", "/api/v1/stats/seizures/trend", {"drug_grup": "Opioids"}, 400, "unknown query parameter"),
        ("POST", "/api/v1/stats/survey-proportion", {"y": [1, 0], "weights": [0, 0]}, 400, "sum to zero"),
        (
            "POST",
            "/api/v1/stats/survey-proportion",
            {"y": [1, 0], "weights": [1, 1], "interval": "exact"},
            400,
            "unsupported interval method",
        ),
        ("POST", "/api/v1/stats/survey-proportion", {"y": [1, 2], "weights": [1, 1]}, 400, "0 or 1"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_problem(
    client: TestClient, method: str, path: str, params: dict[str, Any], status: int, named: str
) -> None:
    posted = method == "POST"
    response = client.request(method, path, params=None if posted else params, json=params if posted else None)
    assert response.status_code == status, response.text
    assert_error_shape(response.json())
    assert named in response.json()["error"]["message"]


def test_the_kinds_of_figure_ids_are_listed(client: TestClient) -> None:
    kinds = {row["kind"]: row for row in client.get("/api/v1/stats/kinds").json()["data"]}
    assert kinds["seizures.cagr"]["required"] == ["drug_group"] and kinds["seizures.cagr"]["period"] == "span"


def test_every_statistics_route_answers_an_unknown_parameter_in_the_error_shape(client: TestClient) -> None:
    routes = [
        (method, route.path)
        for router in (stats_api.router, stats_pages.router)
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    ]
    assert len(routes) == 14
    for method, path in routes:
        response = client.request(
            method, path, params={"no_such_parameter": "1"}, headers={"accept": "application/json"}
        )
        assert response.status_code == 400, (method, path)
        assert_error_shape(response.json())
        assert response.json()["error"]["code"] == "unknown-parameter"
