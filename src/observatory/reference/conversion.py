"""Seized and produced quantities as kilogram-equivalents (METHODS.md §3): bulk weight, no purity adjustment.

kg_eq = kg + litres × 1.0 + units × unit weight(drug, region). A factor gives the kilograms in one base unit
(kg, l, tablet...) within a scope; the most specific matching scope wins, in the order of ``Scope``. Factors
that METHODS.md marks [U], or does not give at all, are defaults: a result that used one has ``confirmed=False``
and a flag naming the factor.
"""

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from observatory.datasets import DATASETS
from observatory.errors import BadInput, SourceFileError
from observatory.reference import units

FACTORS_FILE = DATASETS / "reference" / "conversion_factors.csv"
WDR_DRUGS_FILE = DATASETS / "reference" / "conversion_factors_wdr_drugs.csv"
OPIUM_HEROIN_FILE = DATASETS / "reference" / "conversion_factors_opium_heroin.csv"
FACTOR_COLUMNS = ("id", "unit", "drug", "drug_group", "region", "subregion", "value", "valid_from", "valid_to")
FACTOR_COLUMNS += ("confirmed", "confirmed_min", "confirmed_max", "source", "note")
RATIO_COLUMNS = ("id", "country", "opium_kg_per_heroin_kg", "valid_from", "valid_to", "confirmed", "source", "note")
_QUOTES = str.maketrans({quote: None for quote in "\"“”„‟″"})


class Scope(StrEnum):
    DRUG_SUBREGION = "drug+subregion"
    DRUG_REGION = "drug+region"
    DRUG = "drug"
    DRUG_GROUP = "drug group"
    UNIT_ONLY = "unit-only"


def normalise_name(name: str) -> str:
    """'“Ecstasy”-type substances' and 'ecstasy-type  substances' give the same key; so do 'A / B' and 'A/B'."""
    text = " ".join(name.translate(_QUOTES).replace("\u00a0", " ").split()).casefold()
    return text.replace(" /", "/").replace("/ ", "/")


def _covers(valid_from: int | None, valid_to: int | None, year: int | None) -> bool:
    """Without a year only a factor still in force (no ``valid_to``) applies."""
    if year is None:
        return valid_to is None
    return (valid_from is None or valid_from <= year) and (valid_to is None or year <= valid_to)


class InvalidFactor(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Factor:
    """Kilograms in one ``unit`` (a base unit code) of ``drug`` or ``drug_group`` (neither: any drug)."""

    id: str
    unit: str
    value: float
    source: str
    confirmed: bool
    drug: str | None = None
    drug_group: str | None = None
    region: str | None = None
    subregion: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    confirmed_range: tuple[float, float] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.value) and self.value > 0):
            raise InvalidFactor("value", f"must be a positive number of kilograms, not {self.value!r}")
        if self.drug and self.drug_group:
            raise InvalidFactor("drug_group", "give a drug or a drug group, not both")
        if (self.region or self.subregion) and not self.drug:
            raise InvalidFactor("region", "regional factors need a drug (scopes: drug+region, drug+subregion)")
        if None not in (self.valid_from, self.valid_to) and self.valid_from > self.valid_to:  # type: ignore[operator]
            raise InvalidFactor("valid_to", f"ends ({self.valid_to}) before it starts ({self.valid_from})")
        low, high = self.confirmed_range or (self.value, self.value)
        if not low <= self.value <= high:
            raise InvalidFactor("value", f"{self.value} is outside the confirmed range {low}–{high}")

    @property
    def scope(self) -> Scope:
        if self.drug_group:
            return Scope.DRUG_GROUP
        if not self.drug:
            return Scope.UNIT_ONLY
        return Scope.DRUG_SUBREGION if self.subregion else Scope.DRUG_REGION if self.region else Scope.DRUG

    def covers(self, year: int | None) -> bool:
        return _covers(self.valid_from, self.valid_to, year)

    def key(self) -> tuple[str, ...]:
        """Two factors with the same key must not be in force in the same year."""
        parts = (self.drug, self.drug_group, self.region, self.subregion)
        return (self.unit, *(normalise_name(part or "") for part in parts))


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
class DrugNames:
    """WDR annex 7.1 vocabulary: each drug name or subgroup with the subgroups and groups it belongs to."""

    subgroups: dict[str, frozenset[str]] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)

    def keys(self, drug: str) -> tuple[frozenset[str], frozenset[str]]:
        """(names a drug-scoped factor may carry, groups a group-scoped factor may carry) for ``drug``."""
        key = normalise_name(drug)
        return self.subgroups.get(key, frozenset()) | {key}, self.groups.get(key, frozenset())


