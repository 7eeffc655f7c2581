"""Sustainable Development Goals: goals, targets and indicators in the six UN languages, and UNSD series codes.

The indicator list files some indicators under several targets (1.5.1 = 11.5.1 = 13.1.1) and keeps some older
codes beside their successors, so 252 codes carry fewer distinct indicators. Such codes share an identical
English title; ``repeated_indicators()`` lists them and each entry names the others in ``also_listed_as``.
Rows that repeat a code are collapsed when identical (``duplicate_rows()``) and refused when they differ.
Titles are given in Unicode NFC: the file spells many accented letters decomposed.
"""

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.errors import BadInput
from observatory.reference.tables import cell_error, read_table

ENTRIES_FILE = DATASETS / "reference" / "sdg_goals_targets_indicators_multilingual.csv"
SERIES_FILE = DATASETS / "reference" / "sdg_unsd_series_catalogue_2020.csv"
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
ENTRY_COLUMNS = ("level", "code", "goal", "target", "short_en", *(f"title_{language}" for language in LANGUAGES))
SERIES_COLUMNS = ("name", "description", "indicator")


class Level(StrEnum):
    GOAL = "goal"
    TARGET = "target"
    INDICATOR = "indicator"


@dataclass(frozen=True, slots=True)
class Titles:
    en: str
    fr: str
    es: str
    ru: str
    zh: str
    ar: str

    def in_language(self, language: str) -> str:
        if language not in LANGUAGES:
            raise BadInput(
                f"unknown language {language!r}: titles exist in {', '.join(LANGUAGES)}",
                [{"field": "language", "value": language, "accepted": list(LANGUAGES)}],
            )
        title: str = getattr(self, language)
        return title


@dataclass(frozen=True, slots=True)
class SdgEntry:
    code: str
    level: Level
    parent: str | None
    titles: Titles
    short_title_en: str = ""
    also_listed_as: tuple[str, ...] = ()

    @property
    def goal(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True, slots=True)
class Series:
    """A UNSD SDG data series (``SH_SUD_TREAT``) and the indicator codes it measures."""

    code: str
    description: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    level: Level
    code: str
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RepeatedIndicator:
    title_en: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SdgCatalogue:
    entries: dict[tuple[Level, str], SdgEntry]
    series_by_code: dict[str, Series]
    duplicate_rows: tuple[DuplicateRow, ...] = ()

    def has(self, level: Level, code: str) -> bool:
        return (level, code) in self.entries

    def entry(self, level: Level, code: str) -> SdgEntry:
        """The entry, or ``BadInput`` with the closest codes of that level (and the level the code has, if any)."""
        key = code.strip() if isinstance(code, str) else repr(code)
        if (level, key) in self.entries:
            return self.entries[level, key]
        pool = [known for (kind, known) in self.entries if kind is level]
        close = difflib.get_close_matches(key, pool, n=5, cutoff=0.6)
        elsewhere = [str(kind) for kind in Level if (kind, key) in self.entries]
        note = f" ({key!r} is an SDG {elsewhere[0]} code)" if elsewhere else ""
        raise BadInput(
            f"unknown SDG {level} {code!r}{note}; close matches: {', '.join(close) or 'none'}",
            [{"field": str(level), "value": code, "candidates": close, "level_of_code": elsewhere}],
        )

    def of_level(self, level: Level) -> tuple[SdgEntry, ...]:
        return tuple(entry for (kind, _), entry in self.entries.items() if kind is level)

    def series(self, code: str) -> Series:
        key = code.strip().upper() if isinstance(code, str) else repr(code)
        if key in self.series_by_code:
            return self.series_by_code[key]
        close = difflib.get_close_matches(key, list(self.series_by_code), n=5, cutoff=0.6)
        raise BadInput(
            f"unknown UNSD SDG series {code!r}; close matches: {', '.join(close) or 'none'}",
            [{"field": "series", "value": code, "candidates": close}],
        )

    def series_for_indicator(self, code: str) -> tuple[Series, ...]:
        indicator = self.entry(Level.INDICATOR, code)
        return tuple(found for found in self.series_by_code.values() if indicator.code in found.indicators)

    def repeated_indicators(self) -> tuple[RepeatedIndicator, ...]:
        groups: defaultdict[str, list[str]] = defaultdict(list)
        for entry in self.of_level(Level.INDICATOR):
            groups[entry.titles.en].append(entry.code)
        return tuple(RepeatedIndicator(title, tuple(codes)) for title, codes in groups.items() if len(codes) > 1)


