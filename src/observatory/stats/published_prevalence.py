"""The structure of World Drug Report annex table 1.1 (annual prevalence and number of users by region and
globally) and its reading from the sheet's grid into a tidy table.

The sheet holds blocks of three drugs side by side, each block headed by a row starting "Region or subregion", a
row "Number (thousands)" / "Prevalence (percentage)" and a row "Best estimate" / "Lower" / "Upper"; then one row per
region, each followed by its subregions, and a "GLOBAL ESTIMATE" row. "-" marks an area UNODC does not publish.
The numbers of users are stored in persons: "thousands" is only the display format of the cells (``#,###,``).

Tidy table (``PUBLISHED_SCHEMA``): one row per drug × area × measure (``users`` in persons, ``prevalence`` in % of
the population aged 15–64), with best, low and high (all null where the sheet shows "-").
"""

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from observatory.errors import BadInput

#: The five WDR regions (METHODS.md §7 [C]); any other label inside a block is a subregion of the region above it.
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
GLOBAL_LABEL = "GLOBAL ESTIMATE"
WORLD = "World"
MEASURES = ("users", "prevalence")
ENDS = ("best", "low", "high")
#: National (annex 1.2) subregions that table 1.1 merges or names differently.
TABLE_AREAS = {
    "Eastern Europe": "Eastern and South-Eastern Europe",
    "South-Eastern Europe": "Eastern and South-Eastern Europe",
    "Near and Middle East/South-West Asia": "South-West Asia/Near and Middle East",
}
PUBLISHED_SCHEMA = pa.schema(
    [
        ("drug", pa.string()),
        ("level", pa.string()),
        ("area", pa.string()),
        ("region", pa.string()),
        ("position", pa.int32()),
        ("measure", pa.string()),
        ("best", pa.float64()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("source_row", pa.int32()),
    ]
)


@dataclass(frozen=True, slots=True)
class TableDrug:
    """A drug column block of table 1.1, the drug of the national estimates it is compared with, and how the two
    definitions differ ("" when they do not)."""

    id: str
    title: str
    prefix: str
    national: str
    definition: str = ""


DRUGS = (
    TableDrug("cannabis", "Cannabis", "Cannabis", "Cannabis"),
    TableDrug("opioids", "Opioids (opiates and prescription opioids)", "Opioids", "Opioids"),
    TableDrug("opiates", "Opiates", "Opiates", "Opiates"),
    TableDrug("cocaine", "Cocaine", "Cocaine", "Cocaine"),
    TableDrug(
        "amphetamines",
        "Amphetamines and prescription stimulants",
        "Amphetamines",
        "Amphetamines",
        "table 1.1 counts amphetamines and prescription stimulants together; national estimates are combined as "
        "reference data wdr_1_1_drug_definitions.csv says",
    ),
    TableDrug("ecstasy", '"Ecstasy"', "Ecstasy", "Ecstasy"),
)


def table_area(subregion: str) -> str:
    """The table 1.1 area a national subregion belongs to."""
    return TABLE_AREAS.get(subregion, subregion)


def read_published_prevalence(rows: Sequence[tuple[int, Sequence[object]]], sheet: str = "") -> pa.Table:
    """The tidy table of the sheet ``rows`` (row number, cells from column A), or ``BadInput`` naming the cell."""
    records: list[dict[str, object]] = []
    numbered = list(rows)
    for index, (_, cells) in enumerate(numbered):
        if _text(cells, 0).startswith("Region or subregion"):
            columns = _columns(numbered, index, sheet)
            records.extend(_block(numbered[index + 3 :], columns, sheet))
    drugs = {record["drug"] for record in records}
    missing = [drug.title for drug in DRUGS if drug.id not in drugs]
    if missing:
        raise BadInput(
            f"{sheet or 'the sheet'}: no block for {', '.join(missing)}; is this WDR annex table 1.1?",
            [{"sheet": sheet, "missing": missing}],
        )
    return pa.Table.from_pylist(records, PUBLISHED_SCHEMA)


def _columns(rows: Sequence[tuple[int, Sequence[object]]], start: int, sheet: str) -> list[tuple[int, TableDrug]]:
    """The first column of each drug of the block headed at ``start``, after checking its two heading rows."""
    if start + 3 >= len(rows):
        raise _cell(sheet, rows[start][0], 0, rows[start][1][0], "a header needs two heading rows and data below it")
    (number, titles), (kinds_row, kinds), (ends_row, ends) = rows[start : start + 3]
    columns = [(column, _drug(sheet, number, column, title)) for column, title in enumerate(titles) if column and title]
    for column, _ in columns:
        _expect(sheet, kinds_row, kinds, column, "Number")
        _expect(sheet, kinds_row, kinds, column + 3, "Prevalence")
        for offset, word in enumerate(("Best", "Lower", "Upper") * 2):
            _expect(sheet, ends_row, ends, column + offset, word)
    return columns


def _block(
    rows: Sequence[tuple[int, Sequence[object]]], columns: Sequence[tuple[int, TableDrug]], sheet: str
) -> Iterator[dict[str, object]]:
    """The records of one block's data rows, from its first region to its global row."""
    region: str | None = None
    for position, (row, cells) in enumerate(rows):
        label = _text(cells, 0)
        level, region = _level(sheet, row, label, region)
        area = WORLD if level == "global" else label
        for column, drug in columns:
            for measure, offset in zip(MEASURES, (0, 3), strict=True):
                values = [_number(sheet, row, cells, column + offset + end) for end in range(3)]
                yield {
                    "drug": drug.id,
                    "level": level,
                    "area": area,
                    "region": None if level == "global" else region,
                    "position": position,
                    "measure": measure,
                    **dict(zip(ENDS, values, strict=True)),
                    "source_row": row,
                }
        if level == "global":
            return
    last = rows[-1][0] if rows else 0
    raise _cell(sheet, last, 0, None, f"the block ends before its {GLOBAL_LABEL} row")


def _level(sheet: str, row: int, label: str, region: str | None) -> tuple[str, str | None]:
    """The level of the row labelled ``label`` and the region it and the rows below belong to."""
    if label == GLOBAL_LABEL:
        return "global", region
    if label in REGIONS:
        return "region", label
    if not label:
        raise _cell(sheet, row, 0, label, f"a blank label before the block's {GLOBAL_LABEL} row")
    if region is None:
        raise _cell(sheet, row, 0, label, f"a subregion before any region ({', '.join(REGIONS)})")
    return "subregion", region


def _drug(sheet: str, row: int, column: int, title: object) -> TableDrug:
    text = " ".join(str(title).replace('"', " ").split())
    for drug in DRUGS:
        if text.startswith(drug.prefix):
            return drug
    accepted = [drug.title for drug in DRUGS]
    raise _cell(sheet, row, column, title, f"is not a drug of table 1.1 ({'; '.join(accepted)})")


def _expect(sheet: str, row: int, cells: Sequence[object], column: int, word: str) -> None:
    if not _text(cells, column).startswith(word):
        value = cells[column] if column < len(cells) else None
        raise _cell(sheet, row, column, value, f"expected a heading starting {word!r}")


def _number(sheet: str, row: int, cells: Sequence[object], column: int) -> float | None:
    value = cells[column] if column < len(cells) else None
    if isinstance(value, str) and value.strip() == "-":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise _cell(sheet, row, column, value, "expected a number ≥ 0 or '-' (not published)")


def _text(cells: Sequence[object], column: int) -> str:
    value = cells[column] if column < len(cells) else None
    return " ".join(value.split()) if isinstance(value, str) else ""


def _cell(sheet: str, row: int, column: int, value: object, reason: str) -> BadInput:
    letter = _letter(column)
    return BadInput(
        f"{sheet or 'sheet'}, row {row}, column {letter} (cell {letter}{row}), value {value!r}: {reason}",
        [{"sheet": sheet, "row": row, "column": letter, "value": repr(value), "reason": reason}],
    )


def _letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def published_sums(published: pa.Table) -> list[dict[str, Any]]:
    """The table's own additivity: per drug and end, the global users against the sum of the regions, and each
    region's users against the sum of its subregions where all of them are published."""
    rows = [row for row in published.to_pylist() if row["measure"] == "users"]
    checks: list[dict[str, Any]] = []
    for drug in DRUGS:
        mine = [row for row in rows if row["drug"] == drug.id]
        world = next(row for row in mine if row["level"] == "global")
        parts = {"global": (world, [row for row in mine if row["level"] == "region"])}
        for region in (row for row in mine if row["level"] == "region"):
            parts[region["area"]] = (
                region,
                [r for r in mine if r["level"] == "subregion" and r["region"] == region["area"]],
            )
        for whole, members in parts.values():
            if not members or any(member["best"] is None for member in members):
                continue
            for end in ENDS:
                total = math.fsum(float(member[end]) for member in members)
                checks.append(
                    {
                        "drug": drug.id,
                        "level": whole["level"],
                        "area": whole["area"],
                        "end": end,
                        "published": whole[end],
                        "sum_of_parts": total,
                        "difference": None if whole[end] is None else whole[end] - total,
                        "parts": len(members),
                    }
                )
    return checks
