"""``identities.csv``: links between a listed name and its structure that no source states in one record.

A control list may name a substance (and its CAS number) without a structure while an NPS source draws the
structure under another name: the Green List's "N-hydroxy MDA" is PiHKAL's MDOH. Each row gives the name, the
CAS number and the structure, with the evidence; as a record of its own it joins the structure's entry by
InChIKey and brings the CAS number, so the control lists' records join the same entry.
"""

from pathlib import Path

from observatory.errors import BadInput
from observatory.reference.substances.identifiers import parse_cas
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import read_csv

IDENTITIES = "identities"


def read_identities(path: Path, report: Report) -> list[SubstanceRecord]:
    records: list[SubstanceRecord] = []
    for number, row in enumerate(read_csv(path, ("name", "cas", "smiles", "evidence")), start=2):
        cas = None
        try:
            cas = parse_cas(row["cas"]) if row["cas"] else None
        except BadInput as error:
            report.flag("cas-invalid", IDENTITIES, str(number), error.message, row["cas"])
        records.append(
            SubstanceRecord(
                source=IDENTITIES,
                record_id=str(number),
                names=(row["name"],),
                cas=(cas,) if cas else (),
                smiles=row["smiles"] or None,
            )
        )
    return records
