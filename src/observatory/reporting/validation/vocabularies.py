"""Checking text values against the platform's vocabularies: places (``geography``), units (``units``) and the
levels of the WDR drug hierarchy (``seizure_drug_names``). Each is looked up once per distinct text (and year)."""

import re
from dataclasses import dataclass
from functools import lru_cache

from observatory.errors import BadInput
from observatory.reference.drug_names import Level, UnknownDrug
from observatory.reference.geography import UnknownCountry, resolve
from observatory.reference.place_names import Extent
from observatory.reference.seizure_drug_names import seizure_name
from observatory.reference.series_place_names import series_name
from observatory.reference.units import normalise_unit_name, unit
from observatory.reporting.declaration import Field, Vocabulary
from observatory.reporting.validation.cells import Invalid

_MULTIPLE = re.compile(r"(?P<count>\d+(?:\.\d+)?)\s+(?P<unit>\S.*)")
DRUG_LEVELS = {
    Vocabulary.DRUG_GROUP: Level.GROUP,
    Vocabulary.DRUG_SUBGROUP: Level.SUBGROUP,
    Vocabulary.DRUG: Level.DRUG,
}
#: Vocabularies whose code replaces the text as the value stored: the WDR 7.1 spelling of a drug name.
STORED_AS_CODE = frozenset(DRUG_LEVELS)
#: Vocabularies whose entries depend on the year (a country that did not exist yet).
DATED = frozenset({Vocabulary.COUNTRY})
AREA_NOT_NATIONAL = "area-not-national"
_WORDS = {Level.GROUP: "drug group", Level.SUBGROUP: "drug sub-group", Level.DRUG: "drug"}


@dataclass(frozen=True, slots=True)
class Known:
    """A vocabulary entry: its code (ISO3, unit code, WDR 7.1 drug name), and a caveat, with the problem code it
    is reported under, when the entry covers less than a whole country or rests on an unconfirmed reading."""

    code: str
    caveat: str = ""
    caveat_code: str = AREA_NOT_NATIONAL


def lookup(field: Field, text: str, year: int | None) -> Known | Invalid:
    """``text`` (or each part of it, for a field with a separator) in the field's vocabulary."""
    parts = [part.strip() for part in text.split(field.separator)] if field.separator else [text]
    found: list[Known] = []
    for part in filter(None, parts):
        known = _one(field, part, year)
        if isinstance(known, Invalid):
            return known
        found.append(known)
    caveats = [k for k in found if k.caveat]
    return Known(
        (field.separator or "").join(k.code for k in found),
        " ".join(k.caveat for k in caveats),
        caveats[0].caveat_code if caveats else AREA_NOT_NATIONAL,
    )


def _one(field: Field, text: str, year: int | None) -> Known | Invalid:
    if normalise_unit_name(text) in {normalise_unit_name(also) for also in field.also_accept}:
        return Known(text)
    if field.vocabulary is Vocabulary.COUNTRY:
        return _country(text, year)
    if field.vocabulary in DRUG_LEVELS:
        return _drug(text, DRUG_LEVELS[field.vocabulary])
    return _unit(text)


@lru_cache(maxsize=4096)
def _country(text: str, year: int | None) -> Known | Invalid:
    try:
        resolution = resolve(text, year)
    except UnknownCountry as exc:
        candidates = tuple(f"{d['name']} ({d['iso3']})" for d in exc.details if "iso3" in d and "name" in d)
        convention = series_name(text, year) if year is not None and exc.code == "country-not-in-year" else None
        if convention is not None:
            caveat = f"{text!r} in {year} is read as {convention.code} by a series convention: {convention.note}"
            return Known(convention.code, caveat, "series-convention")
        if exc.code != "unknown-country":
            return Invalid(exc.code, exc.message, candidates)
        hint = f" Did you mean {', '.join(candidates)}?" if candidates else ""
        return Invalid(exc.code, f"{text!r} is not a country or territory name we know.{hint}", candidates)
    caveat = ""
    if resolution.extent is not Extent.NATIONAL:
        caveat = f"{text!r} stands for part of {resolution.place.name} ({resolution.extent.value}), not all of it"
    return Known(resolution.place.iso3, caveat)


@lru_cache(maxsize=4096)
def _drug(text: str, level: Level) -> Known | Invalid:
    try:
        found = seizure_name(text, level)
    except UnknownDrug as exc:
        candidates = tuple(str(detail["name"]) for detail in exc.details if "name" in detail)
        hint = f" Did you mean {'; '.join(candidates)}?" if candidates else ""
        return Invalid(exc.code, f"{text!r} is not a {_WORDS[level]} of the WDR drug tables.{hint}", candidates)
    alias = found.alias
    if alias is None or alias.confirmed:
        return Known(found.name)
    caveat = f"{text!r} is read as {found.name!r}, which is our reading, not confirmed by a source ({alias.source})"
    return Known(found.name, caveat, "unconfirmed-drug-name")


@lru_cache(maxsize=1024)
def _unit(text: str) -> Known | Invalid:
    multiple = _MULTIPLE.fullmatch(text)
    try:
        if multiple:
            return Known(f"{float(multiple['count']):g} {unit(multiple['unit']).code}")
        return Known(unit(text).code)
    except BadInput as exc:
        candidates = tuple(str(c) for d in exc.details for c in d.get("candidates", []))
        hint = f" Did you mean {', '.join(candidates)}?" if candidates else ""
        return Invalid("unknown-unit", f"{text!r} is not a unit we know.{hint}", candidates[:3])
