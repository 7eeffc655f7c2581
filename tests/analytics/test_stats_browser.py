"""The statistics page in a real headless Chromium: the trend chart drawn from its table, the calculators, and the
explanation one click from a figure."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_the_trend_chart_is_drawn_from_the_table_one_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
    panels = page.locator("#chart-trend figure.panel")
    expect(panels).to_have_count(11)
    expect(panels.first.locator("rect.bar")).to_have_count(5)
    table = page.locator("#trend-by-group")
    expect(table).to_be_hidden()
    page.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    expect(page.locator("#trend-summary tbody tr")).to_have_count(11)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "statistics.png", full_page=True)


def test_the_calculators_show_interval_method_and_unconfirmed_flags(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics")
    page.get_by_label("People in list 1 (n₁)").fill("100")
    page.get_by_label("People in list 2 (n₂)").fill("80")
    page.get_by_label("People in both lists (m)").fill("20")
    page.locator("#capture-form").get_by_role("button", name="Estimate").click()
    result = page.locator("#capture-result dl").first
    expect(result.locator(".value")).to_have_text("389")
    expect(result.locator(".interval")).to_have_text("276 – 572")
    page.get_by_label("Benchmark count (e.g. people in treatment)").fill("2000")
    page.get_by_label("Proportion of the population in the benchmark (0 < p ≤ 1)").fill("0.25")
    page.locator("#multiplier-form").get_by_role("button", name="Estimate").click()
    expect(page.locator("#multiplier-result .value")).to_have_text("8,000")
    expect(page.locator("#multiplier-result .flag.unconfirmed")).to_have_text("Unconfirmed method")
    page.screenshot(path=SCREENSHOTS / "statistics-calculators.png", full_page=True)


def test_no_overlap_is_refused_beside_the_form(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics?n1=100&n2=80&m=0")
    expect(page.get_by_role("alert")).to_contain_text("no overlap")


def test_a_figure_explains_itself_one_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics")
    row = page.locator("#trend-summary tr", has_text="Cocaine-type")
    row.locator("td").nth(2).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How this figure was computed")
    expect(page.locator("#recomputed")).to_contain_text("the same value as published")
    expect(page.locator("#steps li").first).to_contain_text("row(s) from submission(s) 1")
