"""A Colombian focal point takes a state-wise wide file through the import page: confirms one fuzzy value
suggestion, checks, submits; next year's file opens with the saved mapping, the confirmed value included."""

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.reporting.mapping.byo_files import colombia_departments_wide
from tests.web.conftest import SCREENSHOTS
from tests.web.test_reporting_browser import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def colombian_focal_point(demo_settings: Settings) -> str:
    username = f"camila-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.FOCAL_POINT, ["COL"])
    engine.dispose()
    return username


def upload(page: Page, base_url: str, path: Path) -> None:
    page.goto(base_url + "/import")
    page.get_by_label("Data set", exact=True).select_option("annual-seizures")
    page.get_by_label("File (CSV, Excel .xlsx or JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and propose a mapping").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Map {path.name}")


def test_a_wide_file_through_the_import_page_and_its_mapping_reused(
    page: Page, base_url: str, colombian_focal_point: str, tmp_path: Path
) -> None:
    sign_in(page, base_url, colombian_focal_point)
    first = tmp_path / "incautaciones-2024.csv"
    first.write_bytes(colombia_departments_wide(2024))
    upload(page, base_url, first)
    expect(page.get_by_label("Field for Departamento")).to_have_value("admin1")
    expect(page.get_by_label("Drug of Heroina_g")).to_have_value("Heroin")
    valle = page.get_by_label("Read VALLE as")
    expect(valle).to_have_value("")  # a fuzzy match waits for a person
    valle.select_option("Valle del Cauca")
    page.get_by_role("button", name="Check (records nothing)").click()
    expect(page.locator("#check-heading")).to_contain_text("no errors")
    expect(page.locator("#check-problems")).not_to_contain_text("'VALLE'")
    expect(page.locator("#preview")).to_contain_text("Cannabis herb (marijuana)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "import-mapping.png", full_page=True)
    page.get_by_role("button", name="Submit with this mapping").click()
    expect(page.locator("#status")).to_have_text("submitted")

    second = tmp_path / "incautaciones-2025.csv"
    second.write_bytes(colombia_departments_wide(2025))
    upload(page, base_url, second)
    expect(page.locator(".lede")).to_contain_text("Prefilled from the mapping you saved (version 1)")
    expect(page.get_by_label("Read VALLE as")).to_have_value("Valle del Cauca")
    page.get_by_role("button", name="Submit with this mapping").click()
    expect(page.locator("#status")).to_have_text("submitted")
