"""An analyst signs in, issues an alert from its case file page and sees the step in its history; the public then
reads the issued alert without the forms."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.ewa.alerts import Audience
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.ewa.conftest import own_draft
from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def analyst_and_alert(demo_settings: Settings) -> Iterator[tuple[str, int]]:
    username = f"ewa-analyst-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.ANALYST, ())
    alert = own_draft(engine, Audience.NETWORK)
    engine.dispose()
    yield username, alert


def test_an_analyst_issues_an_alert_and_sees_its_history(
    page: Page, browser: Browser, base_url: str, analyst_and_alert: tuple[str, int]
) -> None:
    username, alert = analyst_and_alert
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")

    page.goto(f"{base_url}/ewa/alerts/{alert}")
    expect(page.locator("#alert-status")).to_have_text("draft")
    issue = page.locator("#issue-form")
    issue.get_by_label("Audience").select_option("public")
    issue.get_by_label("Note (optional)").fill("confirmed by the national laboratory")
    issue.get_by_role("button", name="Issue the alert").click()
    expect(page.locator("#alert-status")).to_have_text("issued")
    latest = page.locator("#alert-history tbody tr").last
    expect(latest).to_contain_text("issue")
    expect(latest).to_contain_text(username)
    expect(latest).to_contain_text("confirmed by the national laboratory")
    expect(page.locator("#update-form")).to_be_visible()
    expect(page.locator("#issue-form")).to_have_count(0)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-alert-issued.png", full_page=True)

    public = browser.new_context().new_page()
    public.goto(f"{base_url}/ewa/alerts/{alert}")
    expect(public.locator("#alert-status")).to_have_text("issued")
    expect(public.get_by_role("heading", name="Act on this alert")).to_have_count(0)
    expect(public.locator("form[action$='/workflow']")).to_have_count(0)
    public.context.close()
