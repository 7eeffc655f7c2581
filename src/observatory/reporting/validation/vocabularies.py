"""Checking text values against the platform's vocabularies: places (``geography``) and units (``units``)."""

import re
from dataclasses import dataclass
from functools import lru_cache

from observatory.errors import BadInput
from observatory.reference.geography import UnknownCountry, resolve
from observatory.reference.place_names import Extent
from observatory.reference.units import normalise_unit_name, unit
from observatory.reporting.declaration import Field, Vocabulary
from observatory.reporting.validation.cells import Invalid

_MULTIPLE = re.compile(r"(?P<count>\d+(?:\.\d+)?)\s+(?P<unit>\S.*)")


@dataclass(frozen=True, slots=True)
class Known:
    """A vocabulary entry: its code (ISO3, unit code), and a caveat when it covers less than a whole country."""

    code: str
    caveat: str = ""


def lookup(field: Field, text: str, year: int | None) -> Known | Invalid:
    """``text`` (or each part of it, for a field with a separator) in the field's vocabulary."""
    parts = [part.strip() for part in text.split(field.separator)] if field.separator else [text]
    found: list[Known] = []
    for part in filter(None, parts):
        known = _one(field, part, year)
        if isinstance(known, Invalid):
            return known
        found.append(known)
    return Known((field.separator or "").join(k.code for k in found), " ".join(k.caveat for k in found if k.caveat))


def _one(field: Field, text: str, year: int | None) -> Known | Invalid:
    if normalise_unit_name(text) in {normalise_unit_name(also) for also in field.also_accept}:
        return Known(text)
    if field.vocabulary is Vocabulary.COUNTRY:
        return _country(text, year)
    return _unit(text)


@lru_cache(maxsize=4096)
def _country(text: str, year: int | None) -> Known | Invalid:
    try:
        resolution = resolve(text, year)
    except UnknownCountry as exc:
        candidates = tuple(f"{d['name']} ({d['iso3']})" for d in exc.details if "iso3" in d and "name" in d)
        if exc.code != "unknown-country":
            return Invalid(exc.code, exc.message, candidates)
        hint = f" Did you mean {', '.join(candidates)}?" if candidates else ""
        return Invalid(exc.code, f"{text!r} is not a country or territory name we know.{hint}", candidates)
    caveat = ""
    if resolution.extent is not Extent.NATIONAL:
        caveat = f"{text!r} stands for part of {resolution.place.name} ({resolution.extent.value}), not all of it"
    return Known(resolution.place.iso3, caveat)


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
