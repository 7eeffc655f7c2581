"""An analyst triages: filters the queue, chooses a group of near-duplicate drafts, issues it with a reason; the
public then finds the alert on the list of issued alerts, with who issued it and why."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.ewa.alerts import Rule
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.ewa.conftest import drafts_about
from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
COUNTRY = "NRU"  # Nauru: no demo alert is about it, so the filtered queue holds only this test's drafts


@pytest.fixture(scope="module")
def analyst_and_drafts(demo_settings: Settings) -> Iterator[tuple[str, list[int]]]:
    username = f"ewa-triage-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.ANALYST, ())
    drafts = drafts_about(engine, "fentanyl", Rule.FIRST_DETECTION, (COUNTRY,))
    engine.dispose()
    yield username, drafts


def test_an_analyst_issues_from_the_triage_page_and_the_public_sees_it(
    page: Page, browser: Browser, base_url: str, analyst_and_drafts: tuple[str, list[int]]
) -> None:
    username, drafts = analyst_and_drafts
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(base_url + "/ewa/triage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage of draft alerts")
    expect(page.locator("#triage-table tbody tr").first).to_be_visible()
    page.get_by_label("Country (ISO3)").fill(COUNTRY)
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#triage-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("checkbox").check()
    page.get_by_label("Reason").fill("confirmed by the national laboratory")
    page.get_by_role("button", name="Issue the chosen").click()
    expect(page.locator("#triage-done")).to_contain_text("issue")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-triage.png", full_page=True)

    public = browser.new_context().new_page()
    public.goto(base_url + "/ewa/alerts")
    issued = public.locator(f"#alert-{drafts[0]}")
    expect(issued).to_contain_text("Fentanyl")
    expect(issued.locator(".history")).to_contain_text(f"issue by {username}")
    expect(issued.locator(".history")).to_contain_text("confirmed by the national laboratory")
    public.goto(base_url + "/ewa/triage")
    expect(public.get_by_role("heading", level=1)).not_to_have_text("Triage of draft alerts")
