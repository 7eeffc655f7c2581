"""HTML to PDF with the headless Chromium of the machine (Debian's ``chromium``) driven by Playwright.

Chosen over WeasyPrint: the test suite already needs Chromium and Playwright, Chromium prints the report's
inline SVG charts exactly as the browser shows them, and nothing is downloaded at run time.

Both are optional: Playwright is the ``pdf`` extra and Chromium a Debian package (``make pdf-deps``); ``make demo``
installs them. Without either, a PDF request answers 503 ``pdf-unavailable`` and the HTML report still works.
"""

import shutil
from typing import ClassVar

from observatory.errors import ObservatoryError

CHROMIUM_NAMES = ("chromium", "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class PdfUnavailable(ObservatoryError):
    status: ClassVar[int] = 503
    code: ClassVar[str] = "pdf-unavailable"


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(
        "PDF needs a Chromium browser on the server (Debian: apt-get install chromium, or make pdf-deps); HTML works"
    )


def html_to_pdf(html: str) -> bytes:
    """The page ``html`` (self-contained: inline styles and images) printed on A4, backgrounds included."""
    executable = chromium_path()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        raise PdfUnavailable(
            "PDF needs the Python package playwright (the pdf extra: pip install -e '.[pdf]', as make demo does); "
            "HTML works"
        ) from error
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
            try:
                page = browser.new_page()
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, margin={"top": "15mm", "bottom": "15mm"})
            finally:
                browser.close()
    except Error as error:
        raise PdfUnavailable(f"Chromium could not print the report: {error.message}") from error
