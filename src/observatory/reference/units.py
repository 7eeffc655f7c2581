"""Units in which quantities of drugs are reported: mass, volume and counts (tablets, doses, plants...).

Each unit converts to the base unit of its kind: mass to kilograms and volume to litres, both by SI definition.
A count unit is its own base: a tablet weighs nothing until a conversion factor for a drug says how much
(see ``observatory.reference.conversion``).
"""

import csv
import difflib
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from observatory.datasets import DATASETS
from observatory.errors import BadInput

UNITS_FILE = DATASETS / "reference" / "units.csv"


class UnitKind(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    label: str
    kind: UnitKind
    base: str
    to_base: float
    aliases: tuple[str, ...]
    source: str

    def __post_init__(self) -> None:
        if not (math.isfinite(self.to_base) and self.to_base > 0):
            raise ValueError(f"unit {self.code!r}: to_base must be a positive finite number, not {self.to_base!r}")
        if self.kind is UnitKind.COUNT and (self.base != self.code or self.to_base != 1):
            raise ValueError(f"count unit {self.code!r} must be its own base with to_base 1")


def normalise_unit_name(name: str) -> str:
    return " ".join(name.replace("\u00a0", " ").split()).casefold()


@cache
def units() -> tuple[Unit, ...]:
    """Every unit the platform knows, in file order."""
    with UNITS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Unit(
                code=row["code"],
                label=row["label"],
                kind=UnitKind(row["kind"]),
                base=row["base"],
                to_base=float(row["to_base"]),
                aliases=tuple(alias for alias in row["aliases"].split("|") if alias),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def _by_name() -> dict[str, Unit]:
    names: dict[str, Unit] = {}
    for known in units():
        for name in (known.code, known.label, *known.aliases):
            key = normalise_unit_name(name)
            if names.setdefault(key, known) is not known:
                raise ValueError(f"{UNITS_FILE.name}: {name!r} names both {names[key].code!r} and {known.code!r}")
    return names


def unit(name: str) -> Unit:
    """The unit called ``name`` (its code, label or an alias, in any case): ``unit("Tablets").code == "tablet"``."""
    found = _by_name().get(normalise_unit_name(name)) if isinstance(name, str) else None
    if found is not None:
        return found
    accepted = [known.code for known in units()]
    close = difflib.get_close_matches(normalise_unit_name(str(name)), list(_by_name()), n=5, cutoff=0.6)
    candidates = list(dict.fromkeys(_by_name()[match].code for match in close))
    hint = f"; did you mean {', '.join(map(repr, candidates))}?" if candidates else ""
    raise BadInput(
        f"unknown unit {name!r}: accepted units are {', '.join(accepted)} (or their usual names){hint}",
        [{"field": "unit", "value": name, "accepted": accepted, "candidates": candidates}],
    )


def units_of_kind(kind: UnitKind) -> tuple[Unit, ...]:
    return tuple(known for known in units() if known.kind is kind)
