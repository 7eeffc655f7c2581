"""Words that name a country in the six UN languages: its names, short and formal names, and the adjectives and
demonyms people write ("Algerian", "algérienne", "алжирская"), kept in ``datasets/reference/place_words.csv``.

Columns: ``iso3``, ``language`` (ar, en, es, fr, ru, zh), ``kind`` (name | short | formal | demonym | adjective),
``text``, ``source``. Names come from the UNSD M49 overview in each language (``unsd-m49``) and UNTERM's short and
formal names of Member States (``unterm``); adjectives, demonyms and common short names no list carries
("Russia", "Vietnam") are written by the project (``observatory``), masculine singular, for the countries of the
policy knowledge base: inflected forms are the reader's business (``policy.search.understanding``).

``rebuild`` makes the file again from the source folder (SOURCES.md, country names in the six UN languages),
keeping the rows written by the project.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.errors import SourceFileError

PLACE_WORDS = DATASETS / "reference" / "place_words.csv"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
COLUMNS = ("iso3", "language", "kind", "text", "source")
M49, UNTERM, OURS = "unsd-m49", "unterm", "observatory"
#: M49 file suffix → language code.
_M49_FILES = {"ar": "ar", "cn": "zh", "en": "en", "es": "es", "fr": "fr", "ru": "ru"}
#: UNTERM column language → language code.
_UNTERM_LANGUAGES = {"French": "fr", "Spanish": "es", "Russian": "ru", "Chinese": "zh", "Arabic": "ar"}
#: UNTERM English short names that are not the M49 English name of the same ISO3.
_UNTERM_ALIASES = {"Turkey": "TUR", "Netherlands": "NLD", "Côte d'Ivoire": "CIV", "Czech Republic": "CZE"}
_ARTICLE_SUFFIX = re.compile(r"\s*\((?:the|l'|le|la|les|el|los|las)\)\s*$", re.IGNORECASE)
_ARTICLE_PREFIX = re.compile(r"^(?:the|la|le|les|el|los|las)\s+|^l['’]", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


class WordKind(StrEnum):
    NAME = "name"
    SHORT = "short"
    FORMAL = "formal"
    DEMONYM = "demonym"
    ADJECTIVE = "adjective"


@dataclass(frozen=True, slots=True)
class PlaceWord:
    iso3: str
    language: str
    kind: WordKind
    text: str
    source: str


@cache
def place_words(path: Path = PLACE_WORDS) -> tuple[PlaceWord, ...]:
    """Every row of the file, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_row(path, number, row) for number, row in enumerate(csv.DictReader(handle), start=2))


@cache
def names(language: str, path: Path = PLACE_WORDS) -> dict[str, str]:
    """ISO3 → the country's name in ``language`` (the M49 name), for labels."""
    found: dict[str, str] = {}
    for word in place_words(path):
        if word.language == language and word.kind is WordKind.NAME:
            found.setdefault(word.iso3, word.text)
    return found


def _row(path: Path, number: int, row: dict[str, str]) -> PlaceWord:
    def problem(column: str, reason: str) -> SourceFileError:
        detail = {"file": path.name, "row": number, "column": column, "value": row.get(column), "reason": reason}
        return SourceFileError(f"{path.name} row {number}, column {column}: {reason}", [detail])

    if not re.fullmatch(r"[A-Z]{3}", row["iso3"] or ""):
        raise problem("iso3", "expected three capital letters")
    if row["language"] not in LANGUAGES:
        raise problem("language", f"expected one of {', '.join(LANGUAGES)}")
    if row["kind"] not in set(WordKind):
        raise problem("kind", f"expected one of {', '.join(WordKind)}")
    if not (row["text"] or "").strip():
        raise problem("text", "empty")
    return PlaceWord(row["iso3"], row["language"], WordKind(row["kind"]), row["text"].strip(), row["source"])


def rebuild(sources: Path, path: Path = PLACE_WORDS) -> int:
    """Write ``path`` again from the M49 and UNTERM files in ``sources``, keeping the project's own rows; the
    number of rows written."""
    kept = [word for word in place_words.__wrapped__(path) if word.source not in (M49, UNTERM)]
    rows = _unique([*from_m49(sources), *from_unterm(sources), *kept])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows((w.iso3, w.language, w.kind, w.text, w.source) for w in rows)
    place_words.cache_clear()
    return len(rows)


def from_m49(sources: Path) -> Iterator[PlaceWord]:
    """Names of the M49 overview in each language, and the name before a closing parenthesis as a short name
    ("Bolivia (Plurinational State of)" → "Bolivia")."""
    for suffix, language in _M49_FILES.items():
        with (sources / f"unsd_m49_{suffix}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                iso3, name = row["ISO-alpha3 Code"].strip(), row["Country or Area"].strip()
                if not iso3 or not name:
                    continue
                yield PlaceWord(iso3, language, WordKind.NAME, name, M49)
                bare = _PARENTHESIS.sub("", name)
                if bare != name and bare:
                    yield PlaceWord(iso3, language, WordKind.SHORT, bare, M49)


def from_unterm(sources: Path) -> Iterator[PlaceWord]:
    """UNTERM short and formal names, joined to ISO3 on the English short name, without footnote asterisks or
    articles ("Afghanistan (l')" → "Afghanistan", "the Republic of Albania" → "Republic of Albania")."""
    english = {w.text: w.iso3 for w in from_m49(sources) if w.language == "en"} | _UNTERM_ALIASES
    with (sources / "unterm_names_6lang.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            short_en = _short(row["official_name_en"])
            iso3 = english.get(short_en)
            if iso3 is None:
                continue
            yield PlaceWord(iso3, "en", WordKind.SHORT, short_en, UNTERM)
            yield PlaceWord(iso3, "en", WordKind.FORMAL, _formal(row["UNTERM English Formal"]), UNTERM)
            for column, language in _UNTERM_LANGUAGES.items():
                yield PlaceWord(iso3, language, WordKind.SHORT, _short(row[f"UNTERM {column} Short"]), UNTERM)
                yield PlaceWord(iso3, language, WordKind.FORMAL, _formal(row[f"UNTERM {column} Formal"]), UNTERM)


def _short(text: str) -> str:
    return _ARTICLE_SUFFIX.sub("", text.replace("*", "").strip()).strip()


def _formal(text: str) -> str:
    return _ARTICLE_PREFIX.sub("", text.replace("*", "").strip()).strip()


def _unique(words: Iterable[PlaceWord]) -> list[PlaceWord]:
    """The first row of each (iso3, language, text), sorted by country, language, kind and text."""
    seen: dict[tuple[str, str, str], PlaceWord] = {}
    for word in words:
        if word.text:
            seen.setdefault((word.iso3, word.language, word.text.casefold()), word)
    order = list(WordKind)
    return sorted(seen.values(), key=lambda w: (w.iso3, w.language, order.index(w.kind), w.text))
