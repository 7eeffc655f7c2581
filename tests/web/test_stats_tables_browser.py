"""The table 1.1 comparison and trafficking-flow pages in a real headless Chromium (both engines): the chart with
its numbers one click away, the forms driven by keyboard-reachable labels, and the reasons open on demand."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from observatory.settings import Settings
from observatory.web.app import create_app
from tests.stats.paths import NATIONAL
from tests.stats.stores import prepared
from tests.stores import BACKENDS, fresh_database_url
from tests.web.conftest import SCREENSHOTS
from tests.web.server import served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not NATIONAL.is_file(), reason=f"the shared test data is not at {NATIONAL}"),
]


@pytest.fixture(scope="module", params=BACKENDS)
def base_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp(f"tables-browser-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings: Settings = prepared(folder, url)
        with served(create_app(settings)) as served_url:
            yield served_url


def test_the_comparison_chart_has_its_numbers_and_reasons_one_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics")
    page.get_by_role("link", name="WDR table 1.1 rebuilt from national estimates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("WDR table 1.1 rebuilt from national estimates")
    expect(page.locator("#comparison-chart li")).to_have_count(24)
    # Cannabis: 19 published areas (5 show "-") beside our 24 (every area has a country).
    expect(page.locator("#comparison-chart li svg")).to_have_count(19 + 24)
    expect(page.locator("#comparison-chart li", has_text="East Africa")).to_contain_text("not published")
    table = page.locator("#comparison-table")
    expect(table).to_be_visible()
    page.get_by_text("Show the numbers").click()
    expect(table).to_be_hidden()
    page.get_by_text("Show the numbers").click()
    row = table.locator("tr[data-area='World']")
    expect(row.locator("td").nth(0)).to_have_text("4.64% (3.31%–5.78%)")
    row.locator("summary").click()
    expect(row.locator("li").first).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "statistics-prevalence-comparison.png", full_page=True)


def test_the_comparison_form_changes_drug_and_basis(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics/prevalence-comparison")
    expect(page.get_by_label("Population basis")).to_have_value("15-64")
    expect(page.locator("#comparison-headline")).to_contain_text("prevalence")
    page.get_by_label("Drug").select_option("cocaine")
    page.get_by_label("Population basis").select_option("derived-15-64")
    page.locator("#comparison-form").get_by_role("button", name="Show").click()
    expect(page.locator("#drug-heading")).to_have_text("Cocaine: prevalence by area, published and rebuilt")
    expect(page.locator("#comparison-table caption")).to_contain_text("derived-15-64 population basis")


def test_the_flows_page_ranks_routes_with_badges_and_the_table_one_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/statistics/flows")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trafficking routes from individual seizures")
    cocaine = page.locator("section", has=page.get_by_role("heading", name="Cocaine hydrochloride"))
    expect(cocaine.locator("ol li").first).to_contain_text("COL → PAN")
    expect(cocaine.locator("ol .status", has_text="new")).to_have_count(3)
    expect(cocaine.locator("ol .status", has_text="growing")).to_have_count(3)
    table = cocaine.locator("table")
    expect(table).to_be_hidden()
    cocaine.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "statistics-flows.png", full_page=True)
    page.get_by_label("Route").select_option("route")
    page.get_by_label("Drug (all when empty)").fill("Heroin")
    page.locator("#flows-form").get_by_role("button", name="Show").click()
    expect(page.locator("ol li").first).to_contain_text("AFG → PAK → ARE → GBR")
