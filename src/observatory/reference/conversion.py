"""Seized and produced quantities as kilogram-equivalents (METHODS.md §3): bulk weight, no purity adjustment.

kg_eq = kg + litres × 1.0 + units × unit weight(drug, region). A factor gives the kilograms in one base unit
(kg, l, tablet...) within a scope; the most specific matching scope wins, in the order of ``Scope``. Factors
that METHODS.md marks [U], or does not give at all, are defaults: a result that used one has ``confirmed=False``
and a flag naming the factor.
"""

import math
import types
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args

from observatory.datasets import DATASETS
from observatory.errors import BadInput
from observatory.reference import units
from observatory.reference.tables import cell_error, read_table

FACTORS_FILE = DATASETS / "reference" / "conversion_factors.csv"
WDR_DRUGS_FILE = DATASETS / "reference" / "conversion_factors_wdr_drugs.csv"
OPIUM_HEROIN_FILE = DATASETS / "reference" / "conversion_factors_opium_heroin.csv"
_QUOTES = str.maketrans(dict.fromkeys('"“”„‟″'))


class Scope(StrEnum):
    DRUG_SUBREGION = "drug+subregion"
    DRUG_REGION = "drug+region"
    DRUG = "drug"
    DRUG_GROUP = "drug group"
    UNIT_ONLY = "unit-only"


def normalise_name(name: str) -> str:
    """'“Ecstasy”-type substances' and 'ecstasy-type  substances' give one key; so do 'A / B' and 'A/B'."""
    text = " ".join(name.translate(_QUOTES).replace("\u00a0", " ").split()).casefold()
    return text.replace(" /", "/").replace("/ ", "/")


def in_force(valid_from: int | None, valid_to: int | None, year: int | None) -> bool:
    """Without a year, only what is still in force (no ``valid_to``) applies."""
    if year is None:
        return valid_to is None
    return (valid_from is None or valid_from <= year) and (valid_to is None or year <= valid_to)


class InvalidField(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column


@dataclass(frozen=True, slots=True)
class Factor:
    """Kilograms in one ``unit`` (a base unit code) of ``drug`` or of ``drug_group`` (neither: of any drug).

    ``confirmed_min``–``confirmed_max`` is the range a source confirms, which a default value must respect
    (ATS tablets: 90–300 mg, METHODS.md §3 [C]).
    """

    id: str
    unit: str
    value: float
    confirmed: bool
    source: str
    drug: str | None = None
    drug_group: str | None = None
    region: str | None = None
    subregion: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    confirmed_min: float | None = None
    confirmed_max: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        bases = [known.code for known in units.units() if known.base == known.code]
        if self.unit not in bases:
            raise InvalidField("unit", f"{self.unit!r} is not a base unit code ({', '.join(bases)})")
        if not (math.isfinite(self.value) and self.value > 0):
            raise InvalidField("value", f"{self.value!r} is not a positive number of kilograms")
        if self.drug and self.drug_group:
            raise InvalidField("drug_group", "give a drug or a drug group, not both")
        if (self.region or self.subregion) and not self.drug:
            raise InvalidField("region", "a regional factor needs a drug (scopes drug+region, drug+subregion)")
        if self.valid_from is not None and self.valid_to is not None and self.valid_from > self.valid_to:
            raise InvalidField("valid_to", f"{self.valid_to} is before valid_from {self.valid_from}")
        low, high = self.confirmed_min, self.confirmed_max
        if (low is None) != (high is None) or (low is not None and high is not None and not low <= self.value <= high):
            raise InvalidField("value", f"{self.value} is outside the confirmed range {low}–{high} (or half of it)")

    @property
    def scope(self) -> Scope:
        if self.drug_group:
            return Scope.DRUG_GROUP
        if not self.drug:
            return Scope.UNIT_ONLY
        return Scope.DRUG_SUBREGION if self.subregion else Scope.DRUG_REGION if self.region else Scope.DRUG

    def clashes_with(self, other: "Factor") -> bool:
        """Same unit and scope, in force in a common year: a lookup could not choose between them."""
        keys = [
            (f.unit, *map(normalise_name, (f.drug or "", f.drug_group or "", f.region or "", f.subregion or "")))
            for f in (self, other)
        ]
        starts = [f.valid_from if f.valid_from is not None else -math.inf for f in (self, other)]
        ends = [f.valid_to if f.valid_to is not None else math.inf for f in (self, other)]
        return keys[0] == keys[1] and max(starts) <= min(ends)


@dataclass(frozen=True, slots=True)
class OpiumHeroinRatio:
    id: str
    country: str
    opium_kg_per_heroin_kg: float
    confirmed: bool
    source: str
    valid_from: int | None = None
    valid_to: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.opium_kg_per_heroin_kg) and self.opium_kg_per_heroin_kg >= 1):
            raise InvalidField("opium_kg_per_heroin_kg", f"{self.opium_kg_per_heroin_kg!r} is not a ratio ≥ 1")


_Row = TypeVar("_Row", Factor, OpiumHeroinRatio)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    factor_id: str
    message: str


