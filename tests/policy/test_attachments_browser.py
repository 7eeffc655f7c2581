"""The submitter attaches an evaluation report on the practice page; a disguised file is refused with a message."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from observatory.settings import Settings
from observatory.web.app import create_app
from tests.policy.conftest import PASSWORD, SCREENSHOTS
from tests.web.server import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(policy_settings: Settings) -> Iterator[str]:
    with served(create_app(policy_settings)) as url:
        yield url


def test_attach_a_report_and_see_a_disguised_file_refused(
    page: Page, base_url: str, accounts: dict[str, str], tmp_path: Path
) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(accounts["provider"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/submissions")
    page.goto(base_url + "/policy/practices/new")
    page.get_by_label("Title").fill("School-based life skills in Cali")
    page.get_by_label("Country (ISO3)").fill("COL")
    page.get_by_label("Chapter").select_option("1")
    page.get_by_label("Target group").select_option("young_people")
    page.get_by_label("Description").fill("Teachers run twelve life-skills sessions a year for pupils aged 11 to 13.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#practice-status")).to_have_text("submitted")
    practice_url = page.url

    report = tmp_path / "evaluation.pdf"
    report.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
    page.get_by_label("Attach a file").set_input_files(str(report))
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator("#attachments")).to_contain_text("evaluation.pdf")
    expect(page.locator("#attachments")).to_contain_text("PDF")
    page.screenshot(path=SCREENSHOTS / "practice-attachments.png", full_page=True)

    disguised = tmp_path / "minutes.pdf"
    disguised.write_bytes(b"MZ\x90\x00\x03" + bytes(64))
    page.goto(practice_url)
    page.get_by_label("Attach a file").set_input_files(str(disguised))
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_text("whatever its name says")).to_be_visible()
    page.goto(practice_url)
    expect(page.locator("#attachments li")).to_have_count(1)
