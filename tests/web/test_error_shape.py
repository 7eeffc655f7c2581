"""Every route answers errors in the one shape ``{"error": {"code", "message", "details"}}``."""

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from observatory.web.app import ROUTERS


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


def test_a_browser_gets_an_error_page_not_json(client: TestClient) -> None:
    response = client.get("/?drug_group=Cocaine", headers={"accept": "text/html"})
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert "unknown drug_group &#39;Cocaine&#39;" in response.text or "unknown drug_group 'Cocaine'" in response.text
