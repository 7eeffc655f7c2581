"""In a real headless Chromium: the search page says what it understood of a query and undoes it on request."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from observatory.settings import Settings
from observatory.web.app import create_app
from tests.policy.conftest import SCREENSHOTS
from tests.web.server import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(policy_settings: Settings) -> Iterator[str]:
    with served(create_app(policy_settings)) as url:
        yield url


def test_what_was_understood_is_shown_and_can_be_undone(page: Page, base_url: str) -> None:
    page.goto(base_url + "/search")
    page.get_by_label("Search for").fill("Algerian strategy against sexually transmitted infections and HIV")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-understood")).to_contain_text("Understood: Algeria · strategies")
    expect(page.locator("#hits li").first).to_contain_text("DZA")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "policy-search-understood.png", full_page=True)

    page.locator("#search-literal").click()
    expect(page.locator("#search-understood")).to_contain_text("Taken literally")
    expect(page.locator("#hits li").first).not_to_contain_text("DZA")
    page.get_by_role("button", name="Search").click()  # a new search from the form stays literal
    expect(page.locator("#search-understood")).to_contain_text("Taken literally")
    page.locator("#search-understand").click()
    expect(page.locator("#search-understood")).to_contain_text("Algeria · strategies")
