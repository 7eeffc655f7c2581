"""Look-ups over the reference vocabularies, answered as plain records for the API and the CLI."""

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from pydantic_core import to_jsonable_python

from observatory.errors import BadInput
from observatory.reference import conversion, geography
from observatory.reference.drug_names import wdr_drug_name
from observatory.reference.substances.registry import substance_registry


def resolve_countries(names: Iterable[str], year: int | None = None) -> list[dict[str, Any]]:
    """One record per name: the place it resolves to, or the error (with the closest candidates)."""
    results: list[dict[str, Any]] = []
    for name in names:
        try:
            resolution = geography.resolve(name, year)
        except BadInput as exc:
            results.append({"query": name, "resolved": False, **exc.body()})
            continue
        record = to_jsonable_python(asdict(resolution.place))
        results.append(
            {
                "query": name,
                "resolved": True,
                **record,
                "via": str(resolution.via),
                "extent": str(resolution.extent),
                "note": resolution.note,
            }
        )
    return results


def convert_quantity(
    quantity: float,
    unit: str,
    drug: str,
    region: str | None = None,
    subregion: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """A quantity in kilogram-equivalents, with the factor used, whether it is confirmed, and its flags."""
    name = wdr_drug_name(drug)
    result = conversion.convert(quantity, unit, name, region=region, subregion=subregion, year=year)
    record: dict[str, Any] = to_jsonable_python(asdict(result))
    return record


def find_substance(query: str) -> dict[str, Any]:
    """The registry's substance for a name, CAS number, InChIKey or SMILES, with its control status."""
    substance = substance_registry().find(query)
    record: dict[str, Any] = to_jsonable_python(asdict(substance))
    return {"query": query, **record, "inchikey": substance.inchikey}
