"""Sessions, CSRF, throttling and security headers over HTTP, on both engines, with a clock the test moves."""

import base64
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from observatory.access.policy import Role
from observatory.access.users import create_user, deactivate_user, set_password
from observatory.settings import Settings
from observatory.store.access_schema import UserSession
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.store.schema import AuditEvent
from observatory.web.app import create_app
from observatory.web.security_headers import content_security_policy
from tests.web.test_error_shape import assert_error_shape

PASSWORD = "a long enough password"
NEW_PASSWORD = "another long password"
HTML = {"accept": "text/html"}
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Site:
    client: TestClient
    records: Engine
    clock: Clock
    settings: Settings

    def sign_in(self, username: str = "ines", password: str = PASSWORD) -> int:
        form = self.client.get("/login", headers=HTML)
        data = {"username": username, "password": password, "csrf": csrf_of(form.text)}
        return self.client.post("/login", data=data, follow_redirects=False).status_code

    def whoami(self) -> int:
        return self.client.get("/api/v1/account").status_code

    def api_csrf(self) -> str:
        token: str = self.client.get("/api/v1/account").json()["data"]["csrf_token"]
        return token

    def page_csrf(self) -> str:
        return csrf_of(self.client.get("/account/tokens", headers=HTML).text)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def build_site(database_url: str, folder: Path, **overrides: object) -> Iterator[Site]:
    settings = Settings(var_dir=folder / "var", database_url=database_url, **overrides)  # type: ignore[arg-type]
    records = make_engine(database_url)
    upgrade(records)
    if not list_users_named(records, "ines"):
        create_user(records, "ines", PASSWORD, Role.ANALYST)
    app = create_app(settings)
    app.state.clock = clock = Clock()
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Site(client, records, clock, settings)
    finally:
        records.dispose()


def list_users_named(records: Engine, username: str) -> list[str]:
    from observatory.store.reporting_schema import User

    with records.connect() as connection:
        return list(connection.scalars(select(User.username).where(User.username == username)))


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Site]:
    yield from build_site(database_url, tmp_path)


# --- sessions ---------------------------------------------------------------------------------------------------


def _logout(site: Site) -> None:
    assert site.client.post("/logout", data={"csrf": site.page_csrf()}, follow_redirects=False).status_code == 303


def _change_own_password(site: Site) -> None:
    data = {"current": PASSWORD, "new": NEW_PASSWORD, "csrf": site.page_csrf()}
    response = site.client.post("/account/password", data=data)
    assert response.status_code == 200 and "Password changed" in response.text


def _password_set_by_admin(site: Site) -> None:
    assert set_password(site.records, "ines", NEW_PASSWORD, actor="cli:root@host") == 1


def _deactivated(site: Site) -> None:
    assert deactivate_user(site.records, "ines", actor="cli:root@host").sessions_ended == 1


def _signed_in_again(site: Site) -> None:
    assert site.sign_in() == 303


def _idle(site: Site) -> None:
    site.clock.advance(minutes=30)


def _absolute(site: Site) -> None:
    for _ in range(12 * 3):  # busy all day: a request every 20 minutes, never idle
        site.clock.advance(minutes=20)
        if site.clock.now - START < timedelta(hours=12):
            assert site.whoami() == 200


def _busy_within_the_idle_timeout(site: Site) -> None:
    for _ in range(4):
        site.clock.advance(minutes=29)
        assert site.whoami() == 200


#: What happens after sign-in → does the session still act (with the cookie the browser had before it happened)?
SESSION_EVENTS: list[tuple[str, Callable[[Site], None], bool, str | None]] = [
    ("nothing", lambda _site: None, True, None),
    ("busy within the idle timeout", _busy_within_the_idle_timeout, True, None),
    ("logout", _logout, False, "logout"),
    ("signed in again in the same browser", _signed_in_again, False, "logout"),
    ("own password change", _change_own_password, False, "password-changed"),
    ("password set by an administrator", _password_set_by_admin, False, "password-changed"),
    ("account deactivated", _deactivated, False, "deactivated"),
    ("30 minutes idle", _idle, False, "idle"),
    ("12 hours since sign-in", _absolute, False, "expired"),
]


@pytest.mark.parametrize(
    ("event", "alive", "reason"), [case[1:] for case in SESSION_EVENTS], ids=[case[0] for case in SESSION_EVENTS]
)
def test_a_session_lives_until(site: Site, event: Callable[[Site], None], alive: bool, reason: str | None) -> None:
    assert site.whoami() == 401
    assert site.sign_in() == 303
    assert site.client.get("/api/v1/account").json()["data"]["username"] == "ines"
    cookie = site.client.cookies["session"]
    event(site)
    site.client.cookies.clear()
    site.client.cookies.set("session", cookie)  # the cookie as it was: replayed after logout, kept by a browser
    assert site.whoami() == (200 if alive else 401)
    with site.records.connect() as connection:
        ended = connection.execute(
            select(UserSession.ended_at, UserSession.end_reason).order_by(UserSession.id).limit(1)
        ).one()
    assert ended.end_reason == reason and (ended.ended_at is None) is alive


