"""Cleaning the Yellow List (1961 Single Convention, 64th edition) as parsed from the INCB PDF.

Each rule fixes one defect listed in SOURCES.md and reports every row it touched:

* ``not-a-drug``: the 33 "Intermediate Opiate Raw Materials" rows are reporting codes, not drugs: excluded;
* ``footnote-digit``: a footnote number stuck to a name ("LEVORPHANOL2") is removed;
* ``name-prefix-na``: "N/A" slid from the CAS column into the name is removed (the row has no CAS:
  ``cas-missing``);
* ``name-rejoined``: a name cut at a line end ("BETA-HYDROXY-3-") takes its capitalised rest from the
  notes ("METHYLFENTANYL"); ``name-truncated`` when the notes hold no rest;
* ``merged-entry``: "CANNABIS RESIN, EXTRACTS" holds two entries; the first keeps the row's code and CAS,
  the second is reported, not invented;
* ``symbol-font``: the PDF's private-use plus-minus sign (U+F0B1) is "±";
* ``notes-footnote``, ``notes-overflow``, ``notes-truncated``: footnote text, the schedule's closing
  paragraphs and the rest of the PDF that spilled into ``notes`` are cut;
* ``synonym-from-notes``: a trailing "(ACRYLFENTANYL)" or "(4-FIBF, pFIBF)" in the notes is a synonym;
* ``known-omission``: Schedule I entries the parser lost (COCA LEAF...) are reported with where their name
  still appears; they are never added.
"""

import re

from observatory.reference.substances.incb_entry import (
    MAX_NOTES,
    YELLOW,
    IncbEntry,
    convention_schedule,
    join_line_breaks,
    looks_truncated,
)
from observatory.reference.substances.report import Report

NOT_DRUGS = "Intermediate Opiate Raw Materials"
#: Schedule I entries of the 64th edition missing from the parsed file (SOURCES.md section 8).
KNOWN_OMISSIONS = ("COCA LEAF", "MORPHINE METHOBROMIDE", "TETRAHYDROFURANYLFENTANYL", "PARA-FLUOROFENTANYL")
_CODE = re.compile(r"^(?P<letters>N[A-Z])[ -]?(?P<digits>\d{3})\b")
_FOOTNOTE_DIGIT = re.compile(r"(?<=[A-Z]{3})[1-9]$")
_FOOTNOTE_TEXT = re.compile(r"\s[1-9]\s+[A-Z*].*$|\s[1-9]$")
_OVERFLOW = re.compile(r"\s+AND the (?:isomers|salts|esters)\b.*$", re.DOTALL)
_TRAILING_SYNONYMS = re.compile(r"\s*\((?P<names>[^()\s,]+(?:,\s*[^()\s,]+)*)\)$")
_CAPITAL_WORD = re.compile(r"\b[A-Z][A-Z-]{3,}\b")
_DESCRIPTION = re.compile(r"^(?:the|its|and|an?)\b|^\*|^\([^()]*\s[^()]*\)$", re.IGNORECASE)
_DESCRIPTIVE_SUFFIX = re.compile(r"\s*\((?:[^()]*\s[^()]*)\)$")


def clean_yellow(rows: list[dict[str, str]]) -> tuple[list[IncbEntry], Report]:
    report = Report()
    entries = [entry for number, row in enumerate(rows, start=1) if (entry := _clean_row(number, row, report))]
    _report_omissions(rows, entries, report)
    return entries, report


def _clean_row(number: int, row: dict[str, str], report: Report) -> IncbEntry | None:
    where = str(number)
    name = " ".join(row["drug_name"].split())
    if row["convention_schedule"].strip() == NOT_DRUGS:
        report.fix("not-a-drug", YELLOW, where, f"{NOT_DRUGS} row is a reporting code, not a drug: excluded", name)
        return None
    schedule = convention_schedule(row["convention_schedule"])
    if schedule is None:
        report.flag("schedule-unknown", YELLOW, where, "no convention schedule in the row", row["convention_schedule"])
        return None
    notes = _clean_notes(row["notes"], where, report)
    notes, synonyms = _synonyms_from_notes(notes, where, report)
    name = _without_prefix(_without_footnote_digit(name, where, report), row, where, report)
    name, notes = _rejoin(name, notes, where, report)
    name, notes = _split_merged(name, notes, where, report)
    return IncbEntry(
        source=YELLOW,
        row=number,
        schedule=schedule,
        name=name,
        code=_code(row["raw_text"]),
        synonyms=synonyms,
        cas=row["cas_number"].strip() or None,
        chemical_name=_chemical_name(notes),
        notes=notes or None,
    )


