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


def route_paths() -> list[str]:
    return sorted({route.path for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)})


def test_every_route_rejects_an_unknown_parameter_in_the_error_shape(client: TestClient) -> None:
    paths = [path for path in route_paths() if "{" not in path]
    assert "/api/v1/seizures" in paths and "/" in paths
    for path in paths:
        response = client.get(path, params={"no_such_parameter": "1"}, headers={"accept": "application/json"})
        assert response.status_code == 400, path
        assert_error_shape(response.json())


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