@dataclass(frozen=True, slots=True)
class Conversion:
    quantity: float
    unit: str
    drug: str
    kilograms: float
    factor: Factor
    scope: Scope
    confirmed: bool
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class KgEquivalent:
    kilograms: float
    confirmed: bool
    flags: tuple[Flag, ...]
    parts: tuple[Conversion, ...]


@dataclass(frozen=True, slots=True)
class HeroinEstimate:
    opium_kg: float
    heroin_kg: float
    ratio: OpiumHeroinRatio
    confirmed: bool
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class DrugNames:
    """Drug names and subgroups (normalised) with the subgroups and groups each belongs to in WDR annex 7.1."""

    subgroups: dict[str, frozenset[str]]
    groups: dict[str, frozenset[str]]

    def keys(self, drug: str) -> tuple[frozenset[str], frozenset[str]]:
        """Names a drug-scoped factor may carry for ``drug``, and groups a group-scoped factor may carry."""
        key = normalise_name(drug)
        return self.subgroups.get(key, frozenset()) | {key}, self.groups.get(key, frozenset())


@cache
def wdr_drug_names() -> DrugNames:
    subgroups: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
    groups: defaultdict[str, frozenset[str]] = defaultdict(frozenset)
    for _, row in read_table(WDR_DRUGS_FILE, ("drug_group", "drug_subgroup", "drug_name")):
        group, subgroup, name = (normalise_name(row[c] or "") for c in ("drug_group", "drug_subgroup", "drug_name"))
        subgroups[name] |= {subgroup}
        for member in (name, subgroup, group):
            groups[member] |= {group}
    return DrugNames(dict(subgroups), dict(groups))


@dataclass(frozen=True, slots=True)
class FactorTable:
    factors: tuple[Factor, ...]
    drugs: DrugNames

    def convert(
        self,
        quantity: float,
        unit: str,
        drug: str,
        region: str | None = None,
        subregion: str | None = None,
        year: int | None = None,
    ) -> Conversion:
        amount = _quantity(quantity)
        known = units.unit(unit)
        if not isinstance(drug, str) or not drug.strip():
            raise BadInput(f"drug must be a non-empty name, not {drug!r}", [{"field": "drug", "value": drug}])
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise BadInput(f"year must be a whole year or None, not {year!r}", [{"field": "year", "value": year}])
        factor = self.factor(known.base, drug, region, subregion, year)
        kilograms = amount * known.to_base * factor.value
        if not math.isfinite(kilograms):
            raise BadInput(f"{quantity!r} {known.code} is too large", [{"field": "quantity", "value": quantity}])
        flags = _flags(factor.confirmed, factor.id, f"{factor.value:g} kg per {factor.unit}", factor.source)
        return Conversion(amount, known.code, drug, kilograms, factor, factor.scope, factor.confirmed, flags)

    def factor(self, base: str, drug: str, region: str | None, subregion: str | None, year: int | None) -> Factor:
        """The most specific factor in force in ``year`` for ``base`` unit of ``drug`` at that place."""
        names, groups = self.drugs.keys(drug)
        place = (normalise_name(region or ""), normalise_name(subregion or ""))
        candidates = [f for f in self.factors if f.unit == base and in_force(f.valid_from, f.valid_to, year)]
        for scope in Scope:
            found = [f for f in candidates if f.scope is scope and _matches(f, names, groups, *place)]
            if len(found) > 1:
                raise BadInput(
                    f"{len(found)} {scope} factors apply to {base} of {drug!r}: {', '.join(f.id for f in found)}; "
                    "name the drug group or a more specific drug",
                    [{"field": "drug", "value": drug, "factors": [f.id for f in found]}],
                )
            if found:
                return found[0]
        accepted = [
            f"{f.drug or f.drug_group or 'any drug'} [{f.scope}] ({f.id})" for f in self.factors if f.unit == base
        ]
        asked = {"unit": base, "region": region, "subregion": subregion, "year": year}
        raise BadInput(
            f"no conversion factor for {base} of {drug!r} (region {region!r}, subregion {subregion!r}, "
            f"year {year!r}); factors for {base}: {'; '.join(accepted) or 'none'} "
            f"(units with factors: {', '.join(dict.fromkeys(f.unit for f in self.factors))})",
            [{"field": "drug", "value": drug, **asked, "accepted": accepted}],
        )


def _matches(factor: Factor, names: frozenset[str], groups: frozenset[str], region: str, subregion: str) -> bool:
    if factor.drug_group:
        return normalise_name(factor.drug_group) in groups
    if not factor.drug:
        return True
    if normalise_name(factor.drug) not in names:
        return False
    if factor.subregion:
        return normalise_name(factor.subregion) == subregion and region in ("", normalise_name(factor.region or region))
    return not factor.region or normalise_name(factor.region) == region


def _flags(confirmed: bool, factor_id: str, value: str, source: str) -> tuple[Flag, ...]:
    message = f"factor {factor_id!r} ({value}, {source}) is an unconfirmed default"
    return () if confirmed else (Flag("unconfirmed-factor", factor_id, message),)


