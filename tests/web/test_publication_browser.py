"""A reuser in a real browser: a country profile (chart, its numbers, its table downloaded), the map, and the data
browser (select, chart, map, download), with screenshots under test-results/."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_country_profile_chart_numbers_and_download(page: Page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/countries/Colombia")
    assert page.url.endswith("/countries/COL")
    expect(page.get_by_role("heading", level=1)).to_have_text("Colombia")
    expect(page.locator("#locator path.highlighted[data-iso3='COL']")).to_have_count(1)
    expect(page.locator("#locator")).to_contain_text("do not imply official endorsement or acceptance")
    figure = page.locator("#seizures-figure")
    expect(figure.locator(".chart.drawn figure.panel").first).to_be_visible()
    table = figure.locator("table#seizures")
    expect(table).to_be_hidden()
    figure.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "country-profile.png", full_page=True)
    with page.expect_download() as download:
        figure.get_by_role("link", name="CSV", exact=True).click()
    saved = tmp_path / "seizures.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows and {"drug_group", "year", "kilograms"} <= set(rows[0])
    shown = table.locator("tbody tr").count()
    assert len({row["drug_group"] for row in rows}) == shown


def test_world_map_with_its_numbers(page: Page, base_url: str) -> None:
    page.goto(base_url + "/maps?dataset=ANNUAL_SEIZURES&DRUG_GROUP=COCAINE-TYPE")
    expect(page.locator("#choropleth path")).to_have_count(174)
    expect(page.locator("#choropleth path[data-iso3='COL']")).not_to_have_attribute("fill", "#e4e7eb")
    expect(page.locator("#choropleth")).to_contain_text("do not imply official endorsement or acceptance")
    page.get_by_text("Show the numbers").click()
    expect(page.locator("#map-numbers").get_by_role("link", name="Colombia")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "map-cocaine.png", full_page=True)


def test_data_browser_select_chart_map_download(page: Page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/data")
    page.get_by_label("Data set").select_option("ANNUAL_SEIZURES")
    page.get_by_label("Group by").select_option("REF_AREA")
    page.get_by_label("Drug group", exact=True).select_option("COCAINE-TYPE")
    page.get_by_label("From year").select_option("2021")
    page.get_by_role("button", name="Show").click()
    assert "group_by=REF_AREA" in page.url and "DRUG_GROUP=COCAINE-TYPE" in page.url
    expect(page.locator("#selection-map path[data-iso3='COL']")).to_have_count(1)
    expect(page.locator("table#selection tbody tr").first).to_be_attached()
    page.screenshot(path=SCREENSHOTS / "data-browser.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#selection-figure").get_by_role("link", name="XLSX", exact=True).click()
    saved = tmp_path / "selection.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert "ref_area" in header and "value" in header
    years = {row[header.index("year")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert years and min(years) >= 2021
    shared = page.locator("#share-link").get_attribute("href") or ""
    page.goto(shared)
    expect(page.get_by_label("Drug group", exact=True)).to_have_value("COCAINE-TYPE")
