"""The trends page in a real headless Chromium: charts drawn from their tables, one click from the numbers; the
grouping changed from the form; signals per group on the overview."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_the_spread_charts_are_drawn_from_the_tables_one_click_away(page: Page, events_base_url: str) -> None:
    page.goto(events_base_url + "/ewa/trends", timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Spread and persistence of new psychoactive substances")
    rows = page.locator("#reported-by-group tbody tr")
    panels = page.locator("#chart-reported figure.panel")
    expect(panels).to_have_count(rows.count())
    expect(panels.first.locator("figcaption")).to_have_text("All groups")
    expect(page.locator("#reported-by-group")).to_be_hidden()
    page.locator("#numbers-reported summary").click()
    expect(page.locator("#reported-by-group")).to_be_visible()
    expect(page.locator("#chart-countries figure.panel").first.locator("rect.bar").first).to_be_attached()
    expect(page.locator("#persistence tbody tr")).to_have_count(5)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-trends.png", full_page=True)


def test_the_grouping_is_chosen_from_the_form_by_keyboard(page: Page, events_base_url: str) -> None:
    page.goto(events_base_url + "/ewa/trends", timeout=120_000)
    page.get_by_label("Group substances by").select_option("group")
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Substances reported each year, by UNODC NPS group")).to_be_visible(
        timeout=120_000
    )
    expect(page.locator("#chart-reported figure.panel figcaption")).to_contain_text(["All groups"])
    expect(page.locator("#country-bands")).to_contain_text("Synthetic cathinones")


def test_the_overview_lists_signals_per_group_with_the_method(page: Page, events_base_url: str) -> None:
    page.goto(events_base_url + "/ewa", timeout=120_000)
    table = page.locator("#group-signals")
    expect(table.locator("tbody tr.alarm").first).to_be_visible()
    page.get_by_text("Method and parameters").click()
    expect(page.locator("#signal-method")).to_contain_text("nbPlugin, α = 0.01")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-group-signals.png", full_page=True)
