"""How alerts name things: countries, event kinds, substances."""

from observatory.errors import BadInput
from observatory.ewa.events import EventKind, SubstanceEntry
from observatory.reference.geography import place

KIND_PHRASES = {
    EventKind.FIRST_IDENTIFICATION: "a first identification by a forensic laboratory",
    EventKind.SEIZURE: "a seizure",
    EventKind.FORENSIC_SAMPLE: "a forensic sample",
    EventKind.TOXICOLOGY: "a toxicology case",
    EventKind.DRUG_CHECKING: "a drug-checking sample",
}


def country_name(iso3: str | None) -> str:
    if iso3 is None:
        return "an unknown country"
    try:
        return place(iso3).name
    except BadInput:
        return iso3


def described(substance: SubstanceEntry) -> str:
    """ "N-Ethylhexedrone (cathinones)"; the family only when a classification gives one."""
    family = f" ({substance.family.replace('_', ' ')})" if substance.family else ""
    return f"{substance.name}{family}"


def control_phrase(substance: SubstanceEntry) -> str:
    return "; ".join(substance.controls) if substance.controls else "not controlled in the registry's lists"
