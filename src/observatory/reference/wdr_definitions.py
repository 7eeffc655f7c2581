"""The drug definitions of the columns of WDR annex table 1.1, as data (``datasets/reference/
wdr_1_1_drug_definitions.csv``): which national series (table 1.2 drug names) each column is made of.

A ``series`` row is a national series that is the column's drug as such (table 1.2 "Opioids"); ``component`` rows
are the parts a combined column adds up (opiates and prescription opioids; amphetamines and prescription
stimulants). ``includes_note`` is the table 1.2 adjustment note (METHODS.md §4 [C]: x, z*) saying that a component's
estimate already includes the others; ``only_other_note`` is the note saying that a component's estimate is in fact
only the other component (table 1.2 footnote of the Amphetamines sheet: "z**= figures only include prescription
stimulants"). Front door: ``table_definitions()``.
"""

import csv
from dataclasses import dataclass
from functools import cache

from observatory.datasets import DATASETS
from observatory.errors import SourceFileError

DEFINITIONS_FILE = DATASETS / "reference" / "wdr_1_1_drug_definitions.csv"
ROLES = ("series", "component")


@dataclass(frozen=True, slots=True)
class DefinitionPart:
    table_drug: str
    national_drug: str
    role: str
    includes_note: str
    only_other_note: str
    source: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class TableDefinition:
    """A table 1.1 column: the national series that are its drug, and the components it combines otherwise."""

    table_drug: str
    series: tuple[DefinitionPart, ...]
    components: tuple[DefinitionPart, ...]

    @property
    def national_drugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(part.national_drug for part in (*self.series, *self.components)))

    @property
    def combined(self) -> bool:
        return len(self.components) > 1


@cache
def table_definitions() -> dict[str, TableDefinition]:
    """Table 1.1 drug id → its definition."""
    with DEFINITIONS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    parts = []
    for number, row in enumerate(rows, start=2):
        if row["role"] not in ROLES or not row["table_drug"] or not row["national_drug"]:
            raise SourceFileError(
                f"{DEFINITIONS_FILE.name} row {number}: role must be one of {ROLES}, drugs non-empty",
                [{"file": DEFINITIONS_FILE.name, "row": number, "value": row}],
            )
        parts.append(
            DefinitionPart(
                row["table_drug"],
                row["national_drug"],
                row["role"],
                row["includes_note"],
                row.get("only_other_note") or "",
                row["source"],
                row["confirmed"] == "true",
            )
        )
    drugs = dict.fromkeys(part.table_drug for part in parts)
    return {
        drug: TableDefinition(
            drug,
            tuple(p for p in parts if p.table_drug == drug and p.role == "series"),
            tuple(p for p in parts if p.table_drug == drug and p.role == "component"),
        )
        for drug in drugs
    }
