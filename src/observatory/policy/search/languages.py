"""The language of a query, and the words of each of the six UN languages that full text leaves out.

A query's language is its script's (Arabic, Cyrillic, Chinese) or, in Latin script, the one of English, French
and Spanish whose common words it uses most (English on a tie). Full text leaves out the common words of English
and of the query's language, so that "programme pour les adolescents" never ranks by "pour" and "les". The
documents are English; their index keeps English stemming (``index``), and a query in another language is
matched by its content words and by meaning.
"""

import re
import unicodedata

from observatory.policy.search.query import STOP_WORDS as ENGLISH


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FRENCH = _words(
    "a à au aux avec ce ces cet cette comme d dans de des du elle elles en est et été être il ils je l la le les "
    "leur leurs lui mais me même ne nous on ont ou où par pas plus pour qu que quel quelle quels qui quoi sa sans "
    "se ses son sont sur ta te tes ton tu un une vos votre vous y"
)
SPANISH = _words(
    "a al como con cual cuál cómo de del e el en entre es esa ese esta este estas estos ha han la las le les lo "
    "los más mas o para pero por qué que se sin sobre son su sus un una unas unos y"
)
RUSSIAN = _words(
    "а без бы в во вы да для до его ее её же за и из или их к как ко ли мы на над не нет но о об от по под при "
    "с со так то только у что чтобы это эта эти этот я"
)
ARABIC = _words("في من على إلى الى عن مع و أو او ثم هذا هذه ذلك التي الذي الذين ما لا أن ان إن كان هو هي بين كل قد")
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "ru": RUSSIAN,
    "ar": ARABIC,
    "zh": frozenset(),
}
_WORD = re.compile(r"\w+")
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff]")), ("ru", re.compile(r"[\u0400-\u04ff]")))
_CHINESE = re.compile(r"[\u3400-\u9fff]")
_LATIN = ("en", "fr", "es")


def detect(text: str) -> str:
    """The language code of ``text``: ar, en, es, fr, ru or zh."""
    if _CHINESE.search(text):
        return "zh"
    for language, script in _SCRIPTS:
        if script.search(text):
            return language
    words = _WORD.findall(text.casefold())
    hits = {language: sum(word in STOP_WORDS[language] for word in words) for language in _LATIN}
    best = max(_LATIN, key=lambda language: (hits[language], language == "en"))
    return best if hits[best] > hits["en"] else "en"


def ignored_words(language: str) -> frozenset[str]:
    """The words full text leaves out of a query in ``language``: its common words and English's."""
    return ENGLISH | STOP_WORDS.get(language, frozenset())


def fold(text: str) -> str:
    """``text`` compared loosely: case and diacritics dropped, Arabic letter variants made one."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return bare.translate(_ARABIC_VARIANTS)


_ARABIC_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ـ": None})
