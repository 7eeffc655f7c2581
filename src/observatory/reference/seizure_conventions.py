"""How annual seizures add up to a headline figure, as the World Drug Report adds them (``METHODS.md`` §3).

Table 7.1 (and the ARQ it comes from) mixes three kinds of rows, so a plain sum by drug group is wrong:

- *reported totals* beside their own components: a total covers its drug group or its sub-group, and is never
  added to what it covers;
- *plant material and seeds* that are not the drug as trafficked (coca leaf and bush, cannabis plants and seed…):
  a series of their own, never added to drug weights;
- the drugs themselves.

Package data ``datasets/reference/seizure_conventions.csv`` marks the totals and the plant material of the WDR drug
hierarchy, each entry with its status (confirmed, partly confirmed, unconfirmed) and its source. A row matches an
entry when its group and sub-group equal the entry's (after ``normalise_name``) and the entry names no drug or the
same drug.

The rule where a total and its components are both reported for a country and year is
``max(total, Σ components)``, flagged when they differ by more than ``TOLERANCE``: **unconfirmed** (METHODS.md §3,
[U]); "total if present, else components" gives the same 2023 figures for cocaine and cannabis and differs by up to
10.7 % for sedatives 2022.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from observatory.datasets import DATASETS
from observatory.reference.conversion import normalise_name
from observatory.reference.tables import cell_error, read_table

CONVENTIONS = DATASETS / "reference" / "seizure_conventions.csv"
COLUMNS = ("drug_group", "drug_subgroup", "drug", "role", "covers", "status", "source")
#: A total and the sum of its components further apart than this (relative to the larger) are flagged.
TOLERANCE = 0.01
RULE = "max(reported total, Σ components) per country × year × what the total covers"
RULE_STATUS = "unconfirmed"
STATUSES = ("confirmed", "partly confirmed", "unconfirmed")


class Role(StrEnum):
    TOTAL = "total"
    PLANT = "plant"


class Covers(StrEnum):
    DRUG_GROUP = "drug_group"
    DRUG_SUBGROUP = "drug_subgroup"


@dataclass(frozen=True, slots=True)
class Convention:
    drug_group: str
    drug_subgroup: str
    drug: str
    role: Role
    covers: Covers | None
    status: str
    source: str

    def describe(self) -> str:
        name = " / ".join(part for part in (self.drug_group, self.drug_subgroup, self.drug) if part)
        if self.role is Role.PLANT:
            return f"{name}: plant material, a series of its own ({self.status}; {self.source})"
        return f"{name}: a reported total of its {self.covers} ({self.status}; {self.source})"


@dataclass(frozen=True, slots=True)
class Marks:
    """What a row is under the conventions: a reported total (and what it covers), plant material, or neither."""

    reported_total: bool = False
    plant_material: bool = False
    covers: Covers | None = None
    convention: Convention | None = None


NONE = Marks()


@cache
def conventions() -> tuple[Convention, ...]:
    entries = []
    for number, row in read_table(CONVENTIONS, COLUMNS, exact=True):
        if row["role"] not in Role.__members__.values():
            raise cell_error(CONVENTIONS, number, "role", row["role"], f"expected one of {[str(r) for r in Role]}")
        role = Role(row["role"])
        if role is Role.TOTAL and row["covers"] not in Covers.__members__.values():
            raise cell_error(CONVENTIONS, number, "covers", row["covers"], "a total covers drug_group or drug_subgroup")
        if row["status"] not in STATUSES:
            raise cell_error(CONVENTIONS, number, "status", row["status"], f"expected one of {list(STATUSES)}")
        covers = Covers(row["covers"]) if role is Role.TOTAL else None
        entries.append(
            Convention(row["drug_group"], row["drug_subgroup"], row["drug"], role, covers, row["status"], row["source"])
        )
    return tuple(entries)


@cache
def _index() -> Mapping[tuple[str, str], tuple[Convention, ...]]:
    index: dict[tuple[str, str], list[Convention]] = {}
    for entry in conventions():
        index.setdefault((normalise_name(entry.drug_group), normalise_name(entry.drug_subgroup)), []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


@cache
def marks(drug_group: str | None, drug_subgroup: str | None, drug: str | None) -> Marks:
    """The marks of a row of this group, sub-group and drug; ``NONE`` for a drug counted as it is."""
    key = (normalise_name(drug_group or ""), normalise_name(drug_subgroup or ""))
    for entry in _index().get(key, ()):
        if not entry.drug or normalise_name(entry.drug) == normalise_name(drug or ""):
            return Marks(entry.role is Role.TOTAL, entry.role is Role.PLANT, entry.covers, entry)
    return NONE