def _clean_notes(notes: str, where: str, report: Report) -> str:
    text = notes.replace("\uf0b1", "±")
    if text != notes:
        report.fix("symbol-font", YELLOW, where, "private-use plus-minus sign U+F0B1 read as '±'")
    text, overflow = _cut(_OVERFLOW, text)
    if overflow:
        report.fix("notes-overflow", YELLOW, where, f"{len(overflow)} characters of schedule text cut", overflow[:80])
    text, footnote = _cut(_FOOTNOTE_TEXT, text)
    if footnote:
        report.fix("notes-footnote", YELLOW, where, "footnote text cut from the notes", footnote.strip()[:80])
    text = join_line_breaks(text)
    if len(text) > MAX_NOTES:
        report.fix("notes-truncated", YELLOW, where, f"notes cut from {len(text)} to {MAX_NOTES} characters")
        text = text[:MAX_NOTES]
    return text


def _cut(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    match = pattern.search(text)
    return (text[: match.start()], match.group()) if match else (text, "")


def _synonyms_from_notes(notes: str, where: str, report: Report) -> tuple[str, tuple[str, ...]]:
    match = _TRAILING_SYNONYMS.search(notes)
    if match is None or not any(c.isupper() or c.isdigit() for c in match["names"]):
        return notes, ()
    synonyms = tuple(name.strip() for name in match["names"].split(","))
    report.fix(
        "synonym-from-notes", YELLOW, where, "parenthesised names at the end of the notes are synonyms", match["names"]
    )
    return notes[: match.start()].strip(), synonyms


def _without_footnote_digit(name: str, where: str, report: Report) -> str:
    if _FOOTNOTE_DIGIT.search(name):
        report.fix("footnote-digit", YELLOW, where, "footnote number removed from the name", name)
        return name[:-1]
    return name


def _without_prefix(name: str, row: dict[str, str], where: str, report: Report) -> str:
    if not name.startswith("N/A "):
        return name
    report.fix("name-prefix-na", YELLOW, where, "'N/A' from the CAS column removed from the name", name)
    if not row["cas_number"].strip():
        report.flag("cas-missing", YELLOW, where, "the list gives no CAS number (N/A)", name[4:])
    return name[4:]


def _rejoin(name: str, notes: str, where: str, report: Report) -> tuple[str, str]:
    if not name.endswith("-"):
        return name, notes
    rest = _CAPITAL_WORD.search(notes)
    if rest is None:
        report.flag("name-truncated", YELLOW, where, "name cut at a line end and no continuation found", name)
        return name, notes
    joined = name + rest.group()
    report.fix("name-rejoined", YELLOW, where, f"name cut at a line end rejoined: {joined}", name)
    return joined, " ".join((notes[: rest.start()] + notes[rest.end() :]).split())


def _split_merged(name: str, notes: str, where: str, report: Report) -> tuple[str, str]:
    if ", " not in name:
        return name, notes
    kept, other = name.split(", ", 1)
    stray = [word for word in _CAPITAL_WORD.findall(notes) if word not in kept]
    rest = " ".join((other, *stray))
    report.flag(
        "merged-entry",
        YELLOW,
        where,
        f"row holds two entries: kept {kept!r} with the row's code and CAS; {rest!r} has no row of its own",
        name,
    )
    for word in stray:
        notes = " ".join(notes.replace(word, " ").split())
    return kept, notes


def _code(raw_text: str) -> str | None:
    match = _CODE.match(raw_text.strip())
    return f"{match['letters']} {match['digits']}" if match else None


def _chemical_name(notes: str) -> str | None:
    if not notes or _DESCRIPTION.match(notes):
        return None
    name = _DESCRIPTIVE_SUFFIX.sub("", notes).strip()
    return name if name and not looks_truncated(name) else None


def _report_omissions(rows: list[dict[str, str]], entries: list[IncbEntry], report: Report) -> None:
    listed = {(entry.name.upper(), entry.schedule) for entry in entries}
    for name in KNOWN_OMISSIONS:
        if (name, "I") in listed:
            continue
        seen = [str(number) for number, row in enumerate(rows, start=1) if name in row["raw_text"].upper()]
        where = f"rows {', '.join(seen)}" if seen else "no row"
        report.flag(
            "known-omission", YELLOW, "", f"Schedule I entry {name} has no row; its name appears in {where}", name
        )
