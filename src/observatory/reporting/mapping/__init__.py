"""Mappings: reading a provider's own file layout as a data set, suggested by the platform, confirmed by a person.

    from observatory.reporting.mapping import suggest_mapping, parse_mapping, save_mapping

    proposal = suggest_mapping(data, "seizures.csv", declaration("annual-seizures"), country="IND")
    proposal.mapping            # only what is certain: that is ``--mapping auto``
    proposal.to_json()["to_confirm"]   # fuzzy matches with candidates, for a person
    saved = save_mapping(engine, principal, proposal.mapping, "IND")   # versioned, reused next year

A mapping is read by ``mapped_reading`` (called by validation's ``check_file`` when one is given), so a mapped
file is checked and stored exactly as a file in a declared layout.
"""

from observatory.reporting.mapping.apply import check_mapping, mapped_reading
from observatory.reporting.mapping.choice import AUTO, SAVED, chosen_mapping
from observatory.reporting.mapping.model import BadMapping, FileMapping, TotalRows, Wide, WideColumn, parse_mapping
from observatory.reporting.mapping.saved import (
    SavedMapping,
    latest_mapping,
    mapping_versions,
    record_use,
    save_mapping,
    saved_mapping,
    used_by,
)
from observatory.reporting.mapping.suggest import Item, Proposal, suggest_mapping

__all__ = [
    "AUTO",
    "SAVED",
    "BadMapping",
    "FileMapping",
    "Item",
    "Proposal",
    "SavedMapping",
    "TotalRows",
    "Wide",
    "WideColumn",
    "check_mapping",
    "chosen_mapping",
    "latest_mapping",
    "mapped_reading",
    "mapping_versions",
    "parse_mapping",
    "record_use",
    "save_mapping",
    "saved_mapping",
    "suggest_mapping",
    "used_by",
]
