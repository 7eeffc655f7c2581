"""Cleaning the Green List (1971 Convention, 36th edition) as parsed from the INCB PDF.

The name and chemical-name columns are rebuilt from ``raw_text`` (see ``incb_green_columns``); the other
rules, each reported with its code:

* ``cas-in-name-column``: in Schedules II to IV ``substance_name`` holds the CAS number; the names come
  from the rebuilt name column;
* ``split-name``: a Schedule I name cut by the parser ("N-ethyl", "psilocine,") is replaced by the whole
  name of the rebuilt column ("N-ethyl MDA", "psilocine"); ``names-separated``: a cell holding an INN and
  its abbreviations ("BROLAMFETAMINE DOB") is read as several names;
* ``cas-repaired`` / ``cas-malformed``: the parser left ``cas_number`` empty when the printed number was
  malformed: "72242-03-06" is 72242-03-6 (check digit verified); "33887-0-4" lacks a digit and stays empty;
* ``cas-missing``: the list prints no CAS number for Schedule I;
* ``name-rejoined``: a name rebuilt from pieces on several lines, to be checked by eye;
* ``name-truncated``: a name piece whose rest was not found, dropped;
* ``notes-overflow`` and ``stray-date``: footnotes, page headings and the rest of the PDF after a row
  (14,000 characters after ZOLPIDEM) are cut;
* ``chemical-name-list``: a chemical-name cell holding a list of isomers is not one chemical name.
"""

import re

from observatory.reference.substances.cas_reading import repair_cas
from observatory.reference.substances.identifiers import is_valid_cas
from observatory.reference.substances.incb_entry import (
    GREEN,
    IncbEntry,
    convention_schedule,
    join_line_breaks,
    looks_truncated,
)
from observatory.reference.substances.incb_green_columns import GreenColumns, split_columns
from observatory.reference.substances.report import Report

MAX_CHEMICAL_NAME = 160
_CODE = re.compile(r"^(?P<letters>P[A-Z])\s?(?P<digits>\d{3})\s+")
_CAS_LIKE = re.compile(r"\d+(?:-+\d+){2}")
# The Green List prints INNs in capitals: words of letters only ("ETHYL LOFLAZEPATE", "(+)-LYSERGIDE"); a
# capitalised code ("FUB-AMB", "5F-APINACA") or abbreviation ("DMT") is not one.
_INN = re.compile(r"(?:\([+\-–±]\)-)?(?=[A-Z ]{6,}$)[A-Z]+(?: [A-Z]+)*")


def clean_green(rows: list[dict[str, str]]) -> tuple[list[IncbEntry], Report]:
    report = Report()
    entries = [entry for number, row in enumerate(rows, start=1) if (entry := _clean_row(number, row, report))]
    return entries, report


def _clean_row(number: int, row: dict[str, str], report: Report) -> IncbEntry | None:
    where = str(number)
    schedule = convention_schedule(row["convention_schedule"])
    if schedule is None:
        report.flag("schedule-unknown", GREEN, where, "no convention schedule in the row", row["convention_schedule"])
        return None
    lines = row["raw_text"].split("\n")
    code, written_cas, first_line = _head(lines[0])
    columns = split_columns([first_line, *lines[1:]])
    _report_columns(columns, where, report)
    if not columns.names:
        report.flag("name-missing", GREEN, where, "no name could be read from the row", row["raw_text"][:80])
        return None
    name, *other_names = columns.names
    _report_name_column(row["substance_name"], name, where, report)
    return IncbEntry(
        source=GREEN,
        row=number,
        schedule=schedule,
        name=name,
        code=code,
        inn=name if _INN.fullmatch(name) and name not in columns.rejoined else None,
        other_names=tuple(other_names),
        cas=_cas(row["cas_number"], written_cas, schedule, where, report),
        chemical_name=_chemical_name(columns.chemical_name, where, report),
        notes="; ".join(columns.qualifiers) or None,
    )


def _head(line: str) -> tuple[str | None, str | None, str]:
    """The row's code, the CAS number as printed, and the rest of the first line."""
    code = _CODE.match(line)
    rest = line[code.end() :] if code else line
    tokens = rest.split()
    written = tokens.pop(0) if tokens and _CAS_LIKE.fullmatch(tokens[0]) else None
    return (f"{code['letters']} {code['digits']}" if code else None), written, " ".join(tokens)


def _report_columns(columns: GreenColumns, where: str, report: Report) -> None:
    if columns.dropped_lines:
        text = " ".join(columns.dropped_lines)
        report.fix("notes-overflow", GREEN, where, f"{len(text)} characters of footnote and page text cut", text[:80])
    for date in columns.dropped_dates:
        report.fix("stray-date", GREEN, where, "a date from the page layout removed from the row", date)
    for name in columns.rejoined:
        report.fix("name-rejoined", GREEN, where, "name rebuilt from pieces on several lines", name)
    for piece in columns.truncated:
        report.flag("name-truncated", GREEN, where, "name piece cut at a line end and no rest found: dropped", piece)


def _report_name_column(substance_name: str, name: str, where: str, report: Report) -> None:
    written = substance_name.strip()
    if _CAS_LIKE.fullmatch(written):
        report.fix(
            "cas-in-name-column", GREEN, where, f"substance_name holds the CAS number; name is {name!r}", written
        )
    elif written.endswith(",") or (name.startswith(written) and len(name) > len(written)):
        report.fix("split-name", GREEN, where, f"name cut by the parser; whole name is {name!r}", written)
    elif written != name:
        report.fix("names-separated", GREEN, where, f"one cell held several names; main name is {name!r}", written)


def _cas(column: str, written: str | None, schedule: str, where: str, report: Report) -> str | None:
    if is_valid_cas(column.strip()):
        return column.strip()
    if written is None:
        if schedule == "I":
            report.flag("cas-missing", GREEN, where, "the list prints no CAS number for this Schedule I row")
        return None
    repaired = repair_cas(written)
    if repaired is None:
        report.flag("cas-malformed", GREEN, where, "printed CAS number is malformed and cannot be repaired", written)
    else:
        report.fix(
            "cas-repaired", GREEN, where, f"printed CAS number read as {repaired} (check digit verified)", written
        )
    return repaired


def _chemical_name(text: str, where: str, report: Report) -> str | None:
    name = join_line_breaks(text)
    if not name:
        return None
    if len(name) > MAX_CHEMICAL_NAME:
        report.flag("chemical-name-list", GREEN, where, "chemical-name cell holds a list, not one name", name[:80])
        return None
    if looks_truncated(name):
        report.flag("chemical-name-truncated", GREEN, where, "chemical name is incomplete", name)
        return None
    return name
