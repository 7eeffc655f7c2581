"""In Chromium: the pages run under the Content-Security-Policy (their inline scripts allowed by hash, nothing
refused), and a signed-out session's cookie is dead in a real browser too."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.settings import Settings
from observatory.store.engine import make_engine

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


def refusals(page: Page) -> list[str]:
    """Every message Chromium logs when the policy refuses something, as the page runs."""
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


@pytest.mark.parametrize("path", ["/", "/statistics", "/completeness", "/ewa", "/ewa/trends", "/login"])
def test_pages_run_under_the_content_security_policy(page: Page, base_url: str, path: str) -> None:
    refused = refusals(page)
    response = page.goto(base_url + path)
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert refused == []


def test_the_completeness_round_picker_still_works(page: Page, base_url: str) -> None:
    refused = refusals(page)
    page.goto(base_url + "/completeness")
    last = page.locator("#round option").last.get_attribute("value")
    assert last is not None
    page.select_option("#round", last)  # its onchange attribute copies the choice into the hidden fields
    dataset, year = last.split("|")
    assert page.locator("input[name=dataset]").input_value() == dataset
    assert page.locator("input[name=year]").input_value() == year
    assert refused == []


def test_a_signed_out_cookie_is_dead_in_the_browser(page: Page, base_url: str, demo_settings: Settings) -> None:
    username = f"ines-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.ANALYST)
    engine.dispose()
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "session"]
    page.get_by_role("button", name=f"Sign out {username}").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # The cookie as it was before signing out.
    page.context.add_cookies([{"name": "session", "value": cookie["value"], "url": base_url}])
    page.goto(base_url + "/account/tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
