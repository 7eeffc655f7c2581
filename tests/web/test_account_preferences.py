"""Preferences over HTTP, on both engines: ``GET|PATCH /api/v1/account`` (CSRF for the session cookie, none for a
bearer token), the 4xx answers for what is not accepted, the preferences page, and pages following the language."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from observatory.access.preferences import preferences_of, set_preferences
from observatory.access.users import issue_token
from tests.review.people import ADMIN
from tests.web.test_error_shape import assert_error_shape
from tests.web.test_sessions import HTML, Site, build_site, csrf_of


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Site]:
    yield from build_site(database_url, tmp_path)


def patch(site: Site, body: object, headers: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    response = site.client.patch("/api/v1/account", json=body, headers=headers)
    return response.status_code, response.json()


def test_the_account_shows_and_changes_language_and_mail_with_the_sessions_csrf_token(site: Site) -> None:
    assert site.sign_in() == 303
    shown = site.client.get("/api/v1/account").json()["data"]
    assert (shown["language"], shown["mail_language"]) == (None, "en")
    assert shown["mail"] == {"query": True, "submission": True, "deadline": True}
    status, refused = patch(site, {"language": "fr"})
    assert status == 403 and refused["error"]["code"] == "csrf-rejected"  # type: ignore[index]
    csrf = {"X-CSRF-Token": site.api_csrf()}
    status, changed = patch(site, {"language": "fr", "mail": {"deadline": False}}, csrf)
    assert status == 200
    assert changed["data"]["language"] == "fr"  # type: ignore[index]
    assert changed["data"]["mail"] == {"query": True, "submission": True, "deadline": False}  # type: ignore[index]
    status, kept = patch(site, {"mail": {"deadline": True}}, csrf)  # the language, not named, stays
    assert status == 200 and kept["data"]["language"] == "fr"  # type: ignore[index]
    # The session's pages now speak the user's language.
    page = site.client.get("/account/tokens", headers=HTML)
    assert page.headers["content-language"] == "fr" and '<html lang="fr"' in page.text
    status, cleared = patch(site, {"language": None}, csrf)
    assert status == 200 and cleared["data"]["language"] is None  # type: ignore[index]
    assert site.client.get("/account/tokens", headers=HTML).headers["content-language"] == "en"


def test_a_bearer_token_changes_preferences_without_csrf(site: Site) -> None:
    token = issue_token(site.records, "ines", "script")
    bearer = {"authorization": f"Bearer {token}"}
    status, changed = patch(site, {"language": "ar"}, bearer)
    assert status == 200 and changed["data"]["mail_language"] == "ar"  # type: ignore[index]
    assert preferences_of(site.records, ADMIN, "ines").language == "ar"


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"language": "klingon"}, 400, "klingon"),
        ({"language": "x" * 36}, 422, "language"),
        ({"mail": {"reminders": False}}, 400, "reminders"),
        ({"mail": {"query": "sometimes"}}, 422, "mail"),
        ({"username": "root", "language": "fr"}, 422, "username"),  # nobody changes another's over this route
        (["fr"], 422, ""),
    ],
)
def test_what_is_not_accepted_is_a_4xx_that_names_it(site: Site, body: object, status: int, named: str) -> None:
    token = issue_token(site.records, "ines", "script")
    response = site.client.patch("/api/v1/account", json=body, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert_error_shape(response.json())
    assert named in str(response.json()["error"])
    if status == 400:
        assert "accepted" in str(response.json()["error"]["details"])


def test_the_public_has_no_preferences(site: Site) -> None:
    assert site.client.get("/api/v1/account").status_code == 401
    assert site.client.patch("/api/v1/account", json={"language": "fr"}).status_code == 401
    response = site.client.get("/account/preferences", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_the_preferences_page_saves_and_refuses(site: Site) -> None:
    assert site.sign_in() == 303
    form = site.client.get("/account/preferences", headers=HTML)
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    csrf = csrf_of(form.text)
    saved = site.client.post("/account/preferences", data={"csrf": csrf, "language": "es", "mail": ["query"]})
    assert saved.status_code == 200 and saved.url.path == "/account/preferences"  # after a 303
    assert 'id="saved"' in saved.text and '<html lang="es"' in saved.text
    preferences = preferences_of(site.records, ADMIN, "ines")
    assert (preferences.language, preferences.mail_off) == ("es", ("deadline", "submission"))
    refused = site.client.post("/account/preferences", data={"csrf": csrf, "language": "tlh", "mail": ["query"]})
    assert refused.status_code == 400 and "tlh" in refused.text
    odd = site.client.post("/account/preferences", data={"csrf": csrf, "language": "", "mail": ["spam"]})
    assert odd.status_code == 400 and "spam" in odd.text
    assert site.client.post("/account/preferences", data={"csrf": "forged", "language": "fr"}).status_code == 403
    assert preferences_of(site.records, ADMIN, "ines").language == "es"


def test_signing_in_brings_the_users_language(site: Site) -> None:
    set_preferences(site.records, ADMIN, "ines", language="ru")
    assert site.client.get("/login", headers=HTML).headers["content-language"] == "en"
    assert site.sign_in() == 303
    assert site.client.get("/account/tokens", headers=HTML).headers["content-language"] == "ru"
