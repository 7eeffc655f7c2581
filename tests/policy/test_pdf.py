"""PDF through the machine's Chromium; without Chromium or without Playwright (the ``pdf`` extra) it is a 503
``pdf-unavailable`` that says what to install, never a traceback."""

import shutil
import sys

import pytest

from observatory.policy import pdf
from observatory.policy.pdf import PdfUnavailable, html_to_pdf

PAGE = "<html><body><h1>Report</h1></body></html>"


def test_without_chromium_it_is_pdf_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(PdfUnavailable, match="apt-get install chromium") as raised:
        html_to_pdf(PAGE)
    assert (raised.value.status, raised.value.code) == (503, "pdf-unavailable")


def test_without_playwright_it_names_the_pdf_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: "/usr/bin/chromium")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(PdfUnavailable, match=r"pip install -e '\.\[pdf\]'"):
        html_to_pdf(PAGE)


@pytest.mark.skipif(not any(map(shutil.which, pdf.CHROMIUM_NAMES)), reason="needs Chromium (make pdf-deps)")
def test_a_page_prints_to_pdf() -> None:
    assert html_to_pdf(PAGE).startswith(b"%PDF")
