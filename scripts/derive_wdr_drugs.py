"""Regenerate ``src/observatory/datasets/reference/wdr_drugs.csv`` from the WDR annex tables (a dev tool).

Usage: ``.venv/bin/python scripts/derive_wdr_drugs.py [DATA_DIR [OUTPUT]]``; by default ``DATA_DIR`` is
``shared/data`` beside the repo and ``OUTPUT`` the package's ``wdr_drugs.csv``.

One output row per distinct (drug group, sub-group, drug) any table names, with the tables naming it. Names are
kept as the tables spell them (curly quotes, odd capitals, typos), only trimmed of surrounding whitespace. Every
sheet of every ``unodc_*/*.xlsx`` is read by one of these rules; a sheet no rule reads stops the script:

1. 7.1 seizures: the ``DrugGroup``, ``DrugSubGroup`` and ``DrugName`` columns.
2. 8.1 prices and purities (both sheets): ``DrugGroup`` / ``Drug`` / ``Specify``. A row with a ``Specify``
   gives (group, ``Drug`` as sub-group, ``Specify`` as drug), one without gives (group, no sub-group, ``Drug``).
   A ``Specify`` that names no drug (``NO_DRUG_NAMED``) counts as empty.
3. 2.1 expert trends: ``DrugGroup`` / ``Drug``, without a sub-group. The rows with no ``Drug`` are left out: their
   groups (``ATS``, ``Opioids``...) name drugs in other rows.
4. 1.2 national prevalence: the sheet name is the drug, in the group ``PREVALENCE_SHEETS`` gives it. The NPS
   sheet also names substances: its ``Substance`` column, under the ``NPS Type`` block label carried down as
   sub-group. One ``Substance`` cell carries a note after its name ("Synthetic cannabinoids. Following ...");
   the name is the text before the first ". ".
5. 6.1.1 and 6.2.1 cultivation: the crop in the title ("... cultivation of coca bush, 2010-2023 ..."), in the
   group ``CROPS`` gives it.
6. 1.1 global and regional prevalence: the labels of the header row that starts "Region or subregion", in the
   group ``REGIONAL_COLUMNS`` gives them. Footnote letters glued to a word ("Cocainea") are removed, taking the
   letters from the footnote lines under the table ("a Cocaine includes ...").

The groups the explicit maps use must be 7.1 groups; a name missing from a map stops the script.
"""

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook

from observatory.reference.drug_names import WDR_DRUGS, table_order

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
HEADER_SEARCH_ROWS = 10
COLUMNS = ("drug_group", "drug_subgroup", "drug", "tables")

ATS = "Amphetamine-type stimulants (excluding “ecstasy”)"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids)"
ECSTASY = "“Ecstasy”-type substances"
PREVALENCE_SHEETS = {
    "Cannabis": CANNABIS,
    "Cocaine": "Cocaine-type",
    "Amphetamines": ATS,
    "Ecstasy": ECSTASY,
    "Prescription Stimulants": ATS,
    "Opioids": "Opioids",
    "Opiates": "Opioids",
    "Prescription opioids": "Opioids",
    "Tranquillizers and sedatives": "Sedatives and tranquillizers",
    "NPS": "NPS",
}
REGIONAL_COLUMNS = {
    "Cannabis": CANNABIS,
    "Opioids (opiates and prescription opioids)": "Opioids",
    "Opiates": "Opioids",
    "Cocaine": "Cocaine-type",
    "Amphetamines and prescription stimulants": ATS,
    '"Ecstasy"': ECSTASY,
}
CROPS = {"coca bush": "Cocaine-type", "opium poppy": "Opioids"}
NO_DRUG_NAMED = frozenset({"N/A", "Survey", "1 mg"})
CROP_TITLE = re.compile(r"cultivation of (.+?), \d{4}")
FOOTNOTE_LINE = re.compile(r"([a-z]) (\w+)")

Entry = tuple[str, str, str]
Sheet = list[list[object]]


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    output = Path(argv[2]) if len(argv) > 2 else WDR_DRUGS
    tables: defaultdict[Entry, set[str]] = defaultdict(set)
    for path in sorted(data.glob("unodc_*/*.xlsx")):
        table = path.stem.split("_")[1]
        workbook = CalamineWorkbook.from_path(str(path))
        for sheet in workbook.sheet_names:
            rows: Sheet = [list(row) for row in workbook.get_sheet_by_name(sheet).to_python()]
            for entry in entries(table, sheet, rows):
                tables[entry].add(table)
    check_groups(tables)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for entry in sorted(tables, key=lambda found: [(name.casefold(), name) for name in found]):
            writer.writerow((*entry, ";".join(sorted(tables[entry], key=table_order))))
    sys.stderr.write(f"wrote {len(tables)} drugs to {output}\n")
    return 0


