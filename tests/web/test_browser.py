"""The seizures page in a real headless Chromium (Debian's), driven by Playwright."""

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from observatory.settings import Settings
from observatory.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(demo_settings: Settings) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(demo_settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_the_overview_draws_a_chart_per_drug_group_with_its_numbers_a_click_away(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug seizures")
    panels = page.locator("#chart-by-group figure.panel")
    expect(panels).to_have_count(11)
    expect(panels.first.locator("rect.bar")).to_have_count(5)
    table = page.locator("#seizures-by-group")
    expect(table).to_be_hidden()
    page.get_by_text("Show the numbers").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(11)
    expect(page.locator("#seizures-by-region tbody tr")).to_have_count(5)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "seizures-overview.png", full_page=True)


def test_choosing_a_drug_group_by_keyboard_filters_the_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    select = page.get_by_label("Drug group", exact=True)
    select.focus()
    select.select_option("Cocaine-type")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug seizures: Cocaine-type")
    expect(page.locator("#chart-by-group figure.panel")).to_have_count(1)
    assert "drug_group=Cocaine-type" in page.url


def test_a_bad_filter_shows_an_error_page(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/?drug_group=Cocaine")
    assert response is not None and response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("unknown drug_group 'Cocaine'")
