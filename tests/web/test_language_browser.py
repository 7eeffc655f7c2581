"""In Arabic the page runs right to left: the navigation mirrors (its first item to the right of its last), and the
switcher offers the six languages, each in its own script."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_arabic_mirrors_the_navigation(page: Page, base_url: str) -> None:
    page.goto(base_url + "/submissions?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    items = page.locator("nav[aria-label] >> nth=0").locator("li")
    first, last = items.first.bounding_box(), items.last.bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "arabic-submissions.png", full_page=True)
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Soumissions")
