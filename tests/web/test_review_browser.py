"""An analyst signs in, opens a high-priority query on a submission from the form, sees its thread, finds it in the
inbox (``/review``) filtered by status, replies internally and resolves it."""

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.schema import Submission

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def analyst(demo_settings: Settings) -> tuple[str, int]:
    """An analyst account (not a regional reviewer: the demo store is shared, and a WENDU reviewer account would make
    WENDU's regional review the approval of Ghana's submissions for the other browser tests) and a submission."""
    username = f"ines-{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_settings.records_url)
    create_user(engine, username, PASSWORD, Role.ANALYST, email=f"{username}@example.org")
    with engine.connect() as connection:
        submission = connection.scalar(select(Submission.id).order_by(Submission.id).limit(1))
    engine.dispose()
    assert submission is not None
    return username, submission


def test_open_a_query_find_it_in_the_inbox_and_resolve_it(page: Page, base_url: str, analyst: tuple[str, int]) -> None:
    username, submission = analyst
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base_url}/review/new?submission={submission}")
    page.get_by_label("Question").fill("Is the 2021 total in tonnes?")
    page.get_by_label("Priority (high holds approval)").select_option("high")
    page.get_by_role("button", name="Open the query").click()
    expect(page.locator("#status")).to_have_text("open")
    expect(page.locator("#priority")).to_have_text("high")
    query_url = page.url
    page.goto(base_url + "/review?status=open&assigned_to_me=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queries")
    row = page.locator("#queries tbody tr").filter(has_text=str(submission)).first
    expect(row).to_contain_text("high")
    row.get_by_role("link").first.click()
    assert page.url == query_url
    page.get_by_label("Message").fill("checking with the focal point first")
    page.get_by_label("Internal (reviewers and analysts only)").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message.internal")).to_contain_text("checking with the focal point first")
    page.get_by_label("Resolution").select_option("explained")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#status")).to_have_text("resolved (explained)")
    page.goto(base_url + "/review?status=open&assigned_to_me=1")
    expect(page.locator("#queries tbody tr").filter(has_text="high")).to_have_count(0)
