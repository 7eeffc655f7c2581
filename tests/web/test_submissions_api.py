"""Submissions over HTTP with API tokens: upload, read back, lifecycle, and what the public may see."""

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from observatory.access.policy import Role
from observatory.access.users import create_user, issue_token
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.web.app import create_app

CSV = "country,drug_group,drug_subgroup,drug,year,kilograms\nGhana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"


@pytest.fixture
def tokens(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(var_dir=tmp_path_factory.mktemp("api"), database_url=database_url)
    engine = initialise(settings)
    issued = {}
    for name, role, countries in (
        ("ama", Role.FOCAL_POINT, ["GHA"]),
        ("ines", Role.ANALYST, []),
        ("sy", Role.FOCAL_POINT, ["SEN"]),
    ):
        create_user(engine, name, "a long enough password", role, countries)
        issued[name] = issue_token(engine, name, "test")
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, issued


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def upload(client: TestClient, token: str | None, country: str = "GHA") -> dict[str, object]:
    response = client.post(
        "/api/v1/submissions",
        files={"file": ("gha.csv", CSV.encode(), "text/csv")},
        data={"dataset": "annual-seizures", "country": country},
        headers=auth(token) if token else {},
    )
    return {"status": response.status_code, **response.json()}


def test_the_lifecycle_over_the_api(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    uploaded = upload(client, issued["ama"])
    assert uploaded["status"] == 201
    submission = uploaded["data"]["submission_id"]  # type: ignore[index]
    steps = [("ama", "approve"), ("ines", "accept"), ("ines", "publish")]
    for user, action in steps:
        response = client.post(
            f"/api/v1/submissions/{submission}/steps", json={"action": action}, headers=auth(issued[user])
        )
        assert response.status_code == 200, response.json()
    public = client.get(f"/api/v1/submissions/{submission}").json()["data"]
    assert public["status"] == "published" and [e["action"] for e in public["history"]] == [
        "upload",
        "approve",
        "accept",
        "publish",
    ]
    values = client.get(f"/api/v1/submissions/{submission}/observations").json()["data"]
    assert [(v["country_iso3"], v["value"]) for v in values] == [("GHA", 12.5)]


@pytest.mark.parametrize(
    ("who", "country", "status", "code"),
    [(None, "GHA", 403, "forbidden"), ("sy", "GHA", 403, "forbidden"), ("bogus", "GHA", 401, "unauthenticated")],
)
def test_uploads_outside_ones_scope_are_refused(
    tokens: tuple[TestClient, dict[str, str]], who: str | None, country: str, status: int, code: str
) -> None:
    client, issued = tokens
    result = upload(client, issued.get(who or "", "bogus") if who else None, country)
    assert result["status"] == status and result["error"]["code"] == code  # type: ignore[index]


def test_unpublished_submissions_are_invisible_to_others(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    submission = upload(client, issued["ama"])["data"]["submission_id"]  # type: ignore[index]
    assert client.get(f"/api/v1/submissions/{submission}").status_code == 404
    assert client.get(f"/api/v1/submissions/{submission}", headers=auth(issued["sy"])).status_code == 404
    assert client.get(f"/api/v1/submissions/{submission}", headers=auth(issued["ines"])).status_code == 200
    assert client.get("/api/v1/submissions").json()["data"] == []


def test_a_step_out_of_order_is_a_conflict(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    submission = upload(client, issued["ama"])["data"]["submission_id"]  # type: ignore[index]
    response = client.post(
        f"/api/v1/submissions/{submission}/steps", json={"action": "publish"}, headers=auth(issued["ines"])
    )
    assert response.status_code == 409 and "publish applies to: accepted" in response.json()["error"]["message"]


BLANK_AND_ZERO = (
    "country,drug_group,drug_subgroup,drug,year,kilograms\n"
    "Ghana,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"
    "Ghana,Cannabis-type,Cannabis herb,Cannabis herb,2023,\n"
    "Ghana,Opioids,Opiates,Heroin,2023,0\n"
)


def test_values_download_as_csv_with_blanks_and_zeros_apart(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    response = client.post(
        "/api/v1/submissions",
        files={"file": ("gha.csv", BLANK_AND_ZERO.encode(), "text/csv")},
        data={"dataset": "annual-seizures", "country": "GHA"},
        headers=auth(issued["ama"]),
    )
    submission = response.json()["data"]["submission_id"]
    exported = client.get(f"/api/v1/submissions/{submission}/values.csv", headers=auth(issued["ama"]))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert [
        (line["source_row"], line["drug"], line["value"], line["state"], line["missing_reason"]) for line in lines
    ] == [
        ("2", "Cocaine", "12.5", "value", ""),
        ("3", "Cannabis herb (marijuana)", "", "missing", "not-available"),
        ("4", "Heroin", "0", "zero", ""),
    ]
    hidden = client.get(f"/api/v1/submissions/{submission}/values.csv", headers=auth(issued["sy"]))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not-found"
