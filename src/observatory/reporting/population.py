"""Reader for the World Bank total-population table (Country Name, Country Code, Year, Value)."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observatory.errors import SourceFileError

COLUMNS = ("Country Name", "Country Code", "Year", "Value")


@dataclass(frozen=True, slots=True)
class PopulationRecord:
    country_iso3: str
    year: int
    persons: int


def read_population(path: Path, countries: frozenset[str]) -> tuple[list[PopulationRecord], set[str]]:
    """Records of ``countries`` and the set of other codes (World Bank aggregates such as WLD) left out."""
    if not path.is_file():
        raise SourceFileError(f"{path}: file not found", [{"file": str(path)}])
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise SourceFileError(f"{path}: not UTF-8 text ({exc})", [{"file": str(path)}]) from exc
    if not rows or tuple(rows[0]) != COLUMNS:
        raise SourceFileError(
            f"{path}: header is {rows[0] if rows else []}, expected {list(COLUMNS)}",
            [{"file": str(path), "row": 1, "expected": list(COLUMNS)}],
        )
    records: list[PopulationRecord] = []
    left_out: set[str] = set()
    problems: list[dict[str, Any]] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            problems.append({"row": number, "value": row, "reason": f"expected {len(COLUMNS)} fields"})
            continue
        _, code, year, value = row
        if code not in countries:
            left_out.add(code)
            continue
        if not (year.isdigit() and value.isdigit()):
            problems.append(
                {"row": number, "column": "Year/Value", "value": [year, value], "reason": "expected whole numbers"}
            )
            continue
        records.append(PopulationRecord(code, int(year), int(value)))
    if problems:
        raise SourceFileError(
            f"{path}: {len(problems)} invalid row(s); first: row {problems[0]['row']}: {problems[0]['reason']}",
            [{"file": str(path), **problem} for problem in problems[:50]],
        )
    return records, left_out
