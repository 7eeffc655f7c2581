"""The places the platform reports on, their regions, and the resolution of the names sources give them.

Package data (``observatory/datasets/reference``):

- ``unsd_m49_overview.csv``: the UNSD M49 table, one row per country or area, with its M49 region, sub-region and
  intermediate region, and the LDC, LLDC and SIDS flags.
- ``territories_outside_m49.csv``: Kosovo (XKX) and Taiwan (TWN), which UNODC reports separately but M49 does not
  list; they have no M49 code, and their M49 region is the one of their location.
- ``wdr_regions.csv``: ISO3 → the UNODC World Drug Report region and sub-region, derived from the WDR annex tables
  by ``scripts/derive_wdr_regions.py``. The WDR scheme is not M49's (Türkiye is in South-Eastern Europe, Iran in
  "Near and Middle East/South-West Asia"); a place no WDR table names has ``unodc_region`` ``None``.
- ``historical_entities.csv``: states older statistics name (USSR, Czechoslovakia, Yugoslavia, Serbia and
  Montenegro, Netherlands Antilles), each a place of its own whose names resolve only from ``valid_from`` to
  ``valid_to`` (inclusive years) when a year is given. Their M49 and WDR regions are those all their successors
  share (the USSR's successors span Europe and Asia, so it has none).
- ``country_aliases.csv``: see ``place_names``.

The former Sudan is recorded differently. ISO 3166 kept the code SDN when South Sudan (SSD) became independent in
July 2011, so the former Sudan (M49 736) is not a place of its own: its row (code SDN, valid to 2011) records a change
of extent. "Sudan (former)" resolves to SDN only up to 2011, and any name of SDN resolved for a year up to 2011 carries
a note that the source may mean the former extent, South Sudan included. SSD and the other current places have open
validity, because sources such as the World Bank back-cast series to present borders (South Sudan from 1960).
"""

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from observatory.datasets import DATASETS, M49_OVERVIEW, TERRITORIES_OUTSIDE_M49
from observatory.errors import BadInput
from observatory.reference.place_names import (
    Extent,
    NameIndex,
    Spelling,
    Via,
    alias_spellings,
    iso_spellings,
    normalise,
)

WDR_REGIONS = DATASETS / "reference" / "wdr_regions.csv"
HISTORICAL_ENTITIES = DATASETS / "reference" / "historical_entities.csv"


class UnknownCountry(BadInput):
    code = "unknown-country"


class CountryNotInYear(UnknownCountry):
    code = "country-not-in-year"


