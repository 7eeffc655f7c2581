"""The seizures page in a real headless Chromium (Debian's), driven by Playwright."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_the_overview_draws_a_chart_per_drug_group_with_its_numbers_a_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug seizures")
    panels = page.locator("#chart-by-group figure.panel")
    expect(panels).to_have_count(11)
    expect(panels.first.locator("rect.bar")).to_have_count(5)
    table = page.locator("#seizures-by-group")
    expect(table).to_be_hidden()
    page.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(11)
    expect(page.locator("#seizures-by-region tbody tr")).to_have_count(5)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "seizures-overview.png", full_page=True)


def test_choosing_a_drug_group_by_keyboard_filters_the_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    select = page.get_by_label("Drug group", exact=True)
    select.focus()
    select.select_option("Cocaine-type")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug seizures: Cocaine-type")
    expect(page.locator("#chart-by-group figure.panel")).to_have_count(1)
    assert "drug_group=Cocaine-type" in page.url


def test_a_bad_filter_shows_an_error_page(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/?drug_group=Cocaine")
    assert response is not None and response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("unknown drug_group 'Cocaine'")


def test_the_completeness_page_lists_who_reported(page: Page, base_url: str) -> None:
    page.goto(base_url + "/completeness")
    expect(page.locator("#summary")).to_contain_text("countries reported")
    comoros = page.locator("#countries tr", has_text="Comoros")
    expect(comoros).to_contain_text("received")
