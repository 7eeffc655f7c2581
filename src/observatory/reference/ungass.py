"""The UNGASS 2016 outcome document (GA resolution S-30/1) as the seed publication presents it.

Chapter titles and each chapter's "LINKS TO SDG TARGETS" come from UNODC, *People at the centre: UNODC support
for UNGASS 2016 on the world drug problem* (2018). Chapters 6 and 7 link to whole goals, not targets, and are
kept that way. The shipped recommendations are only the commitments that publication quotes verbatim, one per
chapter, cut short with "(...)" as there; their codes (``ch1-commitment``) are ours, not paragraph numbers.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from observatory.datasets import DATASETS
from observatory.errors import BadInput, SourceFileError
from observatory.reference import sdg
from observatory.reference.tables import read_table

CHAPTERS_FILE = DATASETS / "reference" / "ungass_chapters.csv"
CHAPTER_LINKS_FILE = DATASETS / "reference" / "ungass_chapter_sdg_targets.csv"
RECOMMENDATIONS_FILE = DATASETS / "reference" / "ungass_recommendations.csv"
RECOMMENDATION_COLUMNS = ("chapter", "code", "text", "sdg_targets")
TARGET_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class SdgLink:
    code: str
    level: sdg.Level
    seed_code: str
    source: str


@dataclass(frozen=True, slots=True)
class Chapter:
    number: int
    title: str
    contents_title: str
    page: int
    source: str
    sdg_links: tuple[SdgLink, ...]

    @property
    def sdg_targets(self) -> tuple[str, ...]:
        return tuple(link.code for link in self.sdg_links if link.level is sdg.Level.TARGET)


@dataclass(frozen=True, slots=True)
class Recommendation:
    chapter: int
    code: str
    text: str
    sdg_targets: tuple[str, ...] = ()


@cache
def chapters() -> tuple[Chapter, ...]:
    """The seven thematic chapters, in order, each with the SDG targets or goals the seed links it to."""
    links: defaultdict[int, list[SdgLink]] = defaultdict(list)
    with CHAPTER_LINKS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            level = sdg.Level(row["level"])
            code = sdg.catalogue().entry(level, row["sdg_code"]).code
            links[int(row["chapter"])].append(SdgLink(code, level, row["seed_code"], row["source"]))
    with CHAPTERS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Chapter(
                number=int(row["number"]),
                title=row["title"],
                contents_title=row["contents_title"],
                page=int(row["page"]),
                source=row["source"],
                sdg_links=tuple(links[int(row["number"])]),
            )
            for row in csv.DictReader(handle)
        )


def chapter(number: int) -> Chapter:
    found = {known.number: known for known in chapters()}
    if isinstance(number, bool) or not isinstance(number, int) or number not in found:
        raise BadInput(
            f"unknown UNGASS 2016 chapter {number!r}: chapters are numbered {min(found)} to {max(found)}",
            [{"field": "chapter", "value": number, "accepted": sorted(found)}],
        )
    return found[number]


@cache
def recommendations() -> tuple[Recommendation, ...]:
    """The recommendations shipped with the platform (only what the seed quotes verbatim)."""
    return load_recommendations(RECOMMENDATIONS_FILE)


def load_recommendations(path: Path) -> tuple[Recommendation, ...]:
    """Recommendations from a CSV file with the columns chapter, code, text, sdg_targets (targets split by ';').

    Every row is checked (known chapter, SDG target codes that exist, codes not repeated, text present); any
    problem fails the whole load with a ``SourceFileError`` listing each one by file, row, column and value.
    Row numbers count CSV records, the header being row 1.
    """
    problems: list[dict[str, Any]] = []
    loaded: list[Recommendation] = []
    first_row_of_code: dict[str, int] = {}
    for number, row in read_table(path, RECOMMENDATION_COLUMNS, exact=True):
        found = _Problems(path, number)
        code = row["code"].strip().casefold()
        if code in first_row_of_code:
            found.add("code", row["code"], f"repeats the code of row {first_row_of_code[code]}")
        elif code:
            first_row_of_code[code] = number
        recommendation = _recommendation(row, found)
        if recommendation is not None:
            loaded.append(recommendation)
        problems += found.items
    if problems:
        first = problems[0]
        raise SourceFileError(
            f"{path}: {len(problems)} problem(s); first at row {first['row']}, column {first['column']!r}, "
            f"value {first['value']!r}: {first['reason']}",
            problems,
        )
    return tuple(loaded)


@dataclass(slots=True)
class _Problems:
    path: Path
    row: int
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, column: str, value: object, reason: str) -> None:
        self.items.append({"file": str(self.path), "row": self.row, "column": column, "value": value, "reason": reason})


def _recommendation(row: dict[str, str], problems: _Problems) -> Recommendation | None:
    chapter_number = _chapter_number(row["chapter"], problems)
    code, text = row["code"].strip(), row["text"].strip()
    if not code:
        problems.add("code", row["code"], "is empty; every recommendation needs a code")
    if not text:
        problems.add("text", row["text"], "is empty; a recommendation needs its text")
    targets = tuple(part.strip() for part in row["sdg_targets"].split(TARGET_SEPARATOR) if part.strip())
    for target in targets:
        if not sdg.catalogue().has(sdg.Level.TARGET, target):
            problems.add("sdg_targets", target, _unknown_target(target))
    if problems.items or chapter_number is None:
        return None
    return Recommendation(chapter_number, code, text, targets)


def _chapter_number(value: str, problems: _Problems) -> int | None:
    accepted = [known.number for known in chapters()]
    text = value.strip()
    if text.isascii() and text.isdigit() and int(text) in accepted:
        return int(text)
    problems.add("chapter", value, f"unknown chapter; accepted: {', '.join(map(str, accepted))}")
    return None


def _unknown_target(code: str) -> str:
    try:
        sdg.target(code)
    except BadInput as error:
        return error.message
    return "is not an SDG target"
