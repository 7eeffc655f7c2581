"""Names of things translated as content, DHIS2-style: one table per language of (kind, key) → text, with its
source, beside the code's English. Kinds: ``dataset`` (a data set's title, key its id), ``dataset-description``
(its description, key its id), ``field`` (key
``dataset.field``), ``drug-group`` (key the WDR's English name), ``ungass-chapter`` (key its number).

A name a language's table lacks is the English one, and says so (``Label.fallback``), so a page can mark it
(``lang="en"``). Country names come from the M49 names in the six languages and SDG texts from their official
versions (``reference.sdg``), not from these tables.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS

FOLDER = DATASETS / "i18n"
KINDS = ("dataset", "dataset-description", "field", "drug-group", "ungass-chapter")

__all__ = ["KINDS", "Label", "content_label", "content_table"]


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    language: str
    fallback: bool


@cache
def content_table(language: str) -> dict[tuple[str, str], str]:
    path = FOLDER / f"content.{language}.csv"
    if not path.is_file():
        return {}
    return _read(path)


def _read(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["kind"], row["key"]): row["text"] for row in csv.DictReader(handle) if row["text"].strip()}


def content_label(kind: str, key: str, english: str, language: str) -> Label:
    """The name of ``kind`` ``key`` in ``language``; ``english`` (marked as a fallback) where it has none."""
    if language == "en":
        return Label(english, "en", False)
    found = content_table(language).get((kind, key))
    return Label(found, language, False) if found else Label(english, "en", True)
