"""Mappings over HTTP: a proposal for a file, a dry run that answers the report and records nothing, a submission
through a mapping, and the saved versions, seen only by those who may upload for the country."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.web.app import create_app
from tests.reporting.mapping.byo_files import colombia_departments_wide

WIDE = colombia_departments_wide(2024)


@pytest.fixture
def api(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(var_dir=tmp_path_factory.mktemp("mapping-api"), database_url=database_url)
    engine = initialise(settings)
    issued = {}
    for name, countries in (("camila", ["COL"]), ("ama", ["GHA"])):
        create_user(engine, name, "a long enough password", Role.FOCAL_POINT, countries)
        issued[name] = issue_token(engine, name, "test")
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, issued


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def post(client: TestClient, token: str, path: str, **data: str) -> dict[str, object]:
    response = client.post(
        path,
        files={"file": ("col.csv", WIDE, "text/csv")},
        data={"dataset": "annual-seizures", **data},
        headers=auth(token),
    )
    return {"status": response.status_code, **response.json()}


def test_a_proposal_lists_what_is_certain_and_what_to_confirm(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    answer = post(client, tokens["camila"], "/api/v1/mappings/suggest", country="COL")
    data = answer["data"]
    assert answer["status"] == 200 and data["mapping"]["columns"] == {"Year": "year", "Departamento": "admin1"}  # type: ignore[index]
    assert {item["source"] for item in data["to_confirm"]} == {"VALLE", "GUAJIRA", "SAN ANDRÉS"}  # type: ignore[index]
    refused = post(client, tokens["ama"], "/api/v1/mappings/suggest", country="COL")
    assert refused["status"] == 403


def test_a_dry_run_answers_200_and_records_nothing(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    answer = post(client, tokens["camila"], "/api/v1/submissions", country="COL", mapping="auto", dry_run="true")
    assert answer["status"] == 200 and answer["data"] == {
        "submission_id": None,
        "status": "submitted",
        "values_stored": 0,
        "dry_run": True,
    }
    listed = client.get("/api/v1/submissions", headers=auth(tokens["camila"])).json()["data"]
    assert not [s for s in listed if s["country_iso3"] == "COL" and s["submitted_by"] == "camila"]


def test_a_submission_through_a_mapping_keeps_the_mapping(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    answer = post(client, tokens["camila"], "/api/v1/submissions", country="COL", mapping="auto")
    assert answer["status"] == 201 and answer["data"]["values_stored"] == 141  # type: ignore[index]
    versions = client.get(
        "/api/v1/mappings", params={"dataset": "annual-seizures", "country": "COL"}, headers=auth(tokens["camila"])
    ).json()["data"]
    assert [v["version"] for v in versions] == [1] and "Departamento: admin1" in versions[0]["yaml"]
    own = client.get(f"/api/v1/mappings/{versions[0]['id']}", headers=auth(tokens["camila"]))
    other = client.get(f"/api/v1/mappings/{versions[0]['id']}", headers=auth(tokens["ama"]))
    assert (own.status_code, other.status_code) == (200, 404)


@pytest.mark.parametrize(
    ("mapping", "code"),
    [
        ("dataset: [broken", "bad-mapping"),
        ("dataset: annual-seizures\ncolumns: {Departamento: province}", "bad-mapping"),
        ("dataset: annual-seizures\ncolumns: {Provincia: admin1}", "bad-mapping"),
        ("saved", "bad-mapping"),
    ],
)
def test_a_mapping_that_does_not_fit_is_a_400_naming_it(
    api: tuple[TestClient, dict[str, str]], mapping: str, code: str
) -> None:
    client, tokens = api
    answer = post(client, tokens["camila"], "/api/v1/submissions", country="COL", mapping=mapping)
    assert answer["status"] == 400 and answer["error"]["code"] == code  # type: ignore[index]
