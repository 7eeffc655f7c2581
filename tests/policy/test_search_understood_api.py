"""What search understood, over the API and on the search page, with the way to undo it."""

from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

ALGERIA = "Algerian strategy against sexually transmitted infections and HIV"


def test_the_api_says_what_it_understood_and_how_to_undo_it(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": ALGERIA, "top": 3}).json()
    understood = body["meta"]["understood"]
    assert understood["countries"] == ["DZA"] and understood["kinds"] == ["strategy"]
    assert understood["label"] == "Algeria · strategies"
    assert [hit["country"] for hit in body["results"]] == ["DZA"] * 3
    undo = urlsplit(understood["undo"])
    assert undo.path == "/api/v1/search" and parse_qs(undo.query)["understand"] == ["false"]
    literal = client.get(f"{undo.path}?{undo.query}").json()
    assert literal["meta"]["understood"] is None and literal["results"][0]["country"] != "DZA"


def test_a_query_naming_nothing_has_no_understood_part(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": "harm reduction"}).json()["meta"]["understood"] is None


def test_a_country_without_documents_is_an_empty_explained_answer(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "Namibian drug strategy"}).json()
    assert body["results"] == [] and "no documents of Namibia" in body["meta"]["note"]


def test_bad_queries_are_a_400_never_a_500(client: TestClient) -> None:
    for q in ["les de la", "x" * 10_000, "   "]:
        response = client.get("/api/v1/search", params={"q": q})
        assert response.status_code == 400, q
    assert client.get("/api/v1/search", params={"q": "harm", "understand": "maybe"}).status_code in (400, 422)


def test_the_search_page_shows_what_it_understood_with_a_link_to_undo_it(client: TestClient) -> None:
    page = client.get("/search", params={"q": ALGERIA})
    assert page.status_code == 200
    assert "Understood: <strong>Algeria · strategies</strong>" in page.text and 'id="search-literal"' in page.text
    literal = client.get("/search", params={"q": ALGERIA, "understand": "false"})
    assert "Taken literally" in literal.text and 'id="search-understand"' in literal.text
    assert 'name="understand" value="false"' in literal.text
