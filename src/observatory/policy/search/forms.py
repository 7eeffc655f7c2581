"""The inflected forms of a place or kind word, and the readings of a query word, for ``understanding``.

Words are folded (``languages.fold``) before they come here, so Russian й is и and Arabic hamza forms are ا.
English adds a plural; French and Spanish adjectives their feminine and plural; Russian nouns and adjectives
their case and gender endings (by the word's own ending); Arabic words lose the article, and take the nisba and
its feminine and plural (جزائر → جزائري, جزائرية). A query word in Arabic is read with and without its leading
conjunction or preposition (و ف ب ل ك) and article.
"""

from functools import cache

_RU_ADJECTIVE = ("ии", "ыи", "ои", "ая", "ое", "ые", "ие", "яя")
_RU_ADJECTIVE_ENDINGS = tuple(
    str.split("ии ыи ои ая яя ое ее ые ие ого его ому ему ым им ом ем еи ую юю ых их ыми ими ою ею")
)
#: Noun ending → (letters to drop, endings to add).
_RU_NOUN = (
    ("ия", 1, ("я", "и", "ю", "еи", "ею")),
    ("а", 1, ("а", "ы", "и", "е", "у", "ои", "ою")),
    ("я", 1, ("я", "и", "е", "ю", "еи")),
    ("ь", 1, ("ь", "и", "ю", "ем", "е")),
    ("ы", 1, ("ы", "ов", "ам", "ах", "ами")),
)
_RU_INDECLINABLE = ("о", "и", "е", "у", "ю")
_AR_CLITICS = ("و", "ف", "ب", "ل", "ك")


@cache
def forms(language: str, word: str, inflected: bool) -> frozenset[str]:
    """The forms of ``word`` (folded) accepted in a query; ``inflected`` for adjectives and the like, whose
    feminine and plural exist in French and Spanish."""
    if language == "en":
        return frozenset({word, word + "s"})
    if language == "fr":
        return _french(word) if inflected else frozenset({word})
    if language == "es":
        return _spanish(word) if inflected else frozenset({word})
    if language == "ru":
        return _russian(word)
    if language == "ar":
        return _arabic(word)
    return frozenset({word})


def _french(word: str) -> frozenset[str]:
    found = {word, word + "s", word + "e", word + "es"}
    if word.endswith("en"):
        found |= {word + "ne", word + "nes"}
    return frozenset(found)


def _spanish(word: str) -> frozenset[str]:
    if word.endswith("o"):
        return frozenset(word[:-1] + ending for ending in ("o", "a", "os", "as"))
    if word.endswith(("e", "a")):
        return frozenset({word, word + "s"})
    return frozenset({word, word + "a", word + "as", word + "es"})


def _russian(word: str) -> frozenset[str]:
    if len(word) > 4 and word.endswith(_RU_ADJECTIVE):
        return frozenset(word[:-2] + ending for ending in _RU_ADJECTIVE_ENDINGS)
    for ending, drop, endings in _RU_NOUN:
        if word.endswith(ending):
            return frozenset(word[:-drop] + added for added in endings)
    if word.endswith(_RU_INDECLINABLE):
        return frozenset({word})
    return frozenset(word + ending for ending in ("", "а", "у", "е", "ом", "ем"))


def _arabic(word: str) -> frozenset[str]:
    bare = _without_article(word)
    if bare.endswith("ي"):
        return frozenset(bare + ending for ending in ("", "ة", "ه", "ين", "ون", "ات"))
    return frozenset({bare, bare + "ي", bare + "ية", bare + "يه"})


def query_variants(token: str) -> tuple[str, ...]:
    """The readings of a query word (folded): itself, and for Arabic without its clitic and article."""
    if not token or not "\u0600" <= token[0] <= "\u06ff":
        return (token,)
    readings = [token, _without_article(token)]
    if token.startswith("لل") and len(token) > 4:
        readings.append(token[2:])
    if token.startswith(_AR_CLITICS) and len(token) > 3:
        readings += [token[1:], _without_article(token[1:])]
    return tuple(dict.fromkeys(readings))


def _without_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word
