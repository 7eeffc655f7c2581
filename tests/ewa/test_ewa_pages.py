"""The early-warning pages as HTML: the overview, the structure search, and a case file as each audience sees it."""

from fastapi.testclient import TestClient

from tests.ewa.conftest import FENTANYL, bearer

HTML = {"accept": "text/html"}


def test_the_overview_holds_the_emergence_table_and_the_alerts_the_reader_may_see(
    client: TestClient, tokens: dict[str, str]
) -> None:
    public = client.get("/ewa", headers=HTML)
    assert public.status_code == 200 and 'id="emergence-by-group"' in public.text
    assert 'data-value="55"' in public.text  # synthetic cannabinoids first identified in 2015
    member = client.get("/ewa", headers={**HTML, **bearer(tokens["focal"])})
    assert member.text.count('class="status status-draft"') == 10


def test_a_case_file_page_shows_the_stages_and_the_events(client: TestClient, tokens: dict[str, str]) -> None:
    analyst = bearer(tokens["analyst"])
    drafts = client.get("/api/v1/ewa/alerts", params={"rule": "first_detection", "country": "SVN", "status": "draft",
                                                       "limit": 1}, headers=analyst).json()["results"]  # fmt: skip
    page = client.get(f"/ewa/alerts/{drafts[0]['id']}", headers={**HTML, **analyst})
    assert page.status_code == 200 and 'id="case-stages"' in page.text and "Formal notification" in page.text
    assert "Slovenian National Forensic Laboratory" in page.text or "slovenia-nfl" in page.text
    hidden = client.get(f"/ewa/alerts/{drafts[0]['id']}", headers=HTML)
    assert hidden.status_code == 404 and "<html" in hidden.text


def test_the_structure_search_page_answers_and_refuses_bad_input(client: TestClient) -> None:
    found = client.get("/ewa/search", params={"smiles": FENTANYL}, headers=HTML)
    assert found.status_code == 200 and "<svg" in found.text and "Fentanyl analogue" in found.text
    refused = client.get("/ewa/search", params={"smiles": "C" * 5001}, headers=HTML)
    assert refused.status_code == 400 and "5,000" in refused.text
    assert client.get("/ewa/search", params={"smarts": "C"}, headers=HTML).status_code == 400
