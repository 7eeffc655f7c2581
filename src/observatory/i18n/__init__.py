"""The six UN languages: choosing one per request, message catalogues, and numbers and dates by locale.

    from observatory.i18n import gettext as _, speaking, number

    with speaking("fr"):
        _("Annual drug seizures")      # from locale/fr/LC_MESSAGES/messages.po
        number(1234567.5, 1)           # "1 234 567,5" (U+202F between groups)

Error codes never change with the language; messages do. Web requests set the language through
``web.language.Language`` (a ContextVar per request); commands and mails use ``speaking``.
"""

from observatory.i18n.catalogues import (
    N_,
    current_language,
    gettext,
    ngettext,
    npgettext,
    pgettext,
    reset_language,
    set_language,
    speaking,
)
from observatory.i18n.formatting import day, number, percent
from observatory.i18n.languages import (
    COOKIE,
    DEFAULT,
    ENDONYMS,
    LANGUAGES,
    RIGHT_TO_LEFT,
    Choice,
    choose,
    from_accept_language,
    offered,
)

__all__ = [
    "COOKIE",
    "DEFAULT",
    "ENDONYMS",
    "LANGUAGES",
    "N_",
    "RIGHT_TO_LEFT",
    "Choice",
    "choose",
    "current_language",
    "day",
    "from_accept_language",
    "gettext",
    "ngettext",
    "npgettext",
    "number",
    "offered",
    "percent",
    "pgettext",
    "reset_language",
    "set_language",
    "speaking",
]
