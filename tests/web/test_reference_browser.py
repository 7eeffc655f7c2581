"""The reference page in a real headless Chromium."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_a_focal_point_resolves_a_country_name(page: Page, base_url: str) -> None:
    page.goto(base_url + "/reference")
    page.get_by_label("Country or territory name").fill("Kosovo under UNSCR 1244")
    page.get_by_role("button", name="Resolve").click()
    result = page.locator("#resolution")
    expect(result).to_contain_text("XKX")
    expect(result).to_contain_text("South-Eastern Europe")


def test_an_unknown_country_shows_the_closest_candidates(page: Page, base_url: str) -> None:
    page.goto(base_url + "/reference")
    page.get_by_label("Country or territory name").fill("Narnia")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("closest: Armenia (ARM)")


def test_a_conversion_shows_its_factor_and_warns_when_unconfirmed(page: Page, base_url: str) -> None:
    page.goto(base_url + "/reference")
    page.get_by_label("Quantity").fill("1000")
    page.get_by_label("Unit").select_option("tablet")
    page.get_by_label("Drug or drug group").fill("ecstasy")
    page.get_by_role("button", name="Convert").click()
    expect(page.locator("#conversion")).to_contain_text("0.1 kg")
    expect(page.get_by_role("note")).to_contain_text("unconfirmed")
    expect(page.locator("#vocabularies tbody tr")).to_have_count(8)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "reference.png", full_page=True)


def test_a_lab_finds_a_substance_and_its_control_status(page: Page, base_url: str) -> None:
    page.goto(base_url + "/reference")
    page.get_by_label("Name, CAS number, InChIKey or SMILES").fill("cocaine hydrochloride")
    page.get_by_role("button", name="Find").click()
    result = page.locator("#substance-result")
    expect(result).to_contain_text("Cocaine")
    expect(result).to_contain_text("1961 Single Convention")
