"""The six UN languages, and which one a request is answered in.

Order of precedence: ``?lang=`` (then remembered in a cookie) > the signed-in user's choice (kept in the session) >
``Accept-Language`` (negotiated on the primary subtag: ``ar-EG`` → ar, ``zh-TW`` → zh) > English. An unknown code
falls back to English, and the page says so; it is never an error.
"""

from dataclasses import dataclass

DEFAULT = "en"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
RIGHT_TO_LEFT = frozenset({"ar"})
#: Each language's name in itself, for the switcher (UNTERM's names of the official languages).
ENDONYMS = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
#: Babel's locale for each language (Chinese: Simplified, as the UN writes it).
LOCALES = {"ar": "ar", "zh": "zh_Hans_CN", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
COOKIE = "lang"


@dataclass(frozen=True, slots=True)
class Choice:
    """The language chosen, where the choice came from, and the code asked for that is not offered, if any."""

    language: str
    source: str
    unknown: str | None = None

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"


def offered(code: str | None) -> str | None:
    """The offered language ``code`` names (``fr``, ``fr-CA``, ``zh-Hant`` → fr, fr, zh), if any."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].casefold()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The best offered language of an ``Accept-Language`` header (q-values honoured; ``*`` ignored)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = offered(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def choose(query: str | None, cookie: str | None, profile: str | None, accept_language: str | None) -> Choice:
    if query:
        language = offered(query)
        return Choice(language, "query") if language else Choice(DEFAULT, "default", unknown=query[:35])
    for source, value in (("cookie", cookie), ("profile", profile)):
        language = offered(value)
        if language:
            return Choice(language, source)
    negotiated = from_accept_language(accept_language)
    return Choice(negotiated, "accept-language") if negotiated else Choice(DEFAULT, "default")
