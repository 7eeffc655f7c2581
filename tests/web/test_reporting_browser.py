"""A focal point signs in, submits a file with mistakes, reads the report and fixes it; four eyes: another focal
point of the country approves it."""

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
HEADER = "country,drug_group,drug_subgroup,drug,year,kilograms\n"


def ghana_focal_point(demo_settings: Settings, name: str) -> str:
    username = f"{name}-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.FOCAL_POINT, ["GHA"])
    engine.dispose()
    return username


@pytest.fixture(scope="module")
def focal_point(demo_settings: Settings) -> str:
    return ghana_focal_point(demo_settings, "ama")


@pytest.fixture(scope="module")
def second_focal_point(demo_settings: Settings) -> str:
    return ghana_focal_point(demo_settings, "kwame")


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")


def submit(page: Page, path: Path) -> None:
    page.get_by_label("Data set", exact=True).select_option("annual-seizures")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Check and submit").click()


def test_submit_read_the_report_fix_and_have_it_approved(
    page: Page, base_url: str, focal_point: str, second_focal_point: str, tmp_path: Path
) -> None:
    sign_in(page, base_url, focal_point)
    bad = tmp_path / "ghana-2024.csv"
    bad.write_text(HEADER + "Ghana,Opioids,Opiates,Heroin,2024,-4\n")
    submit(page, bad)
    expect(page.locator("#status")).to_have_text("invalid")
    expect(page.locator("#report")).to_contain_text("cannot be below 0")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "submission-report.png", full_page=True)

    page.goto(base_url + "/submissions")
    bad.write_text(HEADER + "Ghana,Opioids,Opiates,Heroin,2024,4\n")
    submit(page, bad)
    expect(page.locator("#status")).to_have_text("validated")
    submission = page.url
    page.get_by_label("Action", exact=True).select_option("approve")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{focal_point} uploaded this submission and may not approve")
    expect(page.get_by_role("alert")).to_contain_text("four-eyes")

    page.context.clear_cookies()
    sign_in(page, base_url, second_focal_point)
    page.goto(submission)
    page.get_by_label("Action", exact=True).select_option("approve")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#status")).to_have_text("approved")
    expect(page.locator("#history")).to_contain_text(focal_point)  # uploaded
    expect(page.locator("#history")).to_contain_text(second_focal_point)  # approved


def test_a_form_without_its_csrf_token_is_refused(page: Page, base_url: str, focal_point: str) -> None:
    sign_in(page, base_url, focal_point)
    response = page.request.post(base_url + "/submissions/1/steps", form={"action": "approve", "csrf": "forged"})
    assert response.status == 403


def test_correct_a_value_with_a_reason_and_read_its_audit_trail(
    page: Page, base_url: str, focal_point: str, tmp_path: Path
) -> None:
    sign_in(page, base_url, focal_point)
    upload = tmp_path / "ghana-2022.csv"
    upload.write_text(HEADER + "Ghana,Opioids,Opiates,Heroin,2022,40\nGhana,Cocaine-type,Cocaine,Cocaine,2022,\n")
    submit(page, upload)
    page.get_by_role("link", name="read and correct them").click()
    values = page.locator("#values")
    expect(values).to_contain_text("missing (not-available)")
    page.get_by_role("link", name="Correct value of row 2, kilograms").click()
    page.get_by_label("New value").fill("4")
    page.get_by_label("Reason for the correction").fill("typing error: 40 was 4 kg in the seizure log")
    page.get_by_role("button", name="Correct the value").click()
    expect(page.locator("#state")).to_have_text("value")
    expect(page.locator("#trail")).to_contain_text("value: 40")
    expect(page.locator("#trail")).to_contain_text("typing error")
    page.get_by_label("New value").fill("four")
    page.get_by_label("Reason for the correction").fill("again")
    page.get_by_role("button", name="Correct the value").click()
    expect(page.get_by_text("is not a number")).to_be_visible()
    page.goto(page.url.rsplit("/", 1)[0])
    expect(page.locator("#corrections")).to_contain_text(focal_point)
    page.screenshot(path=SCREENSHOTS / "submission-values.png", full_page=True)
