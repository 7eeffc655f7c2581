"""The rules' parameters (``alert_rules.toml``) and the list of dangerous adulterants (``adulterants.toml``)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from observatory.errors import BadInput, Conflict
from observatory.ewa.alerts.model import Audience
from observatory.ewa.chemistry import Family, generic_definitions
from observatory.ewa.chemistry.data_files import entry_error, read_toml
from observatory.ewa.events.sources import ADULTERANTS, ALERT_RULES
from observatory.ewa.signals import FarringtonConfig
from observatory.reference.substances import substance_registry


@dataclass(frozen=True, slots=True)
class RuleSettings:
    first_detection_audience: Audience
    watched_sources: frozenset[str]
    analogue_audience: Audience
    min_similarity: float
    neighbours: int
    analogue_evidence: int
    signal_audience: Audience
    min_events: int
    assess_months: int
    farrington: FarringtonConfig
    adulterant_audience: Audience
    adulterant_evidence: int


@dataclass(frozen=True, slots=True)
class Adulterant:
    id: str
    name: str
    hazard: str
    substance_ids: frozenset[str]
    generic: tuple[str, ...]
    families: frozenset[str]
    sold_as: frozenset[str]


@cache
def rule_settings(path: Path = ALERT_RULES) -> RuleSettings:
    table = read_toml(path)
    try:
        first, analogue, signal, adulterant = (
            table[name] for name in ("first_detection", "analogue", "signal", "adulterant")
        )
        return RuleSettings(
            first_detection_audience=Audience(first["audience"]),
            watched_sources=frozenset(first["watched_sources"]),
            analogue_audience=Audience(analogue["audience"]),
            min_similarity=float(analogue["min_similarity"]),
            neighbours=int(analogue["neighbours"]),
            analogue_evidence=int(analogue["evidence_events"]),
            signal_audience=Audience(signal["audience"]),
            min_events=int(signal["min_events"]),
            assess_months=int(signal["assess_months"]),
            farrington=FarringtonConfig(**signal["farrington"]),
            adulterant_audience=Audience(adulterant["audience"]),
            adulterant_evidence=int(adulterant["evidence_events"]),
        )
    except (KeyError, ValueError, TypeError, BadInput) as error:
        raise entry_error(path, "rules", f"bad or missing field ({error})") from error


@cache
def adulterants(path: Path = ADULTERANTS) -> tuple[Adulterant, ...]:
    """The adulterants of ``path``, their substance names resolved through the registry; ``SourceFileError``
    for a name, generic definition or family that does not exist."""
    return tuple(_adulterant(path, number, entry) for number, entry in enumerate(read_toml(path)["adulterant"], 1))


def _adulterant(path: Path, number: int, entry: dict[str, Any]) -> Adulterant:
    where = str(entry.get("id") or f"adulterant {number}")
    try:
        registry = substance_registry()
        unknown = [name for name in entry.get("generic", []) if name not in generic_definitions()]
        if unknown:
            raise ValueError(f"unknown generic definition(s) {unknown}")
        return Adulterant(
            id=str(entry["id"]),
            name=str(entry["name"]),
            hazard=str(entry["hazard"]),
            substance_ids=frozenset(registry.find(name).id for name in entry.get("substances", [])),
            generic=tuple(entry.get("generic", [])),
            families=frozenset(str(Family(family)) for family in entry.get("families", [])),
            sold_as=frozenset(entry.get("sold_as", [])),
        )
    except (KeyError, ValueError, TypeError, BadInput, Conflict) as error:
        raise entry_error(path, where, f"bad or missing field ({error})") from error
