"""Cleaning the Red List (1988 Convention, 23rd edition) as parsed from the INCB PDF.

Rules, each reported with its code:

* ``name-damaged``: a name that swallowed the start of its chemical synonym ("Norephedrine (R*,S*)-α-") is
  cut at the open bracket; the synonym is read whole from the row's text line;
* ``name-truncated``: a name cut at a line end ("tert-Butyl 4-(phenylamino)piperidine-1-") is kept as the
  only name the row has and reported: its rest is not in the row;
* ``synonym-damaged``: an other-name cut by the column layout (open bracket, trailing hyphen outside an
  inverted CAS index name such as "benzene, methyl-") is dropped; ``synonym-interleaved``: a chemical
  name run together with the French name of the next column is dropped; ``synonym-fragment``: the tail of
  a French name wrapped onto the next line ("glycidique de 3,4-MDP-2-P") is dropped;
* ``cas-missing``: the list prints "n/a" for several glycidic esters;
* ``schedule-unverified``: phenylacetic acid appears in Table I; SOURCES.md asks to check the list itself.
"""

import re

from observatory.reference.substances.incb_entry import RED, IncbEntry, is_balanced, looks_truncated
from observatory.reference.substances.report import Report

#: Names whose table the parsed file gives differently from the original 1988 annex.
UNVERIFIED_TABLES = {"phenylacetic acid": "II"}
_ABBREVIATION = re.compile(r"\s*\((?P<abbreviation>[A-Z0-9-]{2,})\)$")
# Inverted CAS index names end in a hyphen by design: "benzene, methyl-", "4-Piperidinamine, N-phenyl-".
_CAS_INDEX_NAME = re.compile(r",\s?[^,]+-$")
# The tail of a French name wrapped onto the next line: "glycidique de 3,4-MDP-2-P", "de 3,4-MDP-2-P".
_FRENCH_TAIL = re.compile(r"^(?:de |[a-zéè]+ de )")
_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]", re.IGNORECASE)


def clean_red(rows: list[dict[str, str]]) -> tuple[list[IncbEntry], Report]:
    report = Report()
    entries = [entry for number, row in enumerate(rows, start=1) if (entry := _clean_row(number, row, report))]
    return entries, report


def _clean_row(number: int, row: dict[str, str], report: Report) -> IncbEntry | None:
    where = str(number)
    table = row["table"].strip()
    if table not in ("I", "II"):
        report.flag("schedule-unknown", RED, where, "table is neither I nor II", table)
        return None
    name = " ".join(row["chemical_name"].split())
    name, recovered = _undamaged(name, row["raw_text"], where, report)
    if looks_truncated(name):
        report.flag("name-truncated", RED, where, "name cut at a line end; its rest is not in the row", name)
    abbreviation = _ABBREVIATION.search(name)
    other_names = (abbreviation["abbreviation"],) if abbreviation else ()
    if abbreviation:
        name = name[: abbreviation.start()]
    _check_table(name, table, where, report)
    return IncbEntry(
        source=RED,
        row=number,
        schedule=f"Table {table}",
        name=name,
        inn=row["international_nonproprietary_name"].strip() or None,
        other_names=other_names,
        synonyms=recovered + _synonyms(row["other_names"], where, report),
        cas=_cas(row["cas_number"], name, where, report),
    )


def _undamaged(name: str, raw_text: str, where: str, report: Report) -> tuple[str, tuple[str, ...]]:
    if not looks_truncated(name) or " (" not in name:
        return name, ()
    head = name[: name.index(" (")].strip()
    line = next((line for line in raw_text.split("\n") if line.startswith(f"{head} (")), "")
    synonym = line[len(head) :].strip()
    report.fix("name-damaged", RED, where, f"name cut before its chemical synonym: {head!r}", name)
    return head, ((synonym,) if synonym and is_balanced(synonym) else ())


def _synonyms(other_names: str, where: str, report: Report) -> tuple[str, ...]:
    kept: list[str] = []
    for text in other_names.split(";"):
        synonym = " ".join(text.split())
        if not synonym:
            continue
        if _FRENCH_TAIL.match(synonym):
            report.fix("synonym-fragment", RED, where, "tail of a wrapped French name: dropped", synonym)
        elif looks_truncated(synonym) and not (is_balanced(synonym) and _CAS_INDEX_NAME.search(synonym)):
            report.fix("synonym-damaged", RED, where, "other name cut by the column layout: dropped", synonym)
        elif _ACCENTED.search(synonym) and (", " in synonym or "[" in synonym):
            report.fix("synonym-interleaved", RED, where, "chemical and French names run together: dropped", synonym)
        elif synonym not in kept:
            kept.append(synonym)
    return tuple(kept)


def _cas(column: str, name: str, where: str, report: Report) -> str | None:
    cas = column.strip()
    if not cas:
        report.flag("cas-missing", RED, where, "the list prints no CAS number (n/a)", name)
    return cas or None


def _check_table(name: str, table: str, where: str, report: Report) -> None:
    original = UNVERIFIED_TABLES.get(name.casefold())
    if original is not None and original != table:
        report.flag(
            "schedule-unverified",
            RED,
            where,
            f"{name} is in Table {table} here but in Table {original} of the original 1988 annex: check the list",
            name,
        )
