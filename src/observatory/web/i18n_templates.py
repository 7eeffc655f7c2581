"""The templates speak the request's language: ``{{ _("…") }}``, ``{% trans %}``, ``pgettext`` and plurals
(Jinja2's i18n extension, new-style gettext), and numbers and dates by locale (``| number``, ``| percent``,
``| day``). ``html_lang()`` and ``html_dir()`` give the document's language and direction."""

from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from observatory.i18n import (
    ENDONYMS,
    RIGHT_TO_LEFT,
    current_language,
    day,
    gettext,
    ngettext,
    npgettext,
    number,
    percent,
    pgettext,
)
from observatory.reference.content_labels import Label, content_label
from observatory.reference.place_words import names
from observatory.web.labels import several_countries, status_label
from observatory.web.language import request_choice


def install_i18n(environment: Environment) -> None:
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    environment.globals.update(
        html_lang=current_language,
        html_dir=lambda: "rtl" if current_language() in RIGHT_TO_LEFT else "ltr",
        languages=ENDONYMS,
        language_choice=_language_choice,
        content=content,
        country=country,
        status_label=status_label,
        several_countries=several_countries,
    )
    environment.filters.update(number=number, percent=percent, day=day)


def content(kind: str, key: str, english: str) -> Markup:
    """A name translated as content (``reference.content_labels``); an English fallback is marked ``lang="en"``."""
    return _marked(content_label(kind, key, english, current_language()))


def country(iso3: str, english: str) -> Markup:
    """A country's M49 name in the request's language; ``english`` (marked ``lang="en"``) where it has none."""
    language = current_language()
    found = names(language).get(iso3) if language != "en" else None
    return _marked(Label(found, language, False) if found else Label(english, "en", language != "en"))


def _marked(label: Label) -> Markup:
    """A name in its own ``lang``: the page can tell content (and English fallbacks) from its messages."""
    if label.fallback:
        return Markup('<span lang="en" class="fallback">{}</span>').format(label.text)
    return Markup('<span lang="{}">{}</span>').format(label.language, label.text)


def _language_choice(request: Any) -> Any:
    return request_choice(request.scope)
