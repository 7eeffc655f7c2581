"""Spellings of country and territory names, and the index that maps each spelling to a code.

A spelling is compared after ``normalise``: case, diacritics, punctuation and runs of whitespace are ignored, so
"Türkiye", "TURKIYE" and " turkiye " are one key, as are "Korea (Republic of)" and "Korea, Republic of".
Nothing is matched approximately: a key is either in the index or the lookup fails, and the closest keys are
offered only as suggestions in the error (``pycountry``'s fuzzy search is not used: it maps "Republic of Korea"
to PRK and "Kosovo" to SRB).

Spellings come from ISO codes, M49 names, ``country_aliases.csv`` (alias, iso3, note, extent: names real source
files use that no standard list has, such as "China, Hong Kong SAR", World Bank names like "Korea, Rep.", and
sub-national reporting units like "Iraq (Central Iraq)" with extent ``subnational``), the historical entities, and
the ISO 3166 names ``pycountry`` ships.
"""

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

import pycountry

from observatory.datasets import DATASETS

COUNTRY_ALIASES = DATASETS / "reference" / "country_aliases.csv"
_NOT_WORD = re.compile(r"[\W_]+")


class Extent(StrEnum):
    """How much of the place a spelling stands for."""

    NATIONAL = "national"
    SUBNATIONAL = "subnational"
    CROSS_BORDER = "cross-border"


class Via(StrEnum):
    """Which list a spelling comes from."""

    ISO3 = "iso3 code"
    ISO2 = "iso2 code"
    M49_NAME = "m49 name"
    ALIAS = "alias"
    HISTORICAL_NAME = "historical name"
    ISO_NAME = "iso 3166 name"


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way of writing a place's name or code, with the years it may be used for (``None``: open)."""

    text: str
    code: str
    via: Via
    note: str = ""
    extent: Extent = Extent.NATIONAL
    valid_from: int | None = None
    valid_to: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    spelling: str
    score: float


@dataclass(slots=True)
class NameIndex:
    """Normalised spelling → ``Spelling``; the first spelling added for a key wins, later clashes are kept."""

    entries: dict[str, Spelling] = field(default_factory=dict)
    clashes: list[tuple[Spelling, Spelling]] = field(default_factory=list)

    def add(self, spelling: Spelling) -> None:
        key = normalise(spelling.text)
        if not key:
            return
        held = self.entries.setdefault(key, spelling)
        if held is not spelling and held.code != spelling.code:
            self.clashes.append((held, spelling))

    def extend(self, spellings: Iterable[Spelling]) -> None:
        for spelling in spellings:
            self.add(spelling)

    def find(self, text: str) -> Spelling | None:
        return self.entries.get(normalise(text))

    def closest(self, text: str, count: int = 3) -> list[Candidate]:
        """The ``count`` codes whose best spelling is most similar to ``text`` (one candidate per code)."""
        key = normalise(text)
        best: dict[str, Candidate] = {}
        for other, spelling in self.entries.items():
            if spelling.via in (Via.ISO3, Via.ISO2):
                continue
            score = SequenceMatcher(None, key, other).ratio()
            held = best.get(spelling.code)
            if held is None or score > held.score:
                best[spelling.code] = Candidate(spelling.code, spelling.text, round(score, 3))
        return sorted(best.values(), key=lambda candidate: (-candidate.score, candidate.code))[:count]


def normalise(text: str) -> str:
    """Lower-case words without diacritics, separated by single spaces: "Côte d’Ivoire " → "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold().replace("&", " and ")).split())


def alias_spellings() -> Iterator[Spelling]:
    """The spellings of ``country_aliases.csv``: names that real source files use and no standard list has."""
    with COUNTRY_ALIASES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield Spelling(row["alias"], row["iso3"], Via.ALIAS, row["note"], Extent(row["extent"] or Extent.NATIONAL))


def iso_spellings(codes: frozenset[str]) -> Iterator[Spelling]:
    """ISO 3166-1 short, official and common names (from ``pycountry``) of the places in ``codes``."""
    for country in pycountry.countries:
        if country.alpha_3 not in codes:
            continue
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                yield Spelling(name, country.alpha_3, Via.ISO_NAME)
