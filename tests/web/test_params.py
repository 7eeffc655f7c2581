"""Integers in paths and query strings are bounded: a number the records store cannot hold is a 422 naming the
parameter, never a database overflow (``web.params``)."""

from collections.abc import Iterator

import pytest
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from observatory.web.app import ROUTERS
from observatory.web.params import MAX_ID, MAX_INT64
from tests.web.test_error_shape import assert_error_shape

TOO_BIG = str(MAX_INT64 + 1)
#: One past the INTEGER id columns of PostgreSQL.
NO_SUCH_ID = str(MAX_ID + 1)


def _parameters(dependant: Dependant) -> Iterator[ModelField]:
    yield from dependant.path_params
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from _parameters(dependency)


def integer_parameters() -> list[tuple[str, str, ModelField, bool]]:
    """(route, parameter, field, whether it takes a list) of every path or query parameter that reads a number (a
    count, a year) as an integer, or a list of them."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            for field in _parameters(route.dependant):
                for many in (False, True):
                    read = [field.validate([number] if many else number)[0] for number in ("1", "2000")]
                    if any(_integers(value, many) for value in read):
                        found.append((route.path, field.alias, field, many))
    return found


def _integers(value: object, many: bool) -> bool:
    values = value if many and isinstance(value, list) else [value]
    return bool(values) and all(type(item) is int for item in values)


def test_every_integer_parameter_refuses_what_the_store_cannot_hold() -> None:
    found = integer_parameters()
    assert {("/api/v1/submissions/{submission_id}", "submission_id"), ("/api/v1/seizures", "year")} <= {
        (path, name) for path, name, _, _ in found
    }
    unbounded = [
        (path, name) for path, name, field, many in found if not field.validate([TOO_BIG] if many else TOO_BIG)[1]
    ]
    assert unbounded == []
    ids = [(path, name, field) for path, name, field, _ in found if name.endswith("_id") or name == "release"]
    assert len(ids) > 20 and [(path, name) for path, name, field in ids if not field.validate(NO_SUCH_ID)[1]] == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"/api/v1/ewa/alerts/{TOO_BIG}", "alert_id"),
        (f"/api/v1/ewa/alerts/{NO_SUCH_ID}", "alert_id"),
        (f"/api/v1/policy/practices/{NO_SUCH_ID}", "practice_id"),
        (f"/api/v1/policy/practices/1/attachments/{NO_SUCH_ID}", "attachment_id"),
        (f"/api/v1/reference/vocabularies?release={NO_SUCH_ID}", "release"),
        (f"/api/v1/ewa/events?offset={TOO_BIG}", "offset"),
        (f"/api/v1/seizures?year={TOO_BIG}", "year"),
        (f"/api/v1/stats/capture-recapture?n1={TOO_BIG}&n2=10&m=2", "n1"),
        (f"/api/v1/submissions/{TOO_BIG}", "submission_id"),
        (f"/api/v1/submissions/{NO_SUCH_ID}/values.csv", "submission_id"),
    ],
)
def test_a_number_the_store_cannot_hold_is_a_422_naming_it(client: TestClient, path: str, parameter: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert_error_shape(response.json())
    error = response.json()["error"]
    assert error["code"] == "invalid-parameter" and parameter in error["message"]
    assert TOO_BIG in error["message"] or NO_SUCH_ID in error["message"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/api/v1/ewa/alerts/{MAX_ID}", 404),
        (f"/api/v1/policy/practices/{MAX_ID}", 404),
        (f"/api/v1/policy/practices/1/attachments/{MAX_ID}", 404),
        (f"/api/v1/submissions/{MAX_ID}", 404),
        (f"/api/v1/ewa/events?offset={MAX_INT64}", 200),
        (f"/api/v1/reference/places?offset={MAX_INT64}", 200),
    ],
)
def test_the_largest_accepted_numbers_reach_the_store_safely(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.json()
    if status == 404:
        assert_error_shape(response.json())
