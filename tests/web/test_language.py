"""Pages and API answers in the language asked for: lang and dir on the document, Content-Language and Vary,
the choice remembered, an unknown language said, API error codes unchanged, and requests in different languages
at the same time never mixed."""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

HTML = re.compile(r'<html lang="(\w+)" dir="(\w+)">')


@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("fr", "ltr"), ("es", "ltr"), ("ru", "ltr"), ("zh", "ltr"), ("en", "ltr")],
)
def test_a_page_declares_its_language_and_direction(client: TestClient, language: str, direction: str) -> None:
    response = client.get(f"/submissions?lang={language}")
    assert response.status_code == 200
    assert HTML.search(response.text).groups() == (language, direction)  # type: ignore[union-attr]
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"] and "Cookie" in response.headers["vary"]
    assert 'hreflang="ar"' in response.text and 'aria-current="true"' in response.text


def test_the_choice_is_remembered_in_a_cookie(client: TestClient) -> None:
    client.get("/submissions?lang=fr")
    assert client.cookies.get("lang") == "fr"
    assert client.get("/submissions").headers["content-language"] == "fr"
    client.cookies.clear()


def test_accept_language_is_negotiated(client: TestClient) -> None:
    response = client.get("/submissions", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.headers["content-language"] == "es"


def test_an_unknown_language_is_english_and_says_so(client: TestClient) -> None:
    response = client.get("/submissions?lang=tlh")
    assert response.status_code == 200 and response.headers["content-language"] == "en"
    assert "The language tlh is not offered" in response.text


def test_an_api_error_keeps_its_code_in_every_language(client: TestClient) -> None:
    english = client.get("/api/v1/seizures?colour=red").json()["error"]
    russian = client.get("/api/v1/seizures?colour=red&lang=ru").json()["error"]
    assert english["code"] == russian["code"] == "unknown-parameter"
    assert english["message"].startswith("unknown query parameter 'colour'")


def test_interleaved_requests_each_get_their_own_language(base_url: str) -> None:
    def fetch(language: str) -> tuple[str, str]:
        response = httpx.get(f"{base_url}/submissions?lang={language}", timeout=30)
        found = HTML.search(response.text)
        return language, found.group(1) if found else ""

    asked = ["ar", "fr"] * 25
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, asked))
    assert all(asked_for == got for asked_for, got in answers), [a for a in answers if a[0] != a[1]]
