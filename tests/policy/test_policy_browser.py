"""A good practice goes through submit → review → publish in a real headless Chromium, then search finds it."""

from collections.abc import Iterator

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


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/submissions")


def test_a_practice_is_submitted_reviewed_published_and_found(
    page: Page, base_url: str, accounts: dict[str, str]
) -> None:
    sign_in(page, base_url, accounts["provider"])
    page.goto(base_url + "/policy/practices/new")
    page.get_by_label("Title").fill("Peer mentors for teenagers leaving juvenile detention in Medellín")
    page.get_by_label("Country (ISO3)").fill("COL")
    page.get_by_label("Chapter").select_option("4")
    page.get_by_label("Target group").select_option("young_people")
    page.get_by_label("Description").fill(
        "Former detainees trained as mentors accompany adolescents released from juvenile custody for a year, "
        "linking them to school, work and drug treatment."
    )
    page.get_by_label("Evidence rating").select_option("unknown_effectiveness")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#practice-status")).to_have_text("submitted")
    practice_url = page.url

    page.context.clear_cookies()
    sign_in(page, base_url, accounts["focal"])
    page.goto(practice_url)
    page.get_by_label("Comment to the submitter").fill("Please add results.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator("#practice-status")).to_have_text("changes requested")

    page.context.clear_cookies()
    sign_in(page, base_url, accounts["provider"])
    page.goto(practice_url)
    page.get_by_role("link", name="Revise the practice").click()
    page.get_by_label("Results").fill("Two in three mentees were back in school after six months.")
    page.get_by_role("button", name="Send the revision").click()
    expect(page.locator("#practice-status")).to_have_text("submitted")

    page.context.clear_cookies()
    sign_in(page, base_url, accounts["focal"])
    page.goto(practice_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#practice-status")).to_have_text("published")
    expect(page.locator("#events li")).to_have_count(4)

    page.goto(base_url + "/search")
    page.get_by_label("Search for").fill("young people coming out of youth custody supported by mentoring")
    page.get_by_role("button", name="Search").click()
    first = page.locator("#hits li").first
    expect(first).to_contain_text("Peer mentors for teenagers")
    expect(first.locator("mark").first).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "policy-search.png", full_page=True)


def test_the_country_page_shows_status_workshops_practices_and_laws(page: Page, base_url: str) -> None:
    page.goto(base_url + "/policy/countries/USA")
    expect(page.get_by_role("heading", name="Status by chapter")).to_be_visible()
    expect(page.locator("#chapters tbody tr")).to_have_count(7)
    expect(page.get_by_role("heading", name="Laws")).to_be_visible()
    expect(page.get_by_text("Controlled Substances Act")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "policy-country.png", full_page=True)


def test_a_strategy_named_in_other_words_is_found_on_the_search_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/search")
    page.get_by_label("Search for").fill("drug strategy for the Indigenous peoples of Australia")
    page.get_by_label("Kind").select_option("strategy")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-mode")).to_contain_text("meaning and words (hybrid)")
    first = page.locator("#hits li").first
    expect(first).to_contain_text("National Aboriginal Torres Strait Islander Peoples Drug Strategy")
    expect(first).to_contain_text("AUS")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "policy-search-paraphrase.png", full_page=True)

    page.get_by_label("Ranking").select_option("fulltext")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-mode")).to_contain_text("words only (full text)")
    expect(page.locator("#hits li").first).not_to_contain_text("Torres Strait")
