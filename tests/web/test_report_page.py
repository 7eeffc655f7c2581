"""A submission's report page: the summary first (what to fix, by code, column and value), the full list of
problems below, collapsed and paged; headings and captions for assistive technology."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from observatory.reporting.validation.problems import FIXES
from observatory.settings import Settings
from tests.reporting.validation.wide_national import parana_wide
from tests.web.conftest import SCREENSHOTS
from tests.web.test_reporting_browser import ghana_focal_point, sign_in, submit

pytestmark = pytest.mark.browser
HEADER = "country,drug_group,drug_subgroup,drug,year,kilograms\n"


@pytest.fixture(scope="module")
def focal_point(demo_settings: Settings) -> str:
    return ghana_focal_point(demo_settings, "efua")


def test_a_wide_national_file_reads_as_a_short_list_of_fixes(
    page: Page, base_url: str, focal_point: str, tmp_path: Path
) -> None:
    sign_in(page, base_url, focal_point)
    upload = tmp_path / "parana-2024.csv"
    upload.write_bytes(parana_wide())
    submit(page, upload)
    expect(page.locator("#status")).to_have_text("invalid")
    summary = page.locator("#summary")
    expect(summary.get_by_role("heading", level=3)).to_have_text("What to fix")
    missing = page.locator("#fix-missing-column")
    expect(missing.get_by_role("heading", level=4)).to_contain_text("missing-column")
    expect(missing).to_contain_text(FIXES["missing-column"])
    expect(missing.locator(".columns-found")).to_contain_text("Cocaina_Jan_Kg")
    expect(page.locator(".columns-found")).to_have_count(1)
    expect(page.locator("#fix-unknown-column")).to_contain_text("37 problems")
    expect(page.locator("#fix-unknown-column .columns")).to_contain_text("Municipio")
    expect(page.locator("#fix-duplicate-row")).to_have_count(0)
    # the summary comes first, the full list after it, collapsed
    headings = page.locator("#report-heading ~ section > h3").all_inner_texts()
    assert headings == ["What to fix", "Every problem (41)"]
    expect(page.locator("#report")).not_to_be_visible()
    page.get_by_text("Show all 41 problems").click()
    expect(page.locator("#report")).to_be_visible()
    expect(page.locator("#report caption")).to_contain_text("Every problem")
    for message in page.locator("#report td:nth-child(5)").all_inner_texts():
        assert message.count("Cocaina_") <= 1
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "submission-report-summary.png", full_page=True)


def test_many_problems_are_grouped_by_value_and_paged(
    page: Page, base_url: str, focal_point: str, tmp_path: Path
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, base_url, focal_point)
    rows = "".join(f"Atlantis {n % 3},Opioids,Opiates,Heroin,2023,{n}\n" for n in range(1, 251))
    upload = tmp_path / "atlantis.csv"
    upload.write_text(HEADER + rows)
    submit(page, upload)
    expect(page.locator("#status")).to_have_text("invalid")
    unknown = page.locator("#fix-unknown-country")
    expect(unknown.get_by_role("heading", level=4)).to_contain_text("250 problems in country")
    groups = unknown.locator("table.groups")
    expect(groups.locator("caption")).to_contain_text("by column and value")
    expect(groups.locator("tbody tr")).to_have_count(3)
    expect(groups.locator("tbody tr").first).to_contain_text("Atlantis")
    first = page.url
    page.locator("#summary").screenshot(path=SCREENSHOTS / "submission-report-groups.png")
    page.get_by_text("problems 1–200 of").click()
    page.get_by_role("link", name="Next problems").click()
    expect(page.locator("#report caption")).to_contain_text("page 2 of 2")
    expect(page.locator("#report tbody tr")).to_have_count(50)
    assert page.request.get(first + "?problems=0").status == 422
    assert page.request.get(first + "?page=2").status == 400
    assert page.request.get(first + "?problems=99").ok  # past the end: the last page
