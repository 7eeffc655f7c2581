"""The policy API and pages over the demo store, on each engine."""

import pytest
from fastapi.testclient import TestClient

from observatory.settings import Settings
from observatory.web.app import create_app
from tests.policy.conftest import bearer

NEW_PRACTICE = {
    "title": "Mobile outreach for people who inject drugs in Cali",
    "country": "COL",
    "chapter": 1,
    "target_group": "people_who_inject_drugs",
    "description": "Vans bring sterile injecting equipment, naloxone and testing to neighbourhoods at night.",
    "sdg_targets": ["3.3"],
    "evidence_rating": "likely_beneficial",
}


def test_search_returns_the_documented_shape(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "shipping containers ports", "top": 3})
    assert response.status_code == 200
    (first, *_) = response.json()["results"]
    assert set(first) == {"kind", "id", "title", "country", "score", "snippet"}
    assert (first["kind"], first["id"]) == ("programme", "container-control-programme")


@pytest.mark.parametrize(
    ("mode", "found"),
    [("hybrid", True), ("semantic", True), ("fulltext", False)],
)
def test_search_modes_and_what_the_response_says_about_them(client: TestClient, mode: str, found: bool) -> None:
    params: dict[str, str | int] = {
        "q": "drug strategy for the Indigenous peoples of Australia",
        "top": 3,
        "mode": mode,
    }
    body = client.get("/api/v1/search", params=params).json()
    assert (body["meta"]["mode"], body["meta"]["requested_mode"], body["meta"]["note"]) == (mode, mode, None)
    assert ("cdpe-21" in [hit["id"] for hit in body["results"]]) is found


def test_search_falls_back_to_full_text_without_the_model(policy_settings: Settings) -> None:
    settings = policy_settings.model_copy(update={"search_model": "none"})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        body = client.get("/api/v1/search", params={"q": "harm reduction", "mode": "semantic"}).json()
        page = client.get("/search", params={"q": "harm reduction"})
    assert (body["meta"]["mode"], body["meta"]["requested_mode"], body["meta"]["model"]) == (
        "fulltext",
        "semantic",
        None,
    )
    assert "turned off" in body["meta"]["note"] and body["results"]
    assert page.status_code == 200 and "Fell back to full-text search" in page.text


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"q": '"harm reduction'}, 400, "bad-search-query"),
        ({"q": "treatment", "mode": "vibes"}, 400, "bad-input"),
        ({"q": "treatment", "kind": "novel"}, 400, "bad-input"),
        ({"q": "treatment", "country": "Narnia"}, 400, "unknown-country"),
        ({"q": "treatment", "sort": "date"}, 400, "unknown-parameter"),
        ({"q": "treatment", "top": 0}, 422, "invalid-parameter"),
    ],
)
def test_bad_searches_get_the_one_error_shape(
    client: TestClient, params: dict[str, str | int], status: int, code: str
) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_country_summary_laws_and_programmes(client: TestClient) -> None:
    country = client.get("/api/v1/policy/countries/AFG").json()["data"]
    assert [c["number"] for c in country["chapters"]] == [1, 2, 3, 4, 5, 6, 7] and country["strategies"]
    assert client.get("/api/v1/policy/countries/XXX").status_code == 400
    summary = client.get("/api/v1/policy/summary").json()["data"]
    assert len(summary["chapters"]) == 7 and summary["sdg"]
    assert {law["code"] for law in client.get("/api/v1/policy/laws").json()["data"]} >= {"us-csa", "nl-opiumwet"}
    assert client.get("/api/v1/policy/programmes/mekong-mou").json()["data"]["countries"][0] == "KHM"
    assert len(client.get("/api/v1/policy/chapters").json()["data"]) == 7


def test_a_practice_is_submitted_reviewed_and_published_over_the_api(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert client.post("/api/v1/policy/practices", json=NEW_PRACTICE).status_code == 401
    created = client.post("/api/v1/policy/practices", json=NEW_PRACTICE, headers=bearer(tokens["provider"]))
    assert created.status_code == 201
    practice_id = created.json()["data"]["id"]
    assert client.get(f"/api/v1/policy/practices/{practice_id}").status_code == 404
    review = f"/api/v1/policy/practices/{practice_id}/review"
    denied = client.post(review, json={"action": "publish"}, headers=bearer(tokens["provider"]))
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    published = client.post(review, json={"action": "publish"}, headers=bearer(tokens["focal"]))
    assert published.json()["data"]["status"] == "published"
    listed = client.get("/api/v1/policy/practices", params={"country": "COL"}).json()
    assert practice_id in [row["id"] for row in listed["data"]] and set(listed["facets"]) >= {"region", "sdg_target"}
    hits = client.get("/api/v1/search", params={"q": "night vans naloxone", "kind": "practice"}).json()["results"]
    assert hits[0]["id"] == str(practice_id)


def test_statuses_and_workshops_are_recorded_by_reviewers(client: TestClient, tokens: dict[str, str]) -> None:
    status = {"chapter": 2, "status": "planned", "as_of": "2020-02-01", "evidence": "decree", "source": "gazette"}
    assert (
        client.post(
            "/api/v1/policy/countries/COL/statuses", json=status, headers=bearer(tokens["provider"])
        ).status_code
        == 403
    )
    recorded = client.post("/api/v1/policy/countries/COL/statuses", json=status, headers=bearer(tokens["analyst"]))
    assert recorded.status_code == 201
    history = client.get("/api/v1/policy/countries/COL/statuses", params={"chapter": 2}).json()["data"]
    assert history[0]["status"] == "planned"
    workshop = {"country": "COL", "held_on": "2019-05-14", "ministries": ["Ministry of Health"], "chapters": [1]}
    held = client.post("/api/v1/policy/workshops", json=workshop, headers=bearer(tokens["focal"])).json()["data"]
    asked = client.post(
        f"/api/v1/policy/workshops/{held['id']}/requests", json={"request": "Training"}, headers=bearer(tokens["focal"])
    ).json()["data"]
    step = {"status": "completed", "note": "done", "on": "2020-01-01"}
    done = client.post(f"/api/v1/policy/requests/{asked['id']}/follow-up", json=step, headers=bearer(tokens["analyst"]))
    assert done.json()["data"]["status"] == "completed"


def test_pages_render_and_forms_need_their_csrf_token(client: TestClient) -> None:
    page = client.get("/policy/countries/AFG", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Status by chapter" in page.text and "<svg" in page.text
    assert client.get("/policy/summary").status_code == 200
    bad = client.get("/search", params={"q": '"unclosed'})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    forged = client.post("/policy/practices", data={"title": "x"}, headers={"accept": "text/html"})
    assert forged.status_code == 403


@pytest.mark.browser
def test_the_country_report_renders_to_pdf(client: TestClient) -> None:
    response = client.get("/policy/countries/AFG/report.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.browser
@pytest.mark.parametrize(("language", "script"), [("zh", r"[\u4e00-\u9fff]"), ("ar", r"[\u0600-\u06ff]")])
def test_the_country_report_prints_in_chinese_and_arabic_with_extractable_text(
    client: TestClient, language: str, script: str
) -> None:
    import io
    import re

    from pypdf import PdfReader

    response = client.get(f"/policy/countries/AFG/report.pdf?lang={language}")
    assert response.status_code == 200 and response.headers["content-language"] == language
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert len(re.findall(script, text)) > 50, text[:500]
