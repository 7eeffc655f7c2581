"""Cleaning the INCB Yellow, Green and Red Lists: clean entries plus a report of what no rule could fix.

The three CSV files were parsed automatically from the INCB PDFs and carry the parse defects listed in
SOURCES.md section 8. Each list has its own cleaner (``incb_yellow``, ``incb_green``, ``incb_red``) whose
rules are documented there; every fix and every unresolved defect is reported with a stable code.
No rule invents an entry: rows the parser lost are reported as known omissions.
"""

from pathlib import Path

from observatory.reference.substances.incb_entry import IncbEntry
from observatory.reference.substances.incb_green import clean_green
from observatory.reference.substances.incb_red import clean_red
from observatory.reference.substances.incb_yellow import clean_yellow
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import INCB_GREEN, INCB_RED, INCB_YELLOW, SUBSTANCE_DATA, read_csv

YELLOW_COLUMNS = ("drug_name", "synonyms", "convention_schedule", "cas_number", "notes", "raw_text")
GREEN_COLUMNS = ("substance_name", "synonyms", "convention_schedule", "cas_number", "notes", "raw_text")
RED_COLUMNS = ("table", "chemical_name", "cas_number", "international_nonproprietary_name", "other_names", "raw_text")


def clean_incb_lists(directory: Path = SUBSTANCE_DATA) -> tuple[list[IncbEntry], Report]:
    """Every clean entry of the three lists, Yellow then Green then Red, and one report for all three."""
    report = Report()
    entries: list[IncbEntry] = []
    for file, columns, clean in (
        (INCB_YELLOW, YELLOW_COLUMNS, clean_yellow),
        (INCB_GREEN, GREEN_COLUMNS, clean_green),
        (INCB_RED, RED_COLUMNS, clean_red),
    ):
        cleaned, found = clean(read_csv(directory / file, columns))
        entries.extend(cleaned)
        report.extend(found)
    return entries, report
