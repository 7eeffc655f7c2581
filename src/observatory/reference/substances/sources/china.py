"""China's control lists as of 1 July 2025: narcotic drugs (2013 edition), psychotropic substances classes I
and II, and the non-medical NPS supplementary list with its scheduling dates. The control fact names the
list as its schedule, the section (the announcement that listed the substance, in Chinese) as its edition,
and the date the section took effect where the list gives one.

Rules, reported: ``placeholder-row`` (rows of zeros separating the lists are skipped), ``cas-repaired``
("54-04--6"), ``cas-malformed``. CAS numbers labelled 盐酸盐 (hydrochloride), 右旋体 / 左旋体 (dextro- /
laevorotatory isomer) are related, not the substance's own. A ``remark`` in Chinese is a note on the
control fact ("includes isomers and their stereochemical variants"); in Latin script it is an alias
("DOB", "4-MMC"), kept as a synonym because some are cut ("Carfentanyl Ca").
"""

import re
from datetime import date
from pathlib import Path

from observatory.reference.substances.cas_reading import read_cas_numbers
from observatory.reference.substances.records import CHINA as CHINA_REGIME
from observatory.reference.substances.records import ControlFact, SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv

CHINA = "china"
COLUMNS = ("list", "section", "effective", "no", "name_zh", "name_en", "cas", "remark")
_PLACEHOLDER = re.compile(r"0+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def read_china(path: Path, report: Report) -> list[SubstanceRecord]:
    records: list[SubstanceRecord] = []
    for number, row in enumerate(read_csv(path, COLUMNS), start=1):
        where = str(number)
        if _PLACEHOLDER.fullmatch(row["no"].strip()) and _PLACEHOLDER.fullmatch(row["name_en"].strip()):
            report.fix("placeholder-row", CHINA, where, "row of zeros between two lists: skipped")
            continue
        records.append(_record(row, where, report))
    return records


def _record(row: dict[str, str], where: str, report: Report) -> SubstanceRecord:
    name_en = " ".join(row["name_en"].split())
    name_zh = " ".join(row["name_zh"].split())
    remark = " ".join(row["remark"].split())
    alias = remark if remark and not _HAN.search(remark) else ""
    names = tuple(dict.fromkeys(name for name in (name_en, name_zh) if name))
    cas = read_cas_numbers(row["cas"], (*names, alias))
    for written, repaired in cas.repaired:
        report.fix("cas-repaired", CHINA, where, f"CAS number read as {repaired}", written)
    for written in cas.malformed:
        report.flag("cas-malformed", CHINA, where, "CAS number is malformed and was not kept", written)
    return SubstanceRecord(
        source=CHINA,
        record_id=where,
        names=names,
        synonyms=(alias,) if alias else (),
        cas=cas.cas,
        related_cas=cas.related,
        controls=(_control(row, remark if remark != alias else None),),
    )


def _control(row: dict[str, str], note: str | None) -> ControlFact:
    effective_text = row["effective"].strip()
    effective = date.fromisoformat(effective_text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", effective_text) else None
    section = " ".join(row["section"].split())
    return ControlFact(
        regime=CHINA_REGIME,
        schedule=row["list"].split(" (")[0].strip(),
        source=CHINA,
        effective=effective,
        code=row["no"].strip() or None,
        edition=": ".join(part for part in (None if effective else effective_text, section) if part) or None,
        note=note,
    )
