"""Every route answers errors in the one shape ``{"error": {"code", "message", "details"}}``."""

import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from observatory.errors import BadInput
from observatory.settings import Settings
from observatory.web.app import ROUTERS, create_app


def assert_error_shape(body: Any) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)


def routes() -> list[tuple[str, str]]:
    return sorted(
        {
            (method, route.path)
            for router in ROUTERS
            for route in router.routes
            if isinstance(route, APIRoute)
            for method in route.methods or ()
        }
    )


def test_every_route_answers_garbage_with_a_4xx_in_the_error_shape(client: TestClient) -> None:
    tried = [(method, path) for method, path in routes() if "{" not in path]
    assert ("GET", "/api/v1/seizures") in tried and ("POST", "/login") in tried
    for method, path in tried:
        response = client.request(
            method, path, params={"no_such_parameter": "1"}, headers={"accept": "application/json"}
        )
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert_error_shape(response.json())
        if method == "GET":
            assert response.json()["error"]["code"] == "unknown-parameter", path


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/no/such/page", 404), ("GET", "/api/v1/nothing", 404), ("POST", "/api/v1/seizures", 405)],
)
def test_routing_errors_use_the_error_shape(client: TestClient, method: str, path: str, status: int) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert_error_shape(response.json())


@pytest.mark.parametrize(
    "url",
    ["/api/v1/reference/population?country=IND%00", "/api/v1/seizures?country=%00", "/api/v1/submissions/1%00"],
)
def test_a_nul_character_in_a_path_or_query_is_refused_before_any_route(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["error"]["code"] == "invalid-parameter"


def test_a_browser_gets_an_error_page_not_json(client: TestClient) -> None:
    response = client.get("/?drug_group=Cocaine", headers={"accept": "text/html"})
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert "unknown drug_group &#39;Cocaine&#39;" in response.text or "unknown drug_group 'Cocaine'" in response.text


SURVEY = "/api/v1/stats/survey-proportion"
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("content", "headers", "status", "code", "named"),
    [
        (b"not json", JSON, 422, "invalid-body", "not valid JSON"),
        (b'{"y": [1], "weights": [1', JSON, 422, "invalid-body", "not valid JSON"),
        (b"", JSON, 422, "invalid-body", "body is required"),
        (b'"just text"', JSON, 422, "invalid-body", "'just text'"),
        (b'{"y": [1], "weights": "heavy"}', JSON, 422, "invalid-body", "weights"),
        (b'{"y": [1], "weights": [1], "confidence": NaN, "extra": NaN}', JSON, 422, "invalid-body", "extra"),
        (b'{"y": [' + b"9" * 5000 + b'], "weights": [1]}', JSON, 400, "invalid-body", "a number too long"),
        (b'{"y": [1], "\xe9": 1}', JSON, 400, "invalid-body", "not UTF-8"),
        (b'{"y": [1], "weights": [1]}', {"content-type": "text/plain"}, 415, "unsupported-media-type", "text/plain"),
        (b'{"y": [1], "weights": [1]}', {}, 415, "unsupported-media-type", "no content type"),
        (
            b"y=1&weights=1",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "unsupported-media-type",
            "form",
        ),
    ],
)
def test_every_body_problem_answers_in_the_error_shape(
    client: TestClient, content: bytes, headers: dict[str, str], status: int, code: str, named: str
) -> None:
    response = client.post(SURVEY, content=content, headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (status, "application/json")
    assert_error_shape(response.json())
    error = response.json()["error"]
    assert error["code"] == code and named in error["message"], error


def test_echoed_values_are_cut_and_made_json_safe(client: TestClient) -> None:
    long = "x" * 5000
    response = client.post(SURVEY, json={"y": [1], "weights": [1], "note": long})
    error = response.json()["error"]
    assert response.status_code == 422 and len(error["message"]) < 300 and "5,000 characters" in error["message"]
    assert error["details"] == [
        {"field": "note", "reason": "Extra inputs are not permitted", "value": error["details"][0]["value"]}
    ]
    not_finite = client.post(
        SURVEY, content=b'{"y": [1], "weights": [1], "confidence": Infinity, "odd": NaN}', headers=JSON
    )
    assert (
        not_finite.status_code == 422
        and {"field": "odd", "reason": "Extra inputs are not permitted", "value": "nan"}
        in (not_finite.json()["error"]["details"])
    )


def test_an_error_that_cannot_be_rendered_keeps_its_status_code_and_message(tmp_path: Path) -> None:
    def unrenderable() -> None:
        raise BadInput("no such thing", [{"value": math.nan, "object": object()}])

    app = create_app(Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    app.add_api_route("/api/v1/unrenderable", unrenderable)
    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/unrenderable")
    assert response.status_code == 400
    assert response.json() == {"error": {"code": "bad-input", "message": "no such thing", "details": []}}
