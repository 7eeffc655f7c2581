"""The population aged 15–64 by economy and year: World Bank WDI ``SP.POP.1564.TO``, the denominator of the WDR's
prevalence (annual prevalence is a % of the population aged 15–64, METHODS.md §4 [C]).

Shipped as reference data (``datasets/reference/worldbank_population_15_64_1960_2023.csv`` with its country and
indicator metadata, SOURCES.md §9), so it is part of every reference release's digest: a new file is a new release.
The file is read as the World Bank writes it: UTF-8 with a byte-order mark, CRLF, four preamble lines, one column per
year, aggregates (regions, income groups, the world) mixed in with economies. An economy is a code whose metadata row
has a Region; the rest are aggregates and are left out. Front door: ``population_15_64()``.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from observatory.datasets import DATASETS
from observatory.errors import BadInput, SourceFileError

DATA_FILE = DATASETS / "reference" / "worldbank_population_15_64_1960_2023.csv"
METADATA_FILE = DATASETS / "reference" / "worldbank_population_15_64_metadata_country.csv"
INDICATOR = "SP.POP.1564.TO"
SOURCE_ID = "reference/worldbank-population-15-64"
HEADER = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
METADATA_HEADER = ("Country Code", "Region", "IncomeGroup")


@dataclass(frozen=True, slots=True)
class AgedPopulation:
    """Persons aged 15–64 by year, then ISO3 code (economies only), with each economy's World Bank region and
    income group, the aggregates left out, and the file's update date and digest (its vintage)."""

    by_year: dict[int, dict[str, float]]
    names: dict[str, str]
    regions: dict[str, str]
    income_groups: dict[str, str]
    aggregates: frozenset[str]
    last_updated: str
    sha256: str

    @property
    def vintage(self) -> str:
        """WDI update date and the first digits of the file's digest: what a figure cites."""
        return f"WDI {self.last_updated or 'undated'}, sha256 {self.sha256[:12]}"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(year for year, persons in self.by_year.items() if persons))

    def year(self, year: int) -> dict[str, float]:
        """Persons aged 15–64 by ISO3 code in ``year``; a year the file has no value for is ``BadInput`` naming the
        years it covers (an explained gap, never zeros)."""
        found = self.by_year.get(year)
        if not found:
            covered = self.years
            span = f"{covered[0]}–{covered[-1]}" if covered else "none"
            raise BadInput(
                f"the population aged 15–64 ({INDICATOR}) has no value for {year}; years covered: {span}",
                [{"parameter": "year", "value": year, "accepted": span}],
            )
        return found

    def missing(self, year: int, codes: set[str] | frozenset[str]) -> list[str]:
        """The ``codes`` without a 15–64 population in ``year`` (territories the World Bank does not cover)."""
        found = self.by_year.get(year, {})
        return sorted(code for code in codes if code not in found)


@cache
def population_15_64() -> AgedPopulation:
    """The shipped file, read once per process."""
    content = DATA_FILE.read_bytes()
    metadata = _text(METADATA_FILE.read_bytes(), METADATA_FILE.name)
    digest = hashlib.sha256(content).hexdigest()
    return read_population_15_64(_text(content, DATA_FILE.name), metadata, DATA_FILE.name, digest)


def read_population_15_64(data: str, metadata: str, name: str = "population file", sha256: str = "") -> AgedPopulation:
    """The population of the wide WDI text ``data``, economies being the codes ``metadata`` gives a Region."""
    regions, incomes, names = _metadata(metadata, name)
    rows = list(csv.reader(io.StringIO(data.removeprefix("\ufeff"))))
    start = next((index for index, row in enumerate(rows) if tuple(row[:4]) == HEADER), None)
    if start is None:
        raise SourceFileError(f"{name}: no header row starting {list(HEADER)}", [{"file": name, "expected": HEADER}])
    years = [_year(name, start + 1, cell) for cell in rows[start][4:] if cell.strip()]
    updated = next((row[1] for row in rows[:start] if len(row) > 1 and row[0] == "Last Updated Date"), "")
    by_year: dict[int, dict[str, float]] = {year: {} for year in years}
    aggregates: set[str] = set()
    problems: list[dict[str, Any]] = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        code = row[1].strip() if len(row) > 1 else ""
        if len(row) > 3 and row[3] != INDICATOR:
            problems.append({"row": number, "column": "Indicator Code", "value": row[3], "reason": INDICATOR})
            continue
        if code not in regions:
            aggregates.add(code)
            continue
        names[code] = row[0]
        for year, cell in zip(years, row[4 : 4 + len(years)], strict=False):
            value = _persons(cell)
            if value is None and cell.strip():
                problems.append({"row": number, "column": str(year), "value": cell, "reason": "not a number ≥ 0"})
            elif value is not None:
                by_year[year][code] = value
    if problems:
        raise SourceFileError(
            f"{name}: {len(problems)} invalid cell(s); first: row {problems[0]['row']}, {problems[0]['column']}",
            [{"file": name, **problem} for problem in problems[:50]],
        )
    return AgedPopulation(by_year, names, regions, incomes, frozenset(aggregates - {""}), updated, sha256)


def _metadata(text: str, name: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [column for column in METADATA_HEADER if column not in (reader.fieldnames or [])]
    if missing:
        raise SourceFileError(f"{name} metadata: no column(s) {missing}", [{"file": name, "expected": missing}])
    regions, incomes, names = {}, {}, {}
    for row in reader:
        code, region = (row["Country Code"] or "").strip(), (row["Region"] or "").strip()
        if code and region:
            regions[code], incomes[code] = region, (row["IncomeGroup"] or "").strip()
            names[code] = (row.get("TableName") or code).strip()
    return regions, incomes, names


def _text(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceFileError(f"{name}: not UTF-8 text ({exc})", [{"file": name}]) from exc


def _year(name: str, row: int, cell: str) -> int:
    if not cell.strip().isdigit():
        raise SourceFileError(f"{name}: row {row}: year column {cell!r} is not a year", [{"row": row, "value": cell}])
    return int(cell)


def _persons(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if value >= 0 and value != float("inf") else None
