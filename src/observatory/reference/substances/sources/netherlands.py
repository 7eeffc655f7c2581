"""The Dutch Opium Act (Opiumwet) lists I and II as of 2017, in Dutch.

``inn`` holds the INN in Dutch spelling ("amfetamine", "cocaïne"), read as the entry's main name (the
registry's INN is the international one); ``other_names`` one or more names
separated by ", " ("2,5-dimethoxy-4-ethylamfetamine, DOET"); ``description`` a Dutch chemical name or, for
plants and fungi, a description ("alle delen van de plant ..."), kept as a note.
"""

import re
from pathlib import Path

from observatory.reference.substances.records import NETHERLANDS as NETHERLANDS_REGIME
from observatory.reference.substances.records import ControlFact, SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv

NETHERLANDS = "nl-opiumwet"
EDITION = "Opiumwet lists as of 2017"
COLUMNS = ("list", "inn", "other_names", "description")
_NAME_SEPARATOR = re.compile(r",\s+(?=\D)")


def read_netherlands(path: Path, report: Report) -> list[SubstanceRecord]:
    records: list[SubstanceRecord] = []
    for number, row in enumerate(read_csv(path, COLUMNS), start=1):
        where = str(number)
        inn = " ".join(row["inn"].split())
        others = [name.strip() for name in _NAME_SEPARATOR.split(" ".join(row["other_names"].split()))]
        names = tuple(dict.fromkeys(name for name in (inn, *others) if name))
        if not names:
            report.flag("name-missing", NETHERLANDS, where, "row has no name: skipped")
            continue
        description = " ".join(row["description"].split())
        is_description = len(description.split()) >= 3
        fact = ControlFact(
            regime=NETHERLANDS_REGIME,
            schedule=f"List {row['list'].strip()}",
            source=NETHERLANDS,
            edition=EDITION,
            note=description if is_description else None,
        )
        records.append(
            SubstanceRecord(
                source=NETHERLANDS,
                record_id=where,
                names=names,
                iupac_names=(description,) if description and not is_description else (),
                controls=(fact,),
            )
        )
    return records
