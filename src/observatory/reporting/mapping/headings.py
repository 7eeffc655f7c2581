"""What a column heading may mean for a data set: its fields' ids and titles, every heading its declared layouts
read, and the aliases kept as data (``reporting/datasets/field_aliases.csv``: other publishers' headings and the
field titles in the six UN languages, each with its source)."""

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from observatory.reporting.declaration import DATASETS_DIR, Declaration
from observatory.reporting.readers.layouts import TableLayout

ALIASES = DATASETS_DIR / "field_aliases.csv"
#: Closest fuzzy heading accepted as a suggestion (never applied without a person's confirmation).
FUZZY_CUTOFF = 0.75


def heading_key(text: str) -> str:
    """Letters and digits only, without case or accents: "Drug Group", "DrugGroup" and "drug_group" are one."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", plain.casefold())


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    field: str
    confidence: float
    basis: str

    @property
    def certain(self) -> bool:
        return self.confidence >= 0.95


@cache
def _aliases() -> tuple[tuple[str, str, str, str], ...]:
    with ALIASES.open(encoding="utf-8", newline="") as handle:
        return tuple((row["dataset"], row["field"], row["alias"], row["source"]) for row in csv.DictReader(handle))


def known_headings(declaration: Declaration) -> dict[str, tuple[str, str]]:
    """Heading key → (field, how it is known), for every field of ``declaration``."""
    fields = {field.id for field in declaration.all_fields()}
    known: dict[str, tuple[str, str]] = {}
    for field in declaration.all_fields():
        known.setdefault(heading_key(field.id), (field.id, "the field's id"))
        known.setdefault(heading_key(field.title), (field.id, "the field's title"))
    for layout in declaration.layouts:
        if isinstance(layout, TableLayout):
            for heading, target in layout.columns.items():
                known.setdefault(heading_key(heading), (target, f"a heading of the layout {layout.id}"))
    for dataset, target, alias, source in _aliases():
        if dataset in ("*", declaration.id) and target in fields:
            known.setdefault(heading_key(alias), (target, f"an alias ({source})"))
    return known


def match_heading(heading: str, known: dict[str, tuple[str, str]]) -> HeadingMatch | None:
    key = heading_key(heading)
    if not key:
        return None
    if key in known:
        field, basis = known[key]
        return HeadingMatch(field, 1.0, basis)
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=FUZZY_CUTOFF)
    if not close:
        return None
    field, basis = known[close[0]]
    ratio = difflib.SequenceMatcher(None, key, close[0]).ratio()
    return HeadingMatch(field, round(min(ratio, 0.9), 2), f"close to {basis}")
