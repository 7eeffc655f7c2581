"""A pseudo-locale run of every page: each message of the catalogue becomes ⟦message⟧, the pages of an empty store
are rendered in it, and every visible text node must show the brackets. Text that is not a message (a data value,
a code, a name in a list) is not what this run checks: the store is empty, and option lists, code and names
marked as English content fallbacks are left out. A string hard-coded in a template or in Python shows here."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from observatory.demo import initialise
from observatory.i18n import catalogues
from observatory.settings import Settings
from observatory.web.app import ROUTERS, create_app

LETTERS = re.compile(r"[^\W\d_]{2,}")
#: Codes shown as data: ISO3 country codes, ATC-like and unit codes in capitals.
CODE = re.compile(r"[A-Z0-9]{2,4}")
#: Elements whose text is data or code, not a message: option lists, code, preformatted text.
SKIPPED = {"script", "style", "option", "code", "pre", "textarea", "title"}


def pseudo_catalogue() -> catalogues.Catalogue:
    with (catalogues.LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if message.context:
            key = f"{message.context}{catalogues.CONTEXT_SEPARATOR}{key}"
        if isinstance(message.id, tuple | list):
            messages[key] = tuple(f"⟦{form}⟧" for form in message.id)
        else:
            messages[key] = f"⟦{message.id}⟧"
    return catalogues.Catalogue(messages, lambda n: int(n != 1))


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            return
        language = dict(attrs).get("lang")
        # An element with its own lang attribute holds content (a name, a language's endonym), not a message.
        self.stack.append((tag, language is not None and tag != "html"))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(tag in SKIPPED or english for tag, english in self.stack):
            return
        if LETTERS.search(data) and not CODE.fullmatch(data.strip()) and "⟦" not in data and "⟧" not in data:
            self.found.append(" ".join(data.split()))


def pages() -> Iterator[str]:
    for router in ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
                continue
            path = route.path
            if "{" not in path and not path.startswith("/api/") and not path.endswith((".pdf", ".csv", ".svg")):
                yield path


@pytest.fixture(scope="module")
def empty_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(var_dir=Path(tmp_path_factory.mktemp("pseudo")))
    initialise(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_every_page_shows_only_messages_in_the_pseudo_locale(
    empty_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    pseudo = pseudo_catalogue()
    monkeypatch.setattr(catalogues, "catalogue", lambda _language: pseudo)
    untranslated: dict[str, list[str]] = {}
    for path in sorted(set(pages())):
        response = empty_client.get(path, params={"lang": "fr"}, headers={"accept": "text/html"})
        assert response.status_code < 500, (path, response.status_code)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.text)
        if parser.found:
            untranslated[path] = sorted(set(parser.found))[:8]
    assert untranslated == {}