def entries(table: str, sheet: str, rows: Sheet) -> Iterator[Entry]:
    """The (group, sub-group, drug) entries a sheet names; a sheet no rule reads stops the script."""
    readers: dict[tuple[str, ...], Callable[[Sheet, int, list[int]], Iterator[Entry]]] = {
        ("DrugGroup", "DrugSubGroup", "DrugName"): seizure_entries,
        ("DrugGroup", "Drug", "Specify"): price_entries,
        ("DrugGroup", "Drug"): trend_entries,
    }
    for headers, reader in readers.items():
        found = header_row(rows, headers)
        if found is not None:
            yield from reader(rows, *found)
            return
    if table == "1.2":
        yield from prevalence_entries(sheet, rows)
    elif title := CROP_TITLE.search(cell(rows[0][0])):
        yield (explicit(CROPS, title.group(1)), "", title.group(1))
    elif header_row(rows, ("Region or subregion",)) is not None:
        yield from regional_entries(rows)
    else:
        raise SystemExit(f"table {table} [{sheet}]: no rule reads this sheet; add one to the script")


def header_row(rows: Sheet, headers: Sequence[str]) -> tuple[int, list[int]] | None:
    """The header row holding all ``headers`` (one of the first rows), and their columns."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [cell(value) for value in row]
        if all(header in cells for header in headers):
            return number, [cells.index(header) for header in headers]
    return None


def seizure_entries(rows: Sheet, header: int, columns: list[int]) -> Iterator[Entry]:
    for row in rows[header + 1 :]:
        group, subgroup, drug = (cell(row[column]) for column in columns)
        if group and drug:
            yield group, subgroup, drug


def price_entries(rows: Sheet, header: int, columns: list[int]) -> Iterator[Entry]:
    for row in rows[header + 1 :]:
        group, drug, specify = (cell(row[column]) for column in columns)
        if specify in NO_DRUG_NAMED:
            specify = ""
        if group and drug:
            yield (group, drug, specify) if specify else (group, "", drug)


def trend_entries(rows: Sheet, header: int, columns: list[int]) -> Iterator[Entry]:
    for row in rows[header + 1 :]:
        group, drug = (cell(row[column]) for column in columns)
        if group and drug:
            yield group, "", drug


def prevalence_entries(sheet: str, rows: Sheet) -> Iterator[Entry]:
    group = explicit(PREVALENCE_SHEETS, sheet)
    yield group, "", sheet
    found = header_row(rows, ("NPS Type", "Substance"))
    if found is None:
        return
    header, (kind_column, substance_column) = found
    kind = ""
    for row in rows[header + 1 :]:
        kind = cell(row[kind_column]) or kind
        substance = cell(row[substance_column]).split(". ")[0]
        if substance:
            yield group, kind, substance


def regional_entries(rows: Sheet) -> Iterator[Entry]:
    footnotes = [match.groups() for row in rows if (match := FOOTNOTE_LINE.match(cell(row[0])))]
    for row in rows:
        if not cell(row[0]).startswith("Region or subregion"):
            continue
        for value in row[1:]:
            label = cell(value)
            for letter, word in footnotes:
                label = re.sub(rf"\b{re.escape(word)}{letter}\b", word, label)
            if label:
                yield explicit(REGIONAL_COLUMNS, label), "", label


def explicit(groups: dict[str, str], name: str) -> str:
    if name not in groups:
        raise SystemExit(f"{name!r} has no WDR drug group; add it to the script's maps")
    return groups[name]


def check_groups(tables: dict[Entry, set[str]]) -> None:
    """The groups of the explicit maps are 7.1 groups (the seizure table carries the full hierarchy)."""
    seizure_groups = {group for (group, _, _), found in tables.items() if "7.1" in found}
    missing = {*PREVALENCE_SHEETS.values(), *REGIONAL_COLUMNS.values(), *CROPS.values()} - seizure_groups
    if missing:
        raise SystemExit(f"not drug groups of table 7.1: {sorted(missing)}")


def cell(value: object) -> str:
    return str(value).strip()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