def test_the_session_row_keeps_a_digest_and_where_it_came_from(site: Site) -> None:
    site.client.headers["user-agent"] = "test-browser/1.0"
    assert site.sign_in() == 303
    cookie = site.client.cookies["session"]
    with site.records.connect() as connection:
        row = connection.execute(select(UserSession)).one()
    assert len(row.token_sha256) == 64 and row.token_sha256 not in cookie
    assert (row.ip, row.user_agent) == ("testclient", "test-browser/1.0")


def test_sign_in_and_out_are_audited_never_with_a_password(site: Site) -> None:
    site.sign_in(password="wrong password, surely")
    site.sign_in()
    _logout(site)
    with site.records.connect() as connection:
        columns = (AuditEvent.actor, AuditEvent.action, AuditEvent.entity_id)
        events = connection.execute(select(*columns).order_by(AuditEvent.id)).all()
        details = " ".join(str(d) for d in connection.scalars(select(AuditEvent.detail)))
    assert [tuple(e) for e in events] == [
        ("system", "user-created", "ines"),
        ("anonymous", "sign-in-failed", "ines"),
        ("ines", "sign-in", "ines"),
        ("ines", "sign-out", "ines"),
    ]
    assert PASSWORD not in details and "wrong password" not in details


# --- CSRF -------------------------------------------------------------------------------------------------------


def _bearer(site: Site) -> dict[str, str]:
    assert site.sign_in() == 303
    token = site.client.post(
        "/api/v1/account/tokens", json={"label": "robot"}, headers={"x-csrf-token": site.api_csrf()}
    ).json()["data"]["token"]
    site.client.cookies.clear()
    return {"authorization": f"Bearer {token}"}


def _cookie_without_token(site: Site) -> dict[str, str]:
    assert site.sign_in() == 303
    return {}


def _cookie_with_a_wrong_token(site: Site) -> dict[str, str]:
    assert site.sign_in() == 303
    return {"x-csrf-token": "0" * 64}


def _cookie_with_the_token_of_an_earlier_session(site: Site) -> dict[str, str]:
    assert site.sign_in() == 303
    earlier = site.api_csrf()
    _logout(site)
    assert site.sign_in() == 303
    return {"x-csrf-token": earlier}


def _cookie_with_the_sessions_token(site: Site) -> dict[str, str]:
    assert site.sign_in() == 303
    return {"x-csrf-token": site.api_csrf()}


#: How a write is authenticated → status of creating a token (POST) and of revoking one (DELETE).
CSRF_CASES: list[tuple[str, Callable[[Site], dict[str, str]], int, int]] = [
    ("cookie, no X-CSRF-Token", _cookie_without_token, 403, 403),
    ("cookie, a wrong token", _cookie_with_a_wrong_token, 403, 403),
    ("cookie, the token of an earlier session", _cookie_with_the_token_of_an_earlier_session, 403, 403),
    ("cookie, the session's token", _cookie_with_the_sessions_token, 201, 200),
    # A token needs no CSRF token; it revokes, but does not create tokens (only a signed-in session does).
    ("bearer token, no X-CSRF-Token", _bearer, 403, 200),
]


@pytest.mark.parametrize(
    ("how", "create", "revoke"), [case[1:] for case in CSRF_CASES], ids=[case[0] for case in CSRF_CASES]
)
def test_cookie_writes_to_the_api_need_the_sessions_csrf_token(
    site: Site, how: Callable[[Site], dict[str, str]], create: int, revoke: int
) -> None:
    from observatory.access.users import create_token

    info, _ = create_token(site.records, "ines", "to revoke", now=START)
    headers = how(site)
    created = site.client.post("/api/v1/account/tokens", json={"label": "x"}, headers=headers)
    assert created.status_code == create
    revoked = site.client.delete(f"/api/v1/account/tokens/{info.id}", headers=headers)
    assert revoked.status_code == revoke
    for response in (created, revoked):
        if response.status_code == 403:
            assert_error_shape(response.json())
    if create == 403 and "authorization" not in headers:
        assert created.json()["error"]["code"] == "csrf-rejected"
    if revoke == 200:
        assert revoked.json()["data"]["status"] == "revoked"


def test_reads_with_the_cookie_need_no_csrf_token(site: Site) -> None:
    assert site.sign_in() == 303
    assert site.client.get("/api/v1/account/tokens").status_code == 200


# --- tokens -----------------------------------------------------------------------------------------------------


