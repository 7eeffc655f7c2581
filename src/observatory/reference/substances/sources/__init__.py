"""Readers of the source lists, each into ``SubstanceRecord`` values; ``read_sources`` reads them all."""

from dataclasses import dataclass, field
from pathlib import Path

from observatory.reference.substances.incb_cleaning import clean_incb_lists
from observatory.reference.substances.records import SubstanceRecord
from observatory.reference.substances.report import Report
from observatory.reference.substances.source_files import (
    CFSRE_MONOGRAPHS,
    CHINA_CATALOGUE,
    DEA_CONTROLLED,
    DEA_STREET_NAMES,
    DUTCH_OPIUM_ACT,
    IDENTITIES_FILE,
    PSYMOL,
    SLOVENIA_NPS,
    SUBSTANCE_DATA,
    SWGDRUG_MONOGRAPHS,
)
from observatory.reference.substances.sources.china import read_china
from observatory.reference.substances.sources.dea_controlled import read_dea_controlled
from observatory.reference.substances.sources.dea_street_names import StreetNameGroup, read_street_names
from observatory.reference.substances.sources.identities import read_identities
from observatory.reference.substances.sources.incb import incb_records
from observatory.reference.substances.sources.netherlands import read_netherlands
from observatory.reference.substances.sources.nps_monographs import CFSRE, SLOVENIA, SWGDRUG, read_nps_monographs
from observatory.reference.substances.sources.psymol import read_psymol


@dataclass(slots=True)
class SourceBatch:
    records: list[SubstanceRecord] = field(default_factory=list)
    street_names: list[StreetNameGroup] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def read_sources(directory: Path = SUBSTANCE_DATA) -> SourceBatch:
    """Every record of every list, INCB lists first (their names are preferred), then national lists, then
    the NPS registries."""
    batch = SourceBatch()
    entries, incb_report = clean_incb_lists(directory)
    batch.report.extend(incb_report)
    batch.records.extend(incb_records(entries))
    report = batch.report
    batch.records.extend(read_china(directory / CHINA_CATALOGUE, report))
    batch.records.extend(read_dea_controlled(directory / DEA_CONTROLLED, report))
    batch.records.extend(read_netherlands(directory / DUTCH_OPIUM_ACT, report))
    batch.records.extend(read_nps_monographs(directory / SLOVENIA_NPS, SLOVENIA, report))
    batch.records.extend(read_nps_monographs(directory / CFSRE_MONOGRAPHS, CFSRE, report))
    batch.records.extend(read_nps_monographs(directory / SWGDRUG_MONOGRAPHS, SWGDRUG, report))
    batch.records.extend(read_psymol(directory / PSYMOL, report))
    if (directory / IDENTITIES_FILE).is_file():
        batch.records.extend(read_identities(directory / IDENTITIES_FILE, report))
    batch.street_names.extend(read_street_names(directory / DEA_STREET_NAMES, report))
    return batch
