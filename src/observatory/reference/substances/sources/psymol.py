"""The psymol table: PsychonautWiki substances and PiHKAL/TiHKAL compounds with SMILES and effect classes.

Its ``inchi`` column holds InChIKeys, not InChI strings; it is read as the record's InChIKey.
"""

from pathlib import Path

from observatory.reference.substances.identifiers import is_inchikey
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv

PSYMOL = "psymol"
COLUMNS = ("name", "class0", "class1", "class2", "smiles", "inchi")


def read_psymol(path: Path, report: Report) -> list[SubstanceRecord]:
    records: list[SubstanceRecord] = []
    for number, row in enumerate(read_csv(path, COLUMNS), start=1):
        where = str(number)
        name = " ".join(row["name"].split())
        if not name:
            report.flag("name-missing", PSYMOL, where, "row has no name: skipped")
            continue
        inchikey = row["inchi"].strip() or None
        if inchikey is not None and not is_inchikey(inchikey):
            report.flag("inchikey-malformed", PSYMOL, where, "inchi column is not an InChIKey: not kept", inchikey)
            inchikey = None
        classes = tuple(dict.fromkeys(c.strip() for c in (row["class0"], row["class1"], row["class2"]) if c.strip()))
        records.append(
            SubstanceRecord(
                source=PSYMOL,
                record_id=where,
                names=(name,),
                smiles=row["smiles"].strip() or None,
                inchikey=inchikey,
                categories=classes,
            )
        )
    return records
