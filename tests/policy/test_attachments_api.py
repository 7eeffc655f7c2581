"""Attachments over HTTP: upload with a token, list, download the same bytes; disguised or oversized files are 4xx."""

import pytest
from fastapi.testclient import TestClient

from tests.policy.conftest import bearer

PRACTICE = {
    "title": "Peer outreach with naloxone in Medellín",
    "country": "COL",
    "chapter": 2,
    "target_group": "people_who_use_drugs",
    "description": "Peers carry naloxone and train others to recognise and reverse an overdose.",
}


@pytest.fixture
def practice(client: TestClient, tokens: dict[str, str]) -> int:
    response = client.post("/api/v1/policy/practices", json=PRACTICE, headers=bearer(tokens["provider"]))
    assert response.status_code == 201, response.json()
    return int(response.json()["data"]["id"])


def test_upload_list_and_download(client: TestClient, tokens: dict[str, str], practice: int) -> None:
    pdf = b"%PDF-1.7\nan evaluation"
    url = f"/api/v1/policy/practices/{practice}/attachments"
    uploaded = client.post(url, files={"file": ("évaluation.pdf", pdf)}, headers=bearer(tokens["provider"]))
    assert uploaded.status_code == 201 and uploaded.json()["data"]["media_type"] == "application/pdf"
    listed = client.get(url, headers=bearer(tokens["analyst"])).json()
    assert [a["name"] for a in listed["data"]] == ["évaluation.pdf"]
    download = client.get(f"{url}/{listed['data'][0]['id']}", headers=bearer(tokens["analyst"]))
    assert download.content == pdf and download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in download.headers["content-disposition"]


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + bytes(64), 400, "whatever its name says"),
        ("big.txt", b"x" * (10 * 1024 * 1024 + 1), 400, "attachment limit"),
        ("empty.pdf", b"", 400, "empty"),
    ],
)
def test_bad_files_are_refused_with_a_message(
    client: TestClient, tokens: dict[str, str], practice: int, name: str, content: bytes, status: int, words: str
) -> None:
    url = f"/api/v1/policy/practices/{practice}/attachments"
    response = client.post(url, files={"file": (name, content)}, headers=bearer(tokens["provider"]))
    assert response.status_code == status and words in response.json()["error"]["message"]
    assert client.get(url, headers=bearer(tokens["provider"])).json()["data"] == []


def test_anonymous_uploads_are_refused(client: TestClient, practice: int) -> None:
    response = client.post(f"/api/v1/policy/practices/{practice}/attachments", files={"file": ("a.txt", b"notes")})
    assert response.status_code == 404
