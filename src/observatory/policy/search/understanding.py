"""What a query says besides its topic: the countries it names and the kinds of document it asks for.

"Algerian strategy against sexually transmitted infections and HIV" names Algeria and asks for strategies:
``understand`` answers ``Understood(countries=("DZA",), kinds=(Kind.STRATEGY,), ...)``, labelled
"Algeria · strategies". Search keeps to the documents of the countries named and ranks the kinds asked for first;
the user can undo both (``find(..., understand=False)``).

Countries are recognised by the words of ``reference.place_words`` (names, short and formal names, adjectives and
demonyms, six languages) and kinds by ``datasets/policy/kind_words.csv``. Words are compared folded (case,
diacritics), with the inflections each language puts on them: plural in English; feminine and plural in French
and Spanish; the case and gender endings of Russian; the article, clitics and nisba endings of Arabic (الجزائرية
is the adjective of الجزائر). Chinese, written without spaces, is matched by substring. At each position the
longest match wins ("Papua New Guinea" over "Guinea", 南苏丹 over 苏丹), and region phrases ("Latin American",
"Indian Ocean") are read as no country. A few names that are also common words are never taken as places
(``AMBIGUOUS``: Arabic مالي, Mali, also means "financial"; French "réunion", a meeting).
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from observatory.policy import vocabulary
from observatory.policy.search.documents import Kind
from observatory.policy.search.forms import forms, query_variants
from observatory.policy.search.languages import fold
from observatory.reference.place_words import WordKind, names, place_words

KIND_WORDS = vocabulary.POLICY_DATA / "kind_words.csv"
AMBIGUOUS = frozenset({("ar", "مالي"), ("fr", "reunion"), ("en", "reunion"), ("es", "reunion"), ("ar", "عمان")})
#: Phrases that name a region, read as no country.
REGIONS = (
    *(("en", f"{part} {word}") for part in ("latin", "south", "north", "central") for word in ("america", "american")),
    ("en", "indian ocean"),
    ("en", "american indian"),
    ("fr", "amerique latine"),
    ("fr", "latino americain"),
    ("fr", "amerique du nord"),
    ("fr", "amerique du sud"),
    ("es", "america latina"),
)
_WORD = re.compile(r"\w+")
_INFLECTED = (WordKind.DEMONYM, WordKind.ADJECTIVE)
_PLURALS = {
    Kind.STRATEGY: "strategies",
    Kind.PROGRAMME: "programmes",
    Kind.LAW: "laws",
    Kind.PRACTICE: "practices",
    Kind.CASE: "cases",
    Kind.RECOMMENDATION: "recommendations",
}


@dataclass(frozen=True, slots=True)
class Understood:
    #: ISO3 of the countries the query names, in the order named.
    countries: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    #: The query's words (casefolded) that named the countries: full text need not look for them.
    place_words: frozenset[str] = frozenset()
    #: The query's words (casefolded) that named the kinds.
    kind_words: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.countries or self.kinds)

    def as_json(self) -> dict[str, object]:
        return {"countries": list(self.countries), "kinds": [str(kind) for kind in self.kinds], "label": self.label}

    @property
    def label(self) -> str:
        """What was understood, for people: "Algeria · strategies"."""
        english = names("en")
        parts = [" and ".join(english.get(iso3, iso3) for iso3 in self.countries)] if self.countries else []
        parts += [" and ".join(_PLURALS[kind] for kind in self.kinds)] if self.kinds else []
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class _Entry:
    #: Each word's accepted forms, folded.
    words: tuple[frozenset[str], ...]
    #: ISO3 codes or kinds; empty for a region phrase.
    meaning: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    #: A first-word form → the entries starting with it, longest first.
    by_first: dict[str, tuple[_Entry, ...]]
    #: Chinese: folded text → meaning, longest text first.
    chinese: tuple[tuple[str, tuple[str, ...]], ...]


def understand(query: str) -> Understood:
    """The countries and kinds ``query`` names."""
    countries, place_tokens = _scan(_places(), query)
    kinds, kind_tokens = _scan(_kinds(), query)
    return Understood(
        tuple(dict.fromkeys(countries)),
        tuple(dict.fromkeys(Kind(kind) for kind in kinds)),
        frozenset(place_tokens),
        frozenset(kind_tokens),
    )


def _scan(lexicon: _Lexicon, query: str) -> tuple[list[str], list[str]]:
    """The meanings found in ``query``, and the query's words (casefolded) that carried them."""
    found: list[str] = []
    matched: list[str] = []
    folded_query = fold(query)
    for text, meaning in lexicon.chinese:
        if text in folded_query:
            found += meaning
            folded_query = folded_query.replace(text, " ")
    originals = _WORD.findall(query.casefold())
    tokens = [fold(word) for word in originals]
    position = 0
    while position < len(tokens):
        entry = _longest(lexicon, tokens, position)
        if entry is None:
            position += 1
            continue
        found += entry.meaning
        if entry.meaning:
            matched += originals[position : position + len(entry.words)]
        position += len(entry.words)
    return found, matched


def _longest(lexicon: _Lexicon, tokens: list[str], position: int) -> _Entry | None:
    for variant in query_variants(tokens[position]):
        for entry in lexicon.by_first.get(variant, ()):
            following = tokens[position + 1 : position + len(entry.words)]
            if len(following) == len(entry.words) - 1 and all(
                any(form in accepted for form in query_variants(token))
                for token, accepted in zip(following, entry.words[1:], strict=True)
            ):
                return entry
    return None


@cache
def _places() -> _Lexicon:
    rows = [(word.language, word.text, word.kind in _INFLECTED, (word.iso3,)) for word in place_words()]
    return _lexicon([*rows, *((language, text, False, ()) for language, text in REGIONS)])


@cache
def _kinds() -> _Lexicon:
    with KIND_WORDS.open(encoding="utf-8", newline="") as handle:
        rows = [(row["language"], row["text"], True, (row["kind"],)) for row in csv.DictReader(handle)]
    for row in rows:
        Kind(row[3][0])
    return _lexicon(rows)


def _lexicon(rows: Iterable[tuple[str, str, bool, tuple[str, ...]]]) -> _Lexicon:
    """Rows of (language, text, inflected, meaning); texts naming several meanings keep them all."""
    meanings: dict[tuple[str, str, bool], list[str]] = {}
    for language, text, inflected, meaning in rows:
        if (language, fold(text)) in AMBIGUOUS:
            continue
        merged = meanings.setdefault((language, text, inflected), [])
        merged += [m for m in meaning if m not in merged]
    by_first: dict[str, list[_Entry]] = {}
    chinese: dict[str, list[str]] = {}
    for (language, text, inflected), all_meant in meanings.items():
        if language == "zh":
            chinese.setdefault(fold(text), []).extend(all_meant)
            continue
        entry = _entry(language, text, inflected, tuple(all_meant))
        for form in entry.words[0] if entry.words else ():
            by_first.setdefault(form, []).append(entry)
    return _Lexicon(
        {form: tuple(sorted(_dedupe(entries), key=lambda e: -len(e.words))) for form, entries in by_first.items()},
        tuple(sorted(((text, tuple(m)) for text, m in chinese.items()), key=lambda item: -len(item[0]))),
    )


def _entry(language: str, text: str, inflected: bool, meaning: tuple[str, ...]) -> _Entry:
    return _Entry(tuple(forms(language, word, inflected) for word in _WORD.findall(fold(text))), meaning)


def _dedupe(entries: list[_Entry]) -> Iterator[_Entry]:
    seen: set[int] = set()
    for entry in entries:
        if id(entry) not in seen:
            seen.add(id(entry))
            yield entry
