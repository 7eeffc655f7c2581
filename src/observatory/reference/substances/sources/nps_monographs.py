"""The three NPS JSON files sharing one record schema: Slovenian NFL list, CFSRE and SWGDRUG monographs.

Schema: ``names[], iupac_names[], categories[], smiles, inchi, inchi_key, cas_num, formula, molecular_mass,
source{name,url}, last_modified, validated, version, deleted, details{}``.

Reading rules, reported with their codes:

* ``name-list-split``: one ``names`` entry holding several names ("3-Chloro Phencyclidine,4Cl-PCP",
  "MDPHP; 3,4-MDPHP") is split; a comma between locants ("2,5-") does not split;
* ``name-junk``: "NPS Discovery at CFSRE" (the publisher), "N/A", "Not Available", "None", lone digits and
  SWGDRUG sample codes ("A01") are not names; ``name-letter-spaced``: "N o t D e t e rmined" and
  "5 - d i m e t hoxyphenethylamine" are broken PDF text, dropped;
* ``plant-material-structure``: a monograph on a plant or drug material (OPIUM, MARIJUANA, KHAT, PEYOTE)
  carries the structure and CAS number of one constituent (codeine, cannabidiol, cathinone, mescaline): the
  record keeps the material's name and drops the constituent's structure and CAS numbers, except a CAS
  number labelled with the material's own name ("Marijuana: 8063-14-7");
* SWGDRUG's ``names`` do not start with the substance's name (["N/A", "trans-cinnamoylcocaine"], brand names
  before "DIAZEPAM"): the main name is the monograph's file name ("4-Fluoro-PVP.pdf"), the rest synonyms;
* ``cas-repaired`` / ``cas-malformed``: see ``cas_reading``; "Not Available", "NA", "N/A" are no number;
* ``inchikey-malformed``: an ``inchi_key`` that is not an InChIKey is not kept;
* ``date-unparseable``: SWGDRUG dates such as "14-07-14T00:00:00Z" or "2013-0920T..." are left empty.

``last_modified`` is the date of first identification in the Slovenian list, the publication date of the
monograph in the two others.
"""

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from observatory.errors import SourceFileError
from observatory.reference.substances.cas_reading import read_cas_numbers
from observatory.reference.substances.identifiers import is_inchikey, name_key
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report

