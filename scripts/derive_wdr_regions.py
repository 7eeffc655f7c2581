"""Regenerate ``src/observatory/datasets/reference/wdr_regions.csv`` from the WDR annex tables (a dev tool).

Usage: ``.venv/bin/python scripts/derive_wdr_regions.py [DATA_DIR [OUTPUT]]``; by default ``DATA_DIR`` is
``shared/data`` beside the repo and ``OUTPUT`` the package's ``wdr_regions.csv``.

Rules:

1. Every sheet of every ``unodc_*/*.xlsx`` whose header row (one of the first ten) has a ``Region`` column, a
   ``SubRegion`` or ``Sub-region`` column and a ``Country`` or ``Country/Territory`` column is read; the other
   sheets (cultivation and global/regional tables) have no per-country region and are listed as skipped.
2. The national-prevalence tables (1.2) write a region or sub-region only on the first row of its block, so the last
   label seen is carried down. A region cell that is not one of the five WDR regions (a footnote, the stray "new" of
   the NPS sheet) is ignored.
3. Labels are canonicalised: whitespace around "/" is dropped, and the few M49-style labels of table 2.1 are mapped
   to the WDR sub-region the other tables use for the same countries (``SUBREGION_SPELLINGS``).
4. A row's country is its ``msCode`` where the table has one, else the name resolved by ``observatory``.
5. A country's region is the most frequent one among rows that state their sub-region; rows that inherit it
   count only for countries no row states. Disagreements are printed, so they can be reviewed.
"""

import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from observatory.reference.geography import WDR_REGIONS, resolve_country

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
HEADER_SEARCH_ROWS = 10
COUNTRY_HEADERS = ("Country", "Country/Territory")
SUBREGION_HEADERS = ("SubRegion", "Sub-region")
REGIONS = frozenset({"Africa", "Americas", "Asia", "Europe", "Oceania"})
SUBREGION_SPELLINGS = {
    "Central America (excluding Mexico)": "Central America",
    "Northern Africa": "North Africa",
    "Northern America (including Mexico)": "North America",
    "Southern Asia": "South Asia",
}
COLUMNS = ("iso3", "unodc_region", "unodc_subregion", "wdr_tables")

Label = tuple[str, str]


@dataclass(slots=True)
class Evidence:
    stated: Counter[Label] = field(default_factory=Counter)
    inherited: Counter[Label] = field(default_factory=Counter)
    tables: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Columns:
    header_row: int
    region: int
    subregion: int
    country: int
    iso3: int | None


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    output = Path(argv[2]) if len(argv) > 2 else WDR_REGIONS
    evidence: defaultdict[str, Evidence] = defaultdict(Evidence)
    for path in sorted(data.glob("unodc_*/*.xlsx")):
        workbook = CalamineWorkbook.from_path(str(path))
        for sheet in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet).to_python()
            columns = find_columns(rows)
            if columns is None:
                sys.stderr.write(f"skipped {path.name} [{sheet}]: no Region/Sub-region/Country header\n")
                continue
            table = path.stem.split("_")[1]
            for iso3, label, stated in observations(rows, columns):
                found = evidence[iso3]
                (found.stated if stated else found.inherited)[label] += 1
                found.tables.add(table)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for iso3 in sorted(evidence):
            region, subregion = decide(iso3, evidence[iso3])
            writer.writerow((iso3, region, subregion, ";".join(sorted(evidence[iso3].tables))))
    sys.stderr.write(f"wrote {len(evidence)} countries to {output}\n")
    return 0


def find_columns(rows: Sequence[Sequence[object]]) -> Columns | None:
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(cell).strip() for cell in row]
        country = next((cells.index(name) for name in COUNTRY_HEADERS if name in cells), None)
        subregion = next((cells.index(name) for name in SUBREGION_HEADERS if name in cells), None)
        if country is not None and subregion is not None and "Region" in cells:
            iso3 = cells.index("msCode") if "msCode" in cells else None
            return Columns(number, cells.index("Region"), subregion, country, iso3)
    return None


def observations(rows: Sequence[Sequence[object]], columns: Columns) -> Iterator[tuple[str, Label, bool]]:
    """(ISO3, (region, sub-region), whether the row states its sub-region) for each row naming a country."""
    region = subregion = ""
    for row in rows[columns.header_row + 1 :]:
        region_cell = str(row[columns.region]).strip()
        subregion_cell = " ".join(str(row[columns.subregion]).split()).replace("/ ", "/")
        if region_cell in REGIONS:
            region = region_cell
        if subregion_cell:
            subregion = SUBREGION_SPELLINGS.get(subregion_cell, subregion_cell)
        country = str(row[columns.country]).strip()
        if not country or not region:
            continue
        code = str(row[columns.iso3]).strip() if columns.iso3 is not None else ""
        yield code or resolve_country(country).iso3, (region, subregion), bool(subregion_cell)


def decide(iso3: str, evidence: Evidence) -> Label:
    pool = evidence.stated or evidence.inherited
    (winner, count), *others = pool.most_common()
    if others and others[0][1] == count:
        raise SystemExit(f"{iso3}: tie between {winner} and {others[0][0]}; add a rule to the script")
    if others or (evidence.stated and set(evidence.inherited) - {winner}):
        sys.stderr.write(
            f"{iso3}: chose {winner} ({count} rows); also seen: stated {dict(evidence.stated)}, "
            f"inherited {dict(evidence.inherited)}\n"
        )
    return winner


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