def _quantity(quantity: float) -> float:
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int | float)
        or not math.isfinite(quantity)
        or quantity < 0
    ):
        raise BadInput(
            f"quantity must be a finite number ≥ 0, not {quantity!r}",
            [{"field": "quantity", "value": repr(quantity), "accepted": "a finite number ≥ 0"}],
        )
    return float(quantity) + 0.0


def kg_equivalent(parts: Iterable[Conversion]) -> KgEquivalent:
    """The sum of conversions: confirmed only if every part is, with the flags of all parts."""
    done = tuple(parts)
    flags = tuple(dict.fromkeys(flag for part in done for flag in part.flags))
    return KgEquivalent(math.fsum(part.kilograms for part in done), all(p.confirmed for p in done), flags, done)


def convert(
    quantity: float,
    unit: str,
    drug: str,
    region: str | None = None,
    subregion: str | None = None,
    year: int | None = None,
) -> Conversion:
    """``quantity`` ``unit`` of ``drug`` in kilograms, with the shipped factors (see ``FactorTable.convert``)."""
    return default_factors().convert(quantity, unit, drug, region, subregion, year)


@cache
def default_factors() -> FactorTable:
    return load_factors(FACTORS_FILE)


def load_factors(path: Path, drugs: DrugNames | None = None) -> FactorTable:
    """A factor table from a CSV file laid out like ``conversion_factors.csv``; one bad cell fails the load."""
    factors, drugs = _load(path, Factor), drugs or wdr_drug_names()
    for number, factor in enumerate(factors, start=2):
        if factor.drug_group and normalise_name(factor.drug_group) not in drugs.groups:
            raise cell_error(path, number, "drug_group", factor.drug_group, "is not a WDR annex 7.1 drug group")
        earlier = [f for f in factors[: number - 2] if f.id == factor.id or f.clashes_with(factor)]
        if earlier:
            reason = f"repeats id {factor.id!r}" if earlier[0].id == factor.id else f"clashes with {earlier[0].id!r}"
            raise cell_error(path, number, "id", factor.id, f"{reason} (same unit, scope and years)")
    return FactorTable(factors, drugs)


def potential_production(regions: Iterable[tuple[float, float]]) -> float:
    """Potential opium production in kg: Σ area (ha, net of eradication) × yield (kg/ha) (METHODS.md §3 [P])."""
    return math.fsum(_quantity(area) * _quantity(crop_yield) for area, crop_yield in regions)


def heroin_from_opium(opium_kg: float, country: str, year: int | None = None) -> HeroinEstimate:
    """Heroin obtainable from ``opium_kg`` at ``country``'s opium-to-heroin ratio in force in ``year``."""
    amount = _quantity(opium_kg)
    ratios = opium_heroin_ratios()
    found = [r for r in ratios if r.country == str(country).upper() and in_force(r.valid_from, r.valid_to, year)]
    if not found:
        known = [f"{r.country} {r.valid_from or '…'}–{r.valid_to or '…'} ({r.id})" for r in ratios]
        raise BadInput(
            f"no opium-to-heroin ratio for {country!r} in {year or 'the current period'}; known: {'; '.join(known)}",
            [{"field": "country", "value": country, "year": year, "accepted": known}],
        )
    ratio = found[0]
    flags = _flags(ratio.confirmed, ratio.id, f"{ratio.opium_kg_per_heroin_kg:g}:1", ratio.source)
    return HeroinEstimate(amount, amount / ratio.opium_kg_per_heroin_kg, ratio, ratio.confirmed, flags)


@cache
def opium_heroin_ratios() -> tuple[OpiumHeroinRatio, ...]:
    return _load(OPIUM_HEROIN_FILE, OpiumHeroinRatio)


def _load(path: Path, kind: type[_Row]) -> tuple[_Row, ...]:
    """Rows of ``path`` as ``kind`` (a dataclass whose fields are the columns); str, float, int, bool cells."""
    loaded = []
    for number, row in read_table(path, tuple(f.name for f in fields(kind))):
        values: dict[str, Any] = {}
        column = ""
        try:
            for spec in fields(kind):
                column, text = spec.name, (row.get(spec.name) or "").strip()
                if not text and spec.default is MISSING:
                    raise ValueError("is empty")
                values[column] = _parse_cell(spec.type, text) if text else spec.default
            loaded.append(kind(**values))
        except InvalidField as error:
            raise cell_error(path, number, error.column, row.get(error.column), str(error)) from None
        except ValueError as error:
            raise cell_error(path, number, column, row.get(column), str(error)) from None
    return tuple(loaded)


def _parse_cell(annotation: Any, text: str) -> Any:
    kind = next(t for t in get_args(annotation) or (annotation,) if t is not types.NoneType)
    if kind is bool:
        if text.casefold() not in ("true", "false"):
            raise ValueError(f"{text!r} is neither true nor false")
        return text.casefold() == "true"
    return kind(text)