SLOVENIA = "slovenia-nfl"
CFSRE = "cfsre"
SWGDRUG = "swgdrug"
#: Sources whose ``last_modified`` is the date the substance was first identified.
IDENTIFICATION_DATES = frozenset({SLOVENIA})
_LIST_SEPARATOR = re.compile(r";\s*|(?<=[A-Za-z]{2}),(?=\S)")
_JUNK_NAMES = re.compile(
    r"nps discovery at cfsre|n/?a|n|none|not ?available|not ?determined|unknown|\d{1,2}|[A-Z]\d{2}", re.IGNORECASE
)
#: Plants and drug materials, which have no single structure.
PLANT_MATERIALS = frozenset(
    name_key(name)
    for name in (
        "opium",
        "opium poppy",
        "marijuana",
        "cannabis",
        "khat",
        "catha edulis",
        "peyote",
        "coca leaf",
        "poppy straw",
        "salvia divinorum",
        "kratom",
        "hashish",
    )
)
_DATE_IN_NAME = re.compile(r"\s*\(\d{2}-\d{2}-\d{4}\)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_nps_monographs(path: Path, source: str, report: Report) -> list[SubstanceRecord]:
    items = _load(path)
    records: list[SubstanceRecord] = []
    for number, item in enumerate(items, start=1):
        record = _record(item, source, str(number), report)
        if record is not None:
            records.append(record)
    return records


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SourceFileError(f"{path}: not a readable JSON file ({error})", [{"file": str(path)}]) from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceFileError(f"{path}: expected a JSON list of records", [{"file": str(path)}])
    return data


def _record(item: dict[str, Any], source: str, where: str, report: Report) -> SubstanceRecord | None:
    if item.get("deleted"):
        report.fix("deleted-record", source, where, "record marked deleted: skipped")
        return None
    names = _names(item.get("names") or [], source, where, report)
    main = _monograph_name(item) if source == SWGDRUG else None
    if main:
        names = [main, *(name for name in names if name != main)]
    if not names:
        report.flag("name-missing", source, where, "record has no name: skipped")
        return None
    cas = read_cas_numbers(item.get("cas_num"), names)
    for written, repaired in cas.repaired:
        report.fix("cas-repaired", source, where, f"CAS number read as {repaired}", written)
    for written in cas.malformed:
        report.flag("cas-malformed", source, where, "CAS number is malformed and was not kept", written)
    day = _date(item.get("last_modified"), source, where, report)
    record = SubstanceRecord(
        source=source,
        record_id=where,
        names=(names[0],),
        synonyms=tuple(names[1:]),
        iupac_names=tuple(_texts(item.get("iupac_names"))),
        cas=cas.cas,
        related_cas=cas.related,
        smiles=(item.get("smiles") or "").strip() or None,
        inchikey=_inchikey(item.get("inchi_key"), source, where, report),
        categories=tuple(_texts(item.get("categories"))),
        first_identified=day if source in IDENTIFICATION_DATES else None,
        published=None if source in IDENTIFICATION_DATES else day,
    )
    return _without_constituent(record, str(item.get("cas_num") or ""), report)


def _without_constituent(record: SubstanceRecord, cas_text: str, report: Report) -> SubstanceRecord:
    if name_key(record.name) not in PLANT_MATERIALS or not (record.smiles or record.inchikey or record.cas):
        return record
    label = cas_text.split(":", 1)[0] if ":" in cas_text else ""
    keep_cas = bool(label) and name_key(label) in {name_key(name) for name in (*record.names, *record.synonyms)}
    message = "a plant or drug material: the structure and CAS number of its constituent were dropped"
    report.fix("plant-material-structure", record.source, record.record_id, message, record.smiles or cas_text)
    return replace(
        record,
        smiles=None,
        inchikey=None,
        cas=record.cas if keep_cas else (),
        related_cas=() if keep_cas else (*record.cas, *record.related_cas),
    )


def _names(raw: list[Any], source: str, where: str, report: Report) -> list[str]:
    names: list[str] = []
    for text in _texts(raw):
        parts = [part.strip(" ,;") for part in _LIST_SEPARATOR.split(text)]
        parts = [part for part in parts if part]
        if len(parts) > 1:
            report.fix("name-list-split", source, where, f"one name entry held {len(parts)} names", text)
        for part in parts:
            if _JUNK_NAMES.fullmatch(part):
                report.fix("name-junk", source, where, "not a substance name: dropped", part)
            elif _letter_spaced(part):
                report.fix("name-letter-spaced", source, where, "broken PDF text, not a name: dropped", part)
            elif part not in names:
                names.append(part)
    return names


def _letter_spaced(name: str) -> bool:
    words = name.split()
    return len(words) >= 4 and sum(len(word) == 1 for word in words) * 2 >= len(words)


def _monograph_name(item: dict[str, Any]) -> str | None:
    """The substance's name as the monograph's file name gives it: ".../Monographs/4-Fluoro-PVP.pdf"."""
    source = item.get("source")
    url = str(source.get("url") or "") if isinstance(source, dict) else ""
    stem = unquote(url.rsplit("/", 1)[-1]).removesuffix(".pdf")
    return " ".join(_DATE_IN_NAME.sub("", stem).split()) or None


def _texts(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [" ".join(str(value).split()).strip(" ,;") for value in values if str(value).strip(" ,;")]


def _inchikey(value: Any, source: str, where: str, report: Report) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not is_inchikey(text):
        report.flag("inchikey-malformed", source, where, "inchi_key is not an InChIKey: not kept", text)
        return None
    return text


def _date(value: Any, source: str, where: str, report: Report) -> date | None:
    text = str(value or "").strip()
    match = _ISO_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    if text:
        report.flag("date-unparseable", source, where, "date is not YYYY-MM-DD: left empty", text)
    return None
