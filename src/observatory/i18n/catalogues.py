"""Message catalogues and the language of the current request.

The language is held per request in a ``ContextVar`` (set by ``web.language.Language`` or a CLI command), never in
global state, so requests answered at the same time in different languages never leak into each other.
Catalogues are the ``.po`` files under ``observatory/locale/<language>/LC_MESSAGES/messages.po``, read once with
Babel (no compiled ``.mo`` to keep in step); a message a catalogue lacks is English.
"""

import gettext as _gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from observatory.i18n.languages import DEFAULT, LANGUAGES, LOCALES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
_language: ContextVar[str] = ContextVar("language", default=DEFAULT)
#: gettext's separator between a message's context and its id.
CONTEXT_SEPARATOR = "\x04"
Plural = tuple[str, ...]


def current_language() -> str:
    return _language.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, messages are in ``language`` (for a command, a mail, a PDF in another language)."""
    token = _language.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


def set_language(language: str) -> Token[str]:
    """Set the language for the rest of this context (a request); returns the token ``reset_language`` takes."""
    return _language.set(language if language in LANGUAGES else DEFAULT)


def reset_language(token: Token[str]) -> None:
    _language.reset(token)


@dataclass(frozen=True, slots=True)
class Catalogue:
    messages: dict[str, str | Plural]
    #: The catalogue's ``Plural-Forms`` expression: which msgstr[i] a count takes.
    plural: Callable[[int], int]


@cache
def catalogue(language: str) -> Catalogue:
    """Translated messages of ``language`` by id (``context\\x04id`` for a message with a context)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT or not path.is_file():
        return Catalogue({}, lambda n: int(n != 1))
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=LOCALES[language])
    found: dict[str, str | Plural] = {}
    for message in parsed:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if message.context:
            key = f"{message.context}{CONTEXT_SEPARATOR}{key}"
        if isinstance(message.string, tuple | list):
            if all(message.string):
                found[key] = tuple(message.string)
        elif message.string:
            found[key] = message.string
    return Catalogue(found, _gettext.c2py(parsed.plural_expr))


def N_(message: str) -> str:
    """Marks a message kept in data (a label of an enumeration) for extraction; ``gettext`` translates it where
    it is shown."""
    return message


def gettext(message: str) -> str:
    found = catalogue(current_language()).messages.get(message)
    return found if isinstance(found, str) else message


def pgettext(context: str, message: str) -> str:
    found = catalogue(current_language()).messages.get(f"{context}{CONTEXT_SEPARATOR}{message}")
    return found if isinstance(found, str) else message


def ngettext(singular: str, plural: str, count: int) -> str:
    book = catalogue(current_language())
    found = book.messages.get(singular)
    if isinstance(found, tuple):
        return found[min(book.plural(count), len(found) - 1)]
    return singular if count == 1 else plural


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    book = catalogue(current_language())
    found = book.messages.get(f"{context}{CONTEXT_SEPARATOR}{singular}")
    if isinstance(found, tuple):
        return found[min(book.plural(count), len(found) - 1)]
    return singular if count == 1 else plural
