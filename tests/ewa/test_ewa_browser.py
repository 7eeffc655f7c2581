"""The early-warning pages in a real headless Chromium: the emergence chart drawn from its table, one click from
the numbers; the structure search with the matched core highlighted; an alert's case file."""

import pytest
from playwright.sync_api import Page, expect

from tests.ewa.conftest import FENTANYL
from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_the_emergence_chart_is_drawn_from_the_table_one_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/ewa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early warning on new psychoactive substances")
    panels = page.locator("#chart-emergence figure.panel")
    expect(panels).to_have_count(9)
    expect(panels.first.locator("figcaption")).to_have_text("Synthetic cannabinoids")
    expect(panels.first.locator("rect.bar").first).to_be_attached()
    table = page.locator("#emergence-by-group")
    expect(table).to_be_hidden()
    page.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    expect(page.locator("#emergence-by-year tbody tr").first).to_contain_text("2006")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-emergence.png", full_page=True)


def test_the_structure_search_classifies_finds_neighbours_and_draws_the_generic_core(page: Page, base_url: str) -> None:
    page.goto(base_url + "/ewa/search")
    page.get_by_label("Structure (SMILES)").fill(FENTANYL)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#classification")).to_contain_text("opioids")
    expect(page.locator("#similar tbody tr").first).to_contain_text("Fentanyl")
    expect(page.locator("#similar tbody tr").first).to_contain_text("1961 Single Convention Schedule I")
    figure = page.locator("#generic-matches figure").first
    expect(figure).to_contain_text("Fentanyl analogue")
    expect(figure.locator("svg")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ewa-structure-search.png", full_page=True)


def test_an_invalid_structure_is_refused_beside_the_form(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/ewa/search?smiles=C(C)(C)(C)(C)C")
    assert response is not None and response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("not a valid structure")
    expect(page.get_by_label("Structure (SMILES)")).to_have_value("C(C)(C)(C)(C)C")
