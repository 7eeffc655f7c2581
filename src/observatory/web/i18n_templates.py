"""The templates speak the request's language: ``{{ _("…") }}``, ``{% trans %}``, ``pgettext`` and plurals
(Jinja2's i18n extension, new-style gettext), and numbers and dates by locale (``| number``, ``| percent``,
``| day``). ``html_lang()`` and ``html_dir()`` give the document's language and direction."""

from typing import Any

from jinja2 import Environment

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
    )
    environment.filters.update(number=number, percent=percent, day=day)


def _language_choice(request: Any) -> Any:
    return request_choice(request.scope)