@cache
def wdr_drug_names() -> DrugNames:
    subgroups: defaultdict[str, set[str]] = defaultdict(set)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    with WDR_DRUGS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            group, subgroup, name = (normalise_name(row[c]) for c in ("drug_group", "drug_subgroup", "drug_name"))
            subgroups[name].add(subgroup)
            for member in (name, subgroup, group):
                groups[member].add(group)
    return DrugNames(
        {name: frozenset(found) for name, found in subgroups.items()},
        {name: frozenset(found) for name, found in groups.items()},
    )


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
            raise BadInput(f"{quantity!r} {known.code} is too large to convert", [{"field": "quantity", "value": quantity}])
        flags = () if factor.confirmed else (_unconfirmed(factor),)
        return Conversion(amount, known.code, drug, kilograms, factor, factor.scope, factor.confirmed, flags)

    def factor(self, base: str, drug: str, region: str | None, subregion: str | None, year: int | None) -> Factor:
        names, groups = self.drugs.keys(drug)
        place = (normalise_name(region or ""), normalise_name(subregion or ""))
        candidates = [f for f in self.factors if f.unit == base and f.covers(year)]
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
        raise self._no_factor(base, drug, region, subregion, year)

    def _no_factor(self, base: str, drug: str, region: str | None, subregion: str | None, year: int | None) -> BadInput:
        accepted = [f"{f.drug or f.drug_group or 'any drug'} [{f.scope}] ({f.id})" for f in self.factors if f.unit == base]
        asked = {"drug": drug, "unit": base, "region": region, "subregion": subregion, "year": year}
        return BadInput(
            f"no conversion factor for {base} of {drug!r} (region {region!r}, subregion {subregion!r}, year {year!r}); "
            f"factors for {base}: {'; '.join(accepted) or 'none'}",
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


def _unconfirmed(factor: Factor) -> Flag:
    return Flag(
        "unconfirmed-factor",
        factor.id,
        f"factor {factor.id!r} ({factor.value:g} kg per {factor.unit}, {factor.source}) is an unconfirmed default",
    )


def _quantity(quantity: float) -> float:
    if isinstance(quantity, bool) or not isinstance(quantity, int | float) or not math.isfinite(quantity) or quantity < 0:
        raise BadInput(
            f"quantity must be a finite number ≥ 0, not {quantity!r}",
            [{"field": "quantity", "value": repr(quantity), "accepted": "finite number ≥ 0"}],
        )
    return float(quantity) + 0.0


def kg_equivalent(parts: Iterable[Conversion]) -> KgEquivalent:
    """The sum of conversions; confirmed only if every part is, with the flags of all parts."""
    done = tuple(parts)
    flags = tuple(dict.fromkeys(flag for part in done for flag in part.flags))
    return KgEquivalent(math.fsum(part.kilograms for part in done), all(p.confirmed for p in done), flags, done)


def load_factors(path: Path, drugs: DrugNames | None = None) -> FactorTable:
    """A factor table from a CSV file laid out like ``conversion_factors.csv``; any bad cell fails the load."""
    factors: list[Factor] = []
    with _open_csv(path, FACTOR_COLUMNS) as rows:
        for number, row in enumerate(rows, start=2):
            factors.append(_parse(path, number, row, _factor_from_row))
    seen: dict[str, Factor] = {}
    for number, factor in enumerate(factors, start=2):
        clash = next((f for f in seen.values() if f.key() == factor.key() and _overlap(f, factor)), None)
        if factor.id in seen or clash:
            reason = "repeats an id" if factor.id in seen else f"is in force in the same years as {clash.id!r}"  # type: ignore[union-attr]
            raise _cell_error(path, number, "id", factor.id, reason)
        seen[factor.id] = factor
    return FactorTable(tuple(factors), drugs or wdr_drug_names())


@cache
def default_factors() -> FactorTable:
    return load_factors(FACTORS_FILE)


def convert(
    quantity: float,
    unit: str,
    drug: str,
    region: str | None = None,
    subregion: str | None = None,
    year: int | None = None,
) -> Conversion:
    """``quantity`` of ``unit`` of ``drug`` in kilograms, with the factor used (see ``FactorTable.convert``)."""
    return default_factors().convert(quantity, unit, drug, region, subregion, year)


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


@dataclass(frozen=True, slots=True)
class HeroinEstimate:
    opium_kg: float
    heroin_kg: float
    ratio: OpiumHeroinRatio
    confirmed: bool
    flags: tuple[Flag, ...]


def potential_production(fields: Iterable[tuple[float, float]]) -> float:
    """Potential opium production in kg: Σ area (ha, net of eradication) × yield (kg/ha) (METHODS.md §3 [P])."""
    return math.fsum(_quantity(area) * _quantity(crop_yield) for area, crop_yield in fields)


def heroin_from_opium(opium_kg: float, country: str, year: int | None = None) -> HeroinEstimate:
    """Heroin obtainable from ``opium_kg`` at the country's opium-to-heroin ratio in force in ``year``."""
    amount = _quantity(opium_kg)
    ratios = opium_heroin_ratios()
    found = [r for r in ratios if r.country == str(country).upper() and _covers(r.valid_from, r.valid_to, year)]
    if not found:
        known = [f"{r.country} {r.valid_from or '…'}–{r.valid_to or '…'} ({r.id})" for r in ratios]
        raise BadInput(
            f"no opium-to-heroin ratio for {country!r} in {year or 'the current period'}; known: {'; '.join(known)}",
            [{"field": "country", "value": country, "year": year, "accepted": known}],
        )
    ratio = found[0]
    flag = Flag("unconfirmed-factor", ratio.id, f"ratio {ratio.id!r} ({ratio.source}) is an unconfirmed default")
    heroin = amount / ratio.opium_kg_per_heroin_kg
    return HeroinEstimate(amount, heroin, ratio, ratio.confirmed, () if ratio.confirmed else (flag,))


@cache
def opium_heroin_ratios() -> tuple[OpiumHeroinRatio, ...]:
    with _open_csv(OPIUM_HEROIN_FILE, RATIO_COLUMNS) as rows:
        return tuple(_parse(OPIUM_HEROIN_FILE, n, row, _ratio_from_row) for n, row in enumerate(rows, start=2))


class _Cells:
    """Typed access to one CSV row; a bad cell raises ``InvalidFactor`` naming its column."""

    def __init__(self, row: dict[str, str | None]) -> None:
        self.row = row

    def text(self, column: str) -> str | None:
        return (self.row.get(column) or "").strip() or None

    def required(self, column: str) -> str:
        if (text := self.text(column)) is None:
            raise InvalidFactor(column, "is empty")
        return text

    def number(self, column: str) -> float | None:
        text = self.text(column)
        try:
            return None if text is None else float(text)
        except ValueError:
            raise InvalidFactor(column, f"{text!r} is not a number") from None

    def year(self, column: str) -> int | None:
        number = self.number(column)
        if number is not None and not number.is_integer():
            raise InvalidFactor(column, f"{number!r} is not a whole year")
        return None if number is None else int(number)

    def flag(self, column: str) -> bool:
        text = self.required(column).casefold()
        if text not in ("true", "false"):
            raise InvalidFactor(column, f"{text!r} is neither true nor false")
        return text == "true"


def _factor_from_row(cells: _Cells) -> Factor:
    try:
        unit = units.unit(cells.required("unit"))
    except BadInput as error:
        raise InvalidFactor("unit", error.message) from None
    if unit.base != unit.code:
        raise InvalidFactor("unit", f"factors apply to base units; give {unit.base!r} instead of {unit.code!r}")
    low, high = cells.number("confirmed_min"), cells.number("confirmed_max")
    if (low is None) != (high is None):
        raise InvalidFactor("confirmed_max", "give both confirmed_min and confirmed_max, or neither")
    return Factor(
        id=cells.required("id"),
        unit=unit.code,
        value=cells.number("value") or math.nan,
        source=cells.required("source"),
        confirmed=cells.flag("confirmed"),
        drug=cells.text("drug"),
        drug_group=cells.text("drug_group"),
        region=cells.text("region"),
        subregion=cells.text("subregion"),
        valid_from=cells.year("valid_from"),
        valid_to=cells.year("valid_to"),
        confirmed_range=None if low is None or high is None else (low, high),
        note=cells.text("note") or "",
    )


def _ratio_from_row(cells: _Cells) -> OpiumHeroinRatio:
    return OpiumHeroinRatio(
        id=cells.required("id"),
        country=cells.required("country").upper(),
        opium_kg_per_heroin_kg=cells.number("opium_kg_per_heroin_kg") or math.nan,
        confirmed=cells.flag("confirmed"),
        source=cells.required("source"),
        valid_from=cells.year("valid_from"),
        valid_to=cells.year("valid_to"),
        note=cells.text("note") or "",
    )