@dataclass(frozen=True, slots=True)
class Place:
    """A country, territory or historical state; codes are ISO 3166 and UN M49 (zero-padded, ``None`` if none)."""

    iso3: str
    iso2: str
    m49: str | None
    name: str
    region_code: str
    region_name: str
    subregion_code: str
    subregion_name: str
    intermediate_code: str = ""
    intermediate_name: str = ""
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    unodc_region: str | None = None
    unodc_subregion: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    successors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoricalEntity:
    code: str
    name: str
    valid_from: int | None
    valid_to: int | None
    successors: tuple[str, ...]
    m49: str
    iso2: str
    ended: str
    note: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved name: the place, the list the spelling was found in, and what it covers."""

    place: Place
    via: Via
    extent: Extent
    note: str


@cache
def places() -> tuple[Place, ...]:
    """Every place: the M49 countries and areas, then the territories outside M49, then the historical entities."""
    return tuple(_by_code().values())


def place(iso3: str) -> Place:
    """The place with ISO 3166 alpha-3 code ``iso3`` (any case)."""
    found = _by_code().get(iso3.strip().upper())
    if found is None:
        raise UnknownCountry(f"unknown ISO 3166 alpha-3 code {iso3!r}", [{"value": iso3}])
    return found


def resolve_country(name: str, year: int | None = None) -> Place:
    """The place ``name`` (a name, alias, ISO3 or ISO2 code) stands for, in ``year`` if given."""
    return resolve(name, year).place


def resolve(name: str, year: int | None = None) -> Resolution:
    """Like ``resolve_country``, with how the name matched and what part of the place it covers."""
    spelling = name_index().find(name)
    if spelling is None:
        raise _unknown(name)
    if year is not None:
        _check_period(name, year, spelling)
    notes = dict.fromkeys(note for note in (spelling.note, _former_extent(spelling.code, year)) if note)
    return Resolution(place(spelling.code), spelling.via, spelling.extent, " ".join(notes))


@cache
def historical_entities() -> Mapping[str, HistoricalEntity]:
    """The rows of ``historical_entities.csv`` by code (one row per code)."""
    with HISTORICAL_ENTITIES.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: HistoricalEntity(
                code=row["code"],
                name=row["name"],
                valid_from=int(row["valid_from"]) if row["valid_from"] else None,
                valid_to=int(row["valid_to"]) if row["valid_to"] else None,
                successors=tuple(row["successors"].split(";")),
                m49=row["m49"],
                iso2=row["iso2"],
                ended=row["ended"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def name_index() -> NameIndex:
    """Every spelling of every place; earlier lists win a clash: codes, M49 names, aliases, historical, ISO names."""
    index = NameIndex()
    for known in places():
        index.add(Spelling(known.iso3, known.iso3, Via.ISO3, valid_from=known.valid_from, valid_to=known.valid_to))
        if known.valid_from is None and known.valid_to is None:
            index.add(Spelling(known.iso2, known.iso3, Via.ISO2))
    index.extend(Spelling(known.name, known.iso3, Via.M49_NAME) for known in places() if known.iso3 in _current_codes())
    dissolved = {code: entity for code, entity in historical_entities().items() if code not in _current_codes()}
    index.extend(_dated(spelling, dissolved.get(spelling.code)) for spelling in alias_spellings())
    for entity in historical_entities().values():
        index.add(_dated(Spelling(entity.name, entity.code, Via.HISTORICAL_NAME, entity.note), entity))
    index.extend(iso_spellings(_current_codes()))
    return index


def _dated(spelling: Spelling, entity: HistoricalEntity | None) -> Spelling:
    if entity is None:
        return spelling
    return replace(spelling, valid_from=entity.valid_from, valid_to=entity.valid_to)


def _former_extent(code: str, year: int | None) -> str:
    """The note on a current place's former extent (the former Sudan) for a year the extent applied to."""
    former = historical_entities().get(code)
    if year is None or former is None or code not in _current_codes() or year > (former.valid_to or year):
        return ""
    return former.note


def _check_period(name: str, year: int, spelling: Spelling) -> None:
    if spelling.valid_from is None and spelling.valid_to is None:
        return
    entity = historical_entities()[spelling.code]
    details: dict[str, Any] = {
        "value": name,
        "year": year,
        "iso3": entity.code,
        "valid_from": entity.valid_from,
        "valid_to": entity.valid_to,
        "successors": list(entity.successors),
    }
    label = f"{name!r} ({entity.name}, {entity.code})"
    if entity.valid_from is not None and year < entity.valid_from:
        raise CountryNotInYear(f"{label} did not exist before {entity.valid_from}, so not in {year}", [details])
    if entity.valid_to is not None and year > entity.valid_to:
        successors = ", ".join(f"{place(code).name} ({code})" for code in entity.successors)
        raise CountryNotInYear(
            f"{label} was {entity.ended} in {entity.valid_to}, so not in {year}; successors: {successors}", [details]
        )


def _unknown(name: str) -> UnknownCountry:
    if not normalise(name):
        return UnknownCountry(f"no country or territory name in {name!r}", [{"value": name}])
    candidates = name_index().closest(name)
    listed = ", ".join(f"{place(candidate.code).name} ({candidate.code})" for candidate in candidates)
    return UnknownCountry(
        f"unknown country or territory {name!r}; closest: {listed}",
        [
            {"value": name, "iso3": c.code, "name": place(c.code).name, "matched": c.spelling, "score": c.score}
            for c in candidates
        ],
    )


