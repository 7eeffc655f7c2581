"""In Chromium: a signed-in provider chooses French and turns reminders off on the preferences page; the page then
speaks French, the account keeps the choice, and an unknown language sent by a tampered form is refused."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from observatory.access.policy import Principal, Role
from observatory.access.preferences import preferences_of
from observatory.access.users import create_user
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
ADMIN = Principal("root", Role.ADMIN)


def test_choose_french_and_turn_reminders_off(page: Page, base_url: str, demo_settings: Settings) -> None:
    username = f"kofi-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.PROVIDER, ["GHA"], email=f"{username}@example.org")
    try:
        page.goto(base_url + "/login")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(base_url + "/account/tokens")
        page.get_by_role("link", name="Language and mails").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your preferences")
        expect(page.locator("#mail-deadline")).to_be_checked()
        page.get_by_role("combobox", name="Language").select_option("fr")
        page.get_by_label("Reminders: reporting rounds closing, queries due or overdue").uncheck()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.locator("#saved")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("#language")).to_have_value("fr")
        expect(page.locator("#mail-deadline")).not_to_be_checked()
        expect(page.locator("#mail-query")).to_be_checked()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "account-preferences-fr.png"), full_page=True)
        chosen = preferences_of(engine, ADMIN, username)
        assert (chosen.language, chosen.mail_off) == ("fr", ("deadline",))
        # A form changed in the browser to send a language that is not offered: refused, naming it.
        page.locator("#language").evaluate("select => { select.options[1].value = 'tlh'; select.value = 'tlh'; }")
        page.locator("form.stacked button[type=submit]").click()
        expect(page.get_by_role("alert")).to_contain_text("'tlh'")
        assert preferences_of(engine, ADMIN, username).language == "fr"
    finally:
        engine.dispose()
