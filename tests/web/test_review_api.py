"""Regional review over HTTP with API tokens, on both engines: the Done-when path (a Ghanaian submission, a WENDU
reviewer's high-priority query holding approval, reply, resolution, approval), and the bad input of the issue."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from observatory.access.users import issue_token
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.web.app import create_app
from tests.review.people import people
from tests.web.test_submissions_api import auth, upload


@pytest.fixture
def tokens(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(var_dir=tmp_path_factory.mktemp("review-api"), database_url=database_url)
    engine = initialise(settings)
    people(engine)
    issued = {name: issue_token(engine, name, "test") for name in ("kofi", "ama", "moussa", "ines", "sy", "root")}
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, issued


def test_a_query_holds_approval_until_resolved(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    uploaded = upload(client, issued["kofi"])
    assert uploaded["status"] == 201, uploaded
    submission = uploaded["data"]["submission_id"]  # type: ignore[index]
    if uploaded["data"]["status"] == "submitted":  # type: ignore[index]
        step = {"action": "acknowledge", "comment": "warnings read"}
        assert client.post(
            f"/api/v1/submissions/{submission}/steps", json=step, headers=auth(issued["kofi"])
        ).is_success
    reviewer, provider = auth(issued["moussa"]), auth(issued["kofi"])
    body = {"message": "2023 cocaine is 12.5 kg: was it tonnes?", "priority": "high"}
    created = client.post(f"/api/v1/submissions/{submission}/queries", json=body, headers=reviewer)
    assert created.status_code == 201
    query = created.json()["data"]["id"]
    approve = client.post(f"/api/v1/submissions/{submission}/steps", json={"action": "approve"}, headers=reviewer)
    assert (approve.status_code, approve.json()["error"]["code"]) == (409, "open-review-queries")
    assert (
        client.post(f"/api/v1/queries/{query}/resolve", json={"resolution": "explained"}, headers=provider).status_code
        == 403
    )
    internal = {"body": "probably tonnes", "internal": True}
    assert client.post(f"/api/v1/queries/{query}/messages", json=internal, headers=reviewer).status_code == 201
    reply = client.post(f"/api/v1/queries/{query}/messages", json={"body": "kilograms, checked"}, headers=provider)
    assert reply.status_code == 201 and reply.json()["data"]["query"]["status"] == "answered"
    seen = client.get(f"/api/v1/queries/{query}/messages", headers=provider).json()["data"]
    assert [m["kind"] for m in seen] == ["opened", "answered"]  # the internal message is not the provider's
    resolved = client.post(f"/api/v1/queries/{query}/resolve", json={"resolution": "explained"}, headers=reviewer)
    assert resolved.json()["data"]["status"] == "resolved"
    late = client.post(f"/api/v1/queries/{query}/messages", json={"body": "one more"}, headers=provider)
    assert late.status_code == 409
    approve = client.post(f"/api/v1/submissions/{submission}/steps", json={"action": "approve"}, headers=reviewer)
    assert approve.status_code == 200, approve.json()
    inbox = client.get("/api/v1/queries", params={"network": "WENDU", "status": "resolved"}, headers=reviewer)
    assert [q["id"] for q in inbox.json()["data"]] == [query]
    outbox = client.get("/api/v1/outbox", headers=auth(issued["root"])).json()["data"]
    assert sorted((m["username"], m["template"]) for m in outbox) == [
        ("kofi", "query-opened"),
        ("kofi", "query-resolved"),
        ("kofi", "submission-approved"),
        ("moussa", "query-answered"),
    ]


def test_bad_input(tokens: tuple[TestClient, dict[str, str]]) -> None:
    client, issued = tokens
    submission = upload(client, issued["kofi"])["data"]["submission_id"]  # type: ignore[index]
    hidden = client.post(f"/api/v1/submissions/{submission}/queries", json={"message": "?"}, headers=auth(issued["sy"]))
    assert hidden.status_code == 404
    refused = client.post(
        f"/api/v1/submissions/{submission}/queries", json={"message": "?"}, headers=auth(issued["kofi"])
    )
    assert refused.status_code == 403
    bad = client.post(
        f"/api/v1/submissions/{submission}/queries",
        json={"message": "?", "priority": "urgent"},
        headers=auth(issued["ines"]),
    )
    assert bad.status_code == 400 and "priority" in bad.json()["error"]["message"]
    assert client.get("/api/v1/queries").status_code == 401
    assert client.get("/api/v1/queries", params={"status": "closed"}, headers=auth(issued["ines"])).status_code == 400
    assert client.put("/api/v1/observations/999999/followup", json={}, headers=auth(issued["ines"])).status_code == 404
    assert client.get("/api/v1/outbox", headers=auth(issued["kofi"])).status_code == 403