@cache
def _current_codes() -> frozenset[str]:
    return frozenset(code for code, known in _by_code().items() if known.valid_from is None and known.valid_to is None)


@cache
def _by_code() -> dict[str, Place]:
    wdr = _wdr_regions()
    found = {known.iso3: known for known in _m49_places(wdr)}
    found |= {known.iso3: known for known in _territories(found, wdr)}
    for entity in historical_entities().values():
        if entity.code not in found:
            found[entity.code] = _historical_place(entity, found, wdr)
    return found


def _m49_places(wdr: dict[str, tuple[str, str]]) -> Iterator[Place]:
    with M49_OVERVIEW.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iso3 = row["ISO-alpha3 Code"]
            unodc_region, unodc_subregion = wdr.get(iso3, (None, None))
            yield Place(
                iso3=iso3,
                iso2=row["ISO-alpha2 Code"],
                m49=row["M49 Code"].zfill(3),
                name=row["Country or Area"],
                region_code=_padded(row["Region Code"]),
                region_name=row["Region Name"],
                subregion_code=_padded(row["Sub-region Code"]),
                subregion_name=row["Sub-region Name"],
                intermediate_code=_padded(row["Intermediate Region Code"]),
                intermediate_name=row["Intermediate Region Name"],
                ldc=row["Least Developed Countries (LDC)"] == "x",
                lldc=row["Land Locked Developing Countries (LLDC)"] == "x",
                sids=row["Small Island Developing States (SIDS)"] == "x",
                unodc_region=unodc_region,
                unodc_subregion=unodc_subregion,
            )


def _territories(m49: dict[str, Place], wdr: dict[str, tuple[str, str]]) -> Iterator[Place]:
    """The territories outside M49, in the M49 region and sub-region of the first M49 place sharing them."""
    with TERRITORIES_OUTSIDE_M49.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            like = next(known for known in m49.values() if known.subregion_code == row["subregion_code"])
            unodc_region, unodc_subregion = wdr.get(row["iso3"], (None, None))
            yield Place(
                row["iso3"],
                row["iso2"],
                None,
                row["name"],
                like.region_code,
                like.region_name,
                like.subregion_code,
                like.subregion_name,
                unodc_region=unodc_region,
                unodc_subregion=unodc_subregion,
            )


def _historical_place(entity: HistoricalEntity, current: dict[str, Place], wdr: dict[str, tuple[str, str]]) -> Place:
    """A dissolved state, in the M49 and WDR regions that all its successors share (if they do)."""
    successors = [
        current.get(code) or _historical_place(historical_entities()[code], current, wdr) for code in entity.successors
    ]
    m49_areas = {(s.region_code, s.region_name, s.subregion_code, s.subregion_name) for s in successors}
    region_code, region_name, subregion_code, subregion_name = m49_areas.pop() if len(m49_areas) == 1 else ("",) * 4
    wdr_areas = {wdr.get(s.iso3) for s in successors}
    unodc_region, unodc_subregion = (wdr_areas.pop() if len(wdr_areas) == 1 else None) or (None, None)
    return Place(
        entity.code,
        entity.iso2,
        entity.m49,
        entity.name,
        region_code,
        region_name,
        subregion_code,
        subregion_name,
        unodc_region=unodc_region,
        unodc_subregion=unodc_subregion,
        valid_from=entity.valid_from,
        valid_to=entity.valid_to,
        successors=entity.successors,
    )


@cache
def _wdr_regions() -> dict[str, tuple[str, str]]:
    with WDR_REGIONS.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: (row["unodc_region"], row["unodc_subregion"]) for row in csv.DictReader(handle)}


def _padded(code: str) -> str:
    return code.zfill(3) if code else ""
