"""Fields the WDR drug hierarchy determines: a seizure row that names the drug has its group and sub-group."""

from functools import cache

from observatory.reference.drug_names import Level, UnknownDrug, drug_hierarchy
from observatory.reference.seizure_drug_names import seizure_name
from observatory.reporting.declaration import Declaration

SEIZURE_TABLE = "7.1"
DERIVED = ("drug_group", "drug_subgroup")


def derivable(declaration: Declaration, filled: set[str]) -> tuple[str, ...]:
    """The hierarchy fields ``declaration`` has and a mapping filling ``filled`` lacks, if it fills the drug."""
    fields = {field.id for field in declaration.all_fields()}
    if "drug" not in filled:
        return ()
    return tuple(name for name in DERIVED if name in fields and name not in filled)


@cache
def placement(drug: str) -> tuple[str, str] | None:
    """(group, sub-group) table 7.1 files ``drug`` under, if one and only one."""
    try:
        name = seizure_name(drug, Level.DRUG).name
    except UnknownDrug:
        return None
    places = {
        (entry.group, entry.subgroup or "")
        for entry in drug_hierarchy()
        if entry.drug == name and SEIZURE_TABLE in entry.tables
    }
    return next(iter(places)) if len(places) == 1 else None
