"""DEA street names ("slang"), grouped by the drug category or brand they are listed under.

They are not substance records: the registry attaches each group to the substance its category (or, failing
that, its brand) names, and reports the groups it cannot place ("Synthetic Cannabinoids", "Mushrooms").
"""

from dataclasses import dataclass
from pathlib import Path

from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv

DEA_STREET = "dea-street-names"
COLUMNS = ("category", "brand", "slang")


@dataclass(frozen=True, slots=True)
class StreetNameGroup:
    category: str
    brand: str
    names: tuple[str, ...]
    rows: tuple[int, ...]


def read_street_names(path: Path, report: Report) -> list[StreetNameGroup]:
    groups: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    for number, row in enumerate(read_csv(path, COLUMNS), start=1):
        slang = " ".join(row["slang"].split())
        if not slang:
            report.flag("name-missing", DEA_STREET, str(number), "row has no street name: skipped")
            continue
        names, rows = groups.setdefault((row["category"].strip(), row["brand"].strip()), ([], []))
        if slang not in names:
            names.append(slang)
        rows.append(number)
    return [
        StreetNameGroup(category, brand, tuple(names), tuple(rows))
        for (category, brand), (names, rows) in groups.items()
    ]
