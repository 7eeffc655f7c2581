"""The US DEA controlled substances list (Orange Book as scraped in 2021 by the DOPE R package).

One row per (substance, synonym); rows of one substance are grouped. Each substance becomes one record
with a control fact under the US Controlled Substances Act: schedule, DEA Controlled Substance Code
Number, narcotic flag.

The synonym column is noisy (SOURCES.md): some synonyms belong to the neighbouring entry. Rules, reported:

* ``dea-synonym-shared``: a synonym listed under several substances ("China White", "fentanyl" under
  seven fentanyl analogues; "MDMA" under MDMA and 2C-B) stays only where it is listed first, if that is one
  substance, and is dropped everywhere else;
* ``dea-synonym-description``: descriptions are not names ("Constituent of "Khat" plant", "PCP precursor");
* ``dea-synonym-analogue``: "3-methylethcathinone (3-MEC)" under 4-MEC names a related substance;
* ``dea-preparation``: a preparation or dosage form ("Codeine combination product 90 mg/du", "Opium, raw")
  is a control fact of its base substance with the form as a note; its brand names are not the
  substance's names.

Synonyms that survive are still looser than names: the registry never lets one override the name of
another substance.
"""

import re
from collections import Counter, defaultdict
from pathlib import Path

from observatory.reference.substances.identifiers import name_key
from observatory.reference.substances.records import US_CSA, ControlFact, SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv
from observatory.reference.substances.sources.dea_names import split_dea_substance

DEA = "dea-controlled"
EDITION = "DEA Orange Book, scraped 2021 (DOPE)"
COLUMNS = ("substance", "number", "schedule", "narcotic", "synonym")
_PREPARATION = re.compile(
    r"\s*(?:\bcombination product\b|\bpreparations?\b|\btincture\b|\bsuppository dosage form\b|\bdosage forms?\b"
    r"|&\s*noncontrolled active ingred|&\s*isoquinoline alkaloid|,\s*(?:granulated|powdered|raw|bulk)\b"
    r"|\bin an oral solution\b|\(synthetic\) in sesame oil|\d+(?:\.\d+)?\s*mg/).*$",
    re.IGNORECASE,
)
_DESCRIPTION = re.compile(
    r'"|\b(?:constituent|precursor|sold as|contains|cactus|combination products|and others|long acting)\b',
    re.IGNORECASE,
)
_ANALOGUE = re.compile(r"^(?P<name>.+?)\s*\((?P<other>[^()]+)\)$")
Entry = tuple[str, str, str, str]


def read_dea_controlled(path: Path, report: Report) -> list[SubstanceRecord]:
    synonyms: dict[Entry, list[str]] = defaultdict(list)
    first_rows: dict[Entry, int] = {}
    for number, row in enumerate(read_csv(path, COLUMNS), start=1):
        entry = (" ".join(row["substance"].split()), row["number"].strip(), row["schedule"].strip(), row["narcotic"])
        first_rows.setdefault(entry, number)
        synonym = " ".join(row["synonym"].split())
        if synonym and synonym not in synonyms[entry]:
            synonyms[entry].append(synonym)
    kept = _unshared(synonyms, report)
    return [_record(entry, first_rows[entry], kept.get(entry, []), report) for entry in first_rows]


def _unshared(synonyms: dict[Entry, list[str]], report: Report) -> dict[Entry, list[str]]:
    """Synonyms listed under several substances kept only where listed first, if that is one substance."""
    listed = Counter(synonym for names in synonyms.values() for synonym in names)
    first = Counter(names[0] for names in synonyms.values() if names)
    kept: dict[Entry, list[str]] = {}
    for entry, names in synonyms.items():
        kept[entry] = []
        for position, synonym in enumerate(names):
            if listed[synonym] == 1 or (position == 0 and first[synonym] == 1):
                kept[entry].append(synonym)
            else:
                message = f"synonym listed under {listed[synonym]} substances: dropped from {entry[0]!r}"
                report.fix("dea-synonym-shared", DEA, entry[0], message, synonym)
    return kept


def _record(entry: Entry, row: int, synonyms: list[str], report: Report) -> SubstanceRecord:
    substance, code, schedule, narcotic = entry
    preparation = _PREPARATION.search(substance)
    base = substance[: preparation.start()].strip(" ,-") if preparation and preparation.start() else substance
    notes = ["narcotic"] if narcotic.strip().upper() == "Y" else []
    if base != substance:
        notes.append(f"preparation: {substance}")
        report.fix("dea-preparation", DEA, str(row), f"control of a preparation of {base!r}", ", ".join(synonyms))
        synonyms = []
    names = split_dea_substance(base)
    fact = ControlFact(
        regime=US_CSA,
        schedule=f"Schedule {schedule}",
        source=DEA,
        code=code or None,
        edition=EDITION,
        note="; ".join(notes) or None,
    )
    return SubstanceRecord(
        source=DEA,
        record_id=str(row),
        names=names.names or (base,),
        synonyms=tuple(_clean_synonyms(synonyms, names.names, str(row), report)),
        iupac_names=names.chemical_names,
        controls=(fact,),
    )


def _clean_synonyms(synonyms: list[str], own_names: tuple[str, ...], where: str, report: Report) -> list[str]:
    own = {name_key(name) for name in own_names}
    kept: list[str] = []
    for synonym in synonyms:
        analogue = _ANALOGUE.match(synonym)
        if _DESCRIPTION.search(synonym):
            report.fix("dea-synonym-description", DEA, where, "a description, not a name: dropped", synonym)
        elif analogue and not {name_key(analogue["name"]), name_key(analogue["other"])} & own:
            report.fix("dea-synonym-analogue", DEA, where, "names a related substance: dropped", synonym)
        else:
            kept.append(synonym)
    return kept