def test_a_token_expires_and_is_revoked_from_the_page(site: Site) -> None:
    assert site.sign_in() == 303
    page = site.client.post("/account/tokens", data={"label": "nightly", "days": "2", "csrf": site.page_csrf()})
    assert page.status_code == 201 and page.headers["cache-control"] == "no-store"
    token = re.search(r'<code id="token-value">([^<]+)</code>', page.text)
    assert token is not None
    bearer = {"authorization": f"Bearer {token.group(1)}"}
    listed = site.client.get("/account/tokens", headers=HTML).text
    assert "nightly" in listed and token.group(1) not in listed  # shown once, never again
    site.client.cookies.clear()
    assert site.client.get("/api/v1/account", headers=bearer).status_code == 200
    site.clock.advance(days=2)
    assert site.client.get("/api/v1/account", headers=bearer).status_code == 401
    site.clock.advance(days=-2)
    assert site.sign_in() == 303
    token_id = site.client.get("/api/v1/account/tokens").json()["data"][0]["id"]
    revoke = site.client.post(f"/account/tokens/{token_id}/revoke", data={"csrf": site.page_csrf()})
    assert revoke.status_code == 200 and "revoked" in revoke.text
    assert site.client.get("/api/v1/account", headers=bearer).status_code == 401


def test_a_wrong_current_password_changes_nothing(site: Site) -> None:
    assert site.sign_in() == 303
    data = {"current": "not my password", "new": NEW_PASSWORD, "csrf": site.page_csrf()}
    response = site.client.post("/account/password", data=data)
    assert response.status_code == 401 and "wrong password" in response.text
    assert site.whoami() == 200
    data["new"] = "short"
    data["current"] = PASSWORD
    assert site.client.post("/account/password", data=data).status_code == 400
    assert site.whoami() == 200


def test_account_pages_send_the_anonymous_to_the_login_form(site: Site) -> None:
    for path in ("/account/tokens", "/account/password"):
        response = site.client.get(path, headers=HTML, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login")


# --- throttling -------------------------------------------------------------------------------------------------


def test_thirty_wrong_passwords_in_a_row_bring_a_429(site: Site) -> None:
    statuses = [site.sign_in(password=f"wrong password {n}") for n in range(30)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    form = site.client.get("/login", headers=HTML)
    data = {"username": "ines", "password": PASSWORD, "csrf": csrf_of(form.text)}
    refused = site.client.post("/login", data=data, follow_redirects=False)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 15 * 60
    site.clock.advance(seconds=int(refused.headers["retry-after"]))
    assert site.sign_in() == 303


def test_the_count_is_per_account_and_survives_a_restart(database_url: str, tmp_path: Path) -> None:
    for site in build_site(database_url, tmp_path):
        create_user(site.records, "ama", PASSWORD, Role.ANALYST)
        assert [site.sign_in(password="wrong password!") for _ in range(10)] == [401] * 10
    for site in build_site(database_url, tmp_path):  # a new process on the same records store
        assert site.sign_in() == 429
        assert site.sign_in("ama") == 303  # another account from the same address is not blocked


def test_the_count_is_per_address_across_accounts(site: Site) -> None:
    statuses = [site.sign_in(f"nobody-{n}", "wrong password!") for n in range(21)]
    assert statuses == [401] * 20 + [429]
    assert site.sign_in() == 429  # from this address, even the right password waits
    site.clock.advance(minutes=15)
    assert site.sign_in() == 303


# --- security headers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/account", "/api/v1/openapi.json", "/static/css/site.css"])
def test_every_response_carries_the_security_headers(site: Site, path: str) -> None:
    headers = site.client.get(path, headers=HTML).headers
    csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert csp["script-src"].startswith("'self'") and "'unsafe-inline'" not in csp["script-src"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in headers  # plain http


@pytest.mark.parametrize(
    ("overrides", "secure"),
    [
        ({}, False),
        ({"site_url": "http://observatory.example.org"}, False),
        ({"site_url": "https://observatory.example.org"}, True),
        ({"site_url": "https://observatory.example.org", "secure_cookies": False}, False),
        ({"secure_cookies": True}, True),
    ],
)
def test_the_cookie_is_httponly_lax_and_secure_behind_https(
    database_url: str, tmp_path: Path, overrides: dict[str, object], secure: bool
) -> None:
    for site in build_site(database_url, tmp_path, **overrides):
        cookie = site.client.get("/login").headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and f"max-age={12 * 3600}" in cookie
        assert ("secure" in cookie.split("; ")) is secure
        hsts = site.client.get("/").headers.get("strict-transport-security")
        assert (hsts == "max-age=31536000") is str(overrides.get("site_url", "")).startswith("https")


def test_inline_scripts_are_allowed_by_their_hash_and_refused_with_template_markup(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text('<script>go(1)</script><script src="/x.js"></script><a onclick="a&amp;b">')
    policy = content_security_policy(tmp_path)
    digest = {code: base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() for code in ("go(1)", "a&b")}
    assert f"script-src 'self' 'sha256-{digest['go(1)']}' 'unsafe-hashes' 'sha256-{digest['a&b']}';" in policy
    (tmp_path / "page.html").write_text("<script>var a = {{ a }};</script>")
    with pytest.raises(ValueError, match="template markup"):
        content_security_policy(tmp_path)
