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
from observatory.reference.content_labels import content_label
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
        status_label=status_label,
        several_countries=several_countries,
    )
    environment.filters.update(number=number, percent=percent, day=day)


def content(kind: str, key: str, english: str) -> Markup:
    """A name translated as content (``reference.content_labels``); an English fallback is marked ``lang="en"``."""
    found = content_label(kind, key, english, current_language())
    if found.fallback and current_language() != "en":
        return Markup('<span lang="en" class="fallback">{}</span>').format(found.text)
    return Markup("{}").format(found.text)


def _language_choice(request: Any) -> Any:
    return request_choice(request.scope)
