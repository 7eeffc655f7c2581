"""Submissions over HTTP with API tokens: upload, read back, lifecycle (four eyes included), corrections, and what
each caller may see: a submission one may not see answers exactly as a missing one."""

import csv
import io
from collections.abc import Iterator
from typing import Any

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
        ("kwame", Role.FOCAL_POINT, ["GHA"]),
        ("ines", Role.ANALYST, []),
        ("sy", Role.FOCAL_POINT, ["SEN"]),
        ("root", Role.ADMIN, []),
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
    steps = [("kwame", "approve"), ("ines", "accept"), ("ines", "publish")]
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


def step(client: TestClient, token: str, submission: object, **body: str) -> tuple[int, dict[str, Any]]:
    response = client.post(f"/api/v1/submissions/{submission}/steps", json=body, headers=auth(token))
    return response.status_code, response.json()


def test_the_uploader_does_not_approve_their_own_upload(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    submission = upload(client, issued["ama"])["data"]["submission_id"]  # type: ignore[index]
    status, body = step(client, issued["ama"], submission, action="approve", override="I checked it twice")
    assert (status, body["error"]["code"]) == (403, "four-eyes")
    assert "ama uploaded this submission and may not approve it too" in body["error"]["message"]
    assert step(client, issued["kwame"], submission, action="approve")[0] == 200


def test_an_administrator_overrides_four_eyes_only_with_a_reason_shown_on_the_submission(
    tokens: tuple[TestClient, dict[str, str]],
) -> None:
    client, issued = tokens
    submission = upload(client, issued["root"])["data"]["submission_id"]  # type: ignore[index]
    for override in ({}, {"override": " "}):
        status, body = step(client, issued["root"], submission, action="approve", **override)
        assert (status, body["error"]["code"]) == (403, "four-eyes") and "override" in body["error"]["message"]
    reason = "the GHA focal points are away until the round closes"
    status, body = step(client, issued["root"], submission, action="approve", override=reason)
    assert status == 200 and body["data"]["four_eyes_override"] == reason
    record = client.get(f"/api/v1/submissions/{submission}", headers=auth(issued["ines"])).json()["data"]
    assert [(o["action"], o["actor"], o["reason"]) for o in record["four_eyes_overrides"]] == [
        ("approve", "root", reason)
    ]
    assert [(e["action"], e["override"]) for e in record["history"]] == [("upload", None), ("approve", reason)]
    page = client.get(f"/submissions/{submission}", headers={**auth(issued["ines"]), "accept": "text/html"})
    assert page.status_code == 200 and "Overridden" in page.text and reason in page.text


def test_hidden_submissions_and_values_answer_as_missing_ones(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    submission = upload(client, issued["ama"])["data"]["submission_id"]  # type: ignore[index]
    (value,) = client.get(f"/api/v1/submissions/{submission}/observations", headers=auth(issued["ama"])).json()["data"]

    def answers(
        path: str, method: str, body: dict[str, object], hidden: int, missing: int
    ) -> list[tuple[int, str, str]]:
        found = []
        for target in (hidden, missing):
            response = client.request(method, path.format(target), json=body, headers=auth(issued["sy"]))
            error = response.json()["error"]
            found.append((response.status_code, error["code"], error["message"].replace(str(target), "ID")))
        return found

    steps = answers("/api/v1/submissions/{}/steps", "POST", {"action": "approve"}, submission, submission + 1000)
    assert steps == [(404, "not-found", "no submission ID")] * 2
    correction = {"value": 1, "reason": "probe"}
    patched = answers("/api/v1/observations/{}", "PATCH", correction, value["id"], value["id"] + 1000)
    assert patched == [(404, "not-found", "no stored value ID")] * 2


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('{"value": 1e999, "reason": "r"}', "inf"),
        ('{"value": -1e999, "reason": "r"}', "-inf"),
        ('{"value": NaN, "reason": "r"}', "nan"),
        ('{"value": Infinity, "reason": "r"}', "inf"),
        ('{"value": -5, "reason": "r"}', "-5"),
        ('{"value": "-5", "reason": "r"}', "'-5'"),
        ('{"value": "1e999", "reason": "r"}', "'1e999'"),
    ],
)
def test_a_correction_body_is_checked_as_a_files_cell(
    tokens: tuple[TestClient, dict[str, str]], body: str, shown: str
) -> None:
    client, issued = tokens
    submission = upload(client, issued["ama"])["data"]["submission_id"]  # type: ignore[index]
    (value,) = client.get(f"/api/v1/submissions/{submission}/observations", headers=auth(issued["ama"])).json()["data"]
    headers = {**auth(issued["ama"]), "content-type": "application/json"}
    response = client.patch(f"/api/v1/observations/{value['id']}", content=body, headers=headers)
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "bad-input")
    assert error["message"].startswith(f"kilograms: {shown} is refused: ")
    assert error["message"].endswith("(expected a number of at least 0)")
    after = client.get(f"/api/v1/submissions/{submission}/observations", headers=auth(issued["ama"])).json()["data"]
    assert after[0]["value"] == 12.5
