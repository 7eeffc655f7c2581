"""The trend pages and routes on a store that holds no early-warning event yet."""

from fastapi.testclient import TestClient


def test_the_trends_page_says_the_store_holds_no_event(client: TestClient) -> None:
    page = client.get("/ewa/trends", headers={"accept": "text/html"})
    assert page.status_code == 200 and 'id="no-events"' in page.text and "observatory ewa load" in page.text


def test_the_routes_answer_with_empty_tables(client: TestClient) -> None:
    assert client.get("/api/v1/ewa/spread").json()["results"] == []
    assert client.get("/api/v1/ewa/persistence").json()["meta"]["observed_until"] is None
    bands = client.get("/api/v1/ewa/spread/countries").json()["results"]
    assert {row["group"] for row in bands} == {"all"} and sum(row["substances"] for row in bands) == 0
    signals = client.get("/api/v1/ewa/signals/groups").json()
    assert signals["results"] == [] and signals["too_few_events"] == []
