"""Reference vocabularies over the API: releases, entries, and look-ups (countries, conversions)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from observatory.errors import NotFound
from observatory.reference import population as reference_population
from observatory.reference import release
from observatory.reference.lookup import convert_quantity, find_substance, resolve_countries
from observatory.reference.vocabularies import VOCABULARIES
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import Count, Id, Year

router = APIRouter(prefix="/api/v1/reference", dependencies=[Depends(reject_unknown_parameters)])

ReleaseId = Annotated[Id | None, Query(description="reference release id; the latest when omitted")]


def _release_id(records: Records, requested: int | None) -> int:
    if requested is not None:
        return requested
    latest = release.latest_release(records)
    if latest is None:
        raise NotFound("no reference release loaded yet; run `observatory init`")
    return latest.id


@router.get("/releases")
def releases(records: Records) -> dict[str, Any]:
    """Every reference release, oldest first."""
    return {"data": release.releases(records), "meta": {}}


@router.get("/vocabularies")
def vocabularies(records: Records, release_id: Annotated[ReleaseId, Query(alias="release")] = None) -> dict[str, Any]:
    """The vocabularies of a release, with their descriptions and entry counts."""
    chosen = _release_id(records, release_id)
    counts = release.vocabulary_counts(records, chosen)
    data = [
        {"name": name, "description": v.description, "entries": counts.get(name, 0)} for name, v in VOCABULARIES.items()
    ]
    return {"data": data, "meta": {"release": chosen}}


@router.get("/countries/resolve")
def resolve(
    name: Annotated[list[str], Query(description="a country or territory name, alias, ISO3 or ISO2 code")],
    year: Year | None = None,
) -> dict[str, Any]:
    """Each name resolved to its place, or an error naming the three closest candidates."""
    results = resolve_countries(name, year)
    return {"data": results, "meta": {"resolved": sum(r["resolved"] for r in results), "asked": len(results)}}


@router.get("/population")
def population(
    records: Records,
    country: Annotated[list[str] | None, Query(description="ISO 3166 alpha-3 code (repeat)")] = None,
    year: Annotated[list[Year] | None, Query()] = None,
) -> dict[str, Any]:
    """Total population (World Bank) by country and year."""
    rows = reference_population.population(records, country or [], year or [])
    return {"data": rows, "meta": {"source": "World Bank total population (SP.POP.TOTL)", "rows": len(rows)}}


@router.get("/substances/find")
def substance(
    q: Annotated[str, Query(min_length=1, description="a name, CAS number, InChIKey or SMILES")],
) -> dict[str, Any]:
    """The substance a name or identifier stands for, with its structure and dated control status."""
    return {"data": find_substance(q), "meta": {}}


@router.get("/convert")
def convert(
    quantity: Annotated[float, Query(ge=0)],
    unit: str,
    drug: str,
    region: str | None = None,
    subregion: str | None = None,
    year: Year | None = None,
) -> dict[str, Any]:
    """A quantity in kilogram-equivalents, with the factor used and whether that factor is confirmed."""
    return {"data": convert_quantity(quantity, unit, drug, region, subregion, year), "meta": {}}


@router.get("/{vocabulary}")
def vocabulary_entries(
    records: Records,
    vocabulary: str,
    release_id: Annotated[ReleaseId, Query(alias="release")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Count = 0,
) -> dict[str, Any]:
    """Entries of one vocabulary, ordered by code."""
    chosen = _release_id(records, release_id)
    data = release.entries(records, vocabulary, chosen, limit=limit, offset=offset)
    return {"data": data, "meta": {"release": chosen, "vocabulary": vocabulary, "limit": limit, "offset": offset}}


@router.get("/{vocabulary}/{code:path}")
def vocabulary_entry(
    records: Records, vocabulary: str, code: str, release_id: Annotated[ReleaseId, Query(alias="release")] = None
) -> dict[str, Any]:
    """One entry of a vocabulary."""
    chosen = _release_id(records, release_id)
    (entry,) = release.entries(records, vocabulary, chosen, code=code)
    return {"data": entry, "meta": {"release": chosen, "vocabulary": vocabulary}}