def load_catalogue(entries_path: Path = ENTRIES_FILE, series_path: Path = SERIES_FILE) -> SdgCatalogue:
    """Both files checked: levels, parents that exist, codes under their parents, series naming real indicators."""
    entries: dict[tuple[Level, str], SdgEntry] = {}
    first_row: dict[tuple[Level, str], tuple[int, dict[str, str]]] = {}
    repeats: defaultdict[tuple[Level, str], list[int]] = defaultdict(list)
    for number, row in read_table(entries_path, ENTRY_COLUMNS):
        entry = _entry(entries_path, number, row)
        key = (entry.level, entry.code)
        if key in first_row and first_row[key][1] != row:
            raise cell_error(entries_path, number, "code", entry.code, f"differs from row {first_row[key][0]}")
        first_row.setdefault(key, (number, row))
        repeats[key].append(number)
        entries[key] = entry
    for number, entry in ((first_row[key][0], entry) for key, entry in entries.items()):
        parent_level = Level.GOAL if entry.level is Level.TARGET else Level.TARGET
        if entry.parent is not None and (parent_level, entry.parent) not in entries:
            raise cell_error(entries_path, number, str(parent_level), entry.parent, f"no such {parent_level}")
    catalogue = SdgCatalogue(entries, {})
    for repeated in catalogue.repeated_indicators():
        for code in repeated.codes:
            others = tuple(other for other in repeated.codes if other != code)
            entries[Level.INDICATOR, code] = replace(entries[Level.INDICATOR, code], also_listed_as=others)
    duplicates = tuple(
        DuplicateRow(level, code, tuple(rows)) for (level, code), rows in repeats.items() if len(rows) > 1
    )
    return SdgCatalogue(entries, _series(series_path, entries), duplicates)


def _entry(path: Path, number: int, row: dict[str, str]) -> SdgEntry:
    try:
        level = Level(row["level"].strip())
    except ValueError:
        expected = f"expected one of {[str(kind) for kind in Level]}"
        raise cell_error(path, number, "level", row["level"], expected) from None
    code = row["code"].strip()
    parent = {Level.GOAL: None, Level.TARGET: row["goal"].strip(), Level.INDICATOR: row["target"].strip()}[level]
    if not code or (parent is not None and not code.startswith(f"{parent}.")):
        raise cell_error(path, number, "code", code, f"is not a {level} code under {parent!r}")
    titles = Titles(*(unicodedata.normalize("NFC", row[f"title_{language}"].strip()) for language in LANGUAGES))
    return SdgEntry(code, level, parent, titles, row["short_en"].strip())


def _series(path: Path, entries: dict[tuple[Level, str], SdgEntry]) -> dict[str, Series]:
    found: dict[str, Series] = {}
    for number, row in read_table(path, SERIES_COLUMNS):
        code = row["name"].strip().upper()
        indicators = tuple(part.strip() for part in row["indicator"].split(",") if part.strip())
        unknown = [indicator for indicator in indicators if (Level.INDICATOR, indicator) not in entries]
        if unknown or not indicators:
            reason = f"names unknown indicator(s) {unknown}" if unknown else "names no indicator"
            raise cell_error(path, number, "indicator", row["indicator"], reason)
        if not code or code in found:
            raise cell_error(path, number, "name", row["name"], "is empty or repeats a series code")
        found[code] = Series(code, row["description"].strip(), indicators)
    return found


@cache
def catalogue() -> SdgCatalogue:
    return load_catalogue()


def goals() -> tuple[SdgEntry, ...]:
    return catalogue().of_level(Level.GOAL)


def targets() -> tuple[SdgEntry, ...]:
    return catalogue().of_level(Level.TARGET)


def indicators() -> tuple[SdgEntry, ...]:
    return catalogue().of_level(Level.INDICATOR)


def goal(code: str) -> SdgEntry:
    return catalogue().entry(Level.GOAL, code)


def target(code: str) -> SdgEntry:
    return catalogue().entry(Level.TARGET, code)


def indicator(code: str) -> SdgEntry:
    return catalogue().entry(Level.INDICATOR, code)


def series(code: str) -> Series:
    return catalogue().series(code)


def series_for_indicator(code: str) -> tuple[Series, ...]:
    return catalogue().series_for_indicator(code)


def repeated_indicators() -> tuple[RepeatedIndicator, ...]:
    return catalogue().repeated_indicators()


def duplicate_rows() -> tuple[DuplicateRow, ...]:
    return catalogue().duplicate_rows
