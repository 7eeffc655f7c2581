"""The three ways the Early Warning Advisory groups a new psychoactive substance.

* :class:`Family`: the chemical family, as the EU Early Warning System's lists use them (the Slovenian
  National Forensic Laboratory's list among them; METHODS.md §6);
* :class:`NpsGroup`: the nine UNODC NPS substance groups of the World Drug Report seizure annex;
* :class:`Effect`: the UNODC EWA effect groups (DOMAIN.md §1.4).

``families.toml`` gives each family its label, UNODC group and usual effect (:func:`family_profiles`).
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.ewa.chemistry.data_files import FAMILIES, entry_error, read_toml
from observatory.i18n import N_


class Family(StrEnum):
    CANNABINOIDS = "cannabinoids"
    CATHINONES = "cathinones"
    OPIOIDS = "opioids"
    PHENETHYLAMINES = "phenethylamines"
    TRYPTAMINES = "tryptamines"
    BENZODIAZEPINES = "benzodiazepines"
    ARYLCYCLOHEXYLAMINES = "arylcyclohexylamines"
    PIPERIDINES_PYRROLIDINES = "piperidines_pyrrolidines"
    ARYLALKYLAMINES = "arylalkylamines"
    PIPERAZINES = "piperazines"
    AMINOINDANES = "aminoindanes"
    PLANTS = "plants"
    OTHERS = "others"


class NpsGroup(StrEnum):
    AMINOINDANES = "aminoindanes"
    KETAMINE_PCP_TYPE = "ketamine_pcp_type"
    PHENETHYLAMINES = "phenethylamines"
    PIPERAZINES = "piperazines"
    PLANT_BASED = "plant_based"
    SYNTHETIC_CANNABINOIDS = "synthetic_cannabinoids"
    SYNTHETIC_CATHINONES = "synthetic_cathinones"
    TRYPTAMINES = "tryptamines"
    OTHER = "other_nps"

    @property
    def label(self) -> str:
        """The group's name in the World Drug Report annex."""
        return _NPS_GROUP_LABELS[self]


_NPS_GROUP_LABELS = {
    NpsGroup.AMINOINDANES: N_("Aminoindanes"),
    NpsGroup.KETAMINE_PCP_TYPE: N_("Ketamine and phencyclidine-type substances"),
    NpsGroup.PHENETHYLAMINES: N_("Phenethylamines"),
    NpsGroup.PIPERAZINES: N_("Piperazines"),
    NpsGroup.PLANT_BASED: N_("Plant-based substances"),
    NpsGroup.SYNTHETIC_CANNABINOIDS: N_("Synthetic cannabinoids"),
    NpsGroup.SYNTHETIC_CATHINONES: N_("Synthetic cathinones"),
    NpsGroup.TRYPTAMINES: N_("Tryptamines"),
    NpsGroup.OTHER: N_("Other NPS"),
}


class Effect(StrEnum):
    STIMULANT = "stimulant"
    SEDATIVE_HYPNOTIC = "sedative_hypnotic"
    OPIOID = "opioid"
    CLASSIC_HALLUCINOGEN = "classic_hallucinogen"
    DISSOCIATIVE = "dissociative"
    SCRA = "scra"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FamilyProfile:
    family: Family
    label: str
    nps_group: NpsGroup
    effect: Effect


@cache
def family_profiles(path: Path = FAMILIES) -> dict[Family, FamilyProfile]:
    """Every family's profile; ``SourceFileError`` when the file misses a family or names an unknown value."""
    table = read_toml(path).get("families", {})
    profiles: dict[Family, FamilyProfile] = {}
    for family in Family:
        entry = table.get(family.value)
        if not isinstance(entry, dict):
            raise entry_error(path, family.value, "family missing")
        try:
            profiles[family] = FamilyProfile(
                family, str(entry["label"]), NpsGroup(entry["nps_group"]), Effect(entry["effect"])
            )
        except (KeyError, ValueError) as error:
            raise entry_error(path, family.value, f"bad or missing field ({error})") from error
    unknown = set(table) - {family.value for family in Family}
    if unknown:
        raise entry_error(path, ", ".join(sorted(unknown)), "not a known family")
    return profiles
