"""Structure searches and classifications in the shapes the API, pages and command line share."""

from typing import Any, Literal

import pyarrow as pa

from observatory.errors import BadInput, ObservatoryError
from observatory.ewa.chemistry import (
    Classification,
    GenericMatch,
    StructureHit,
    SubstructureResult,
    classify,
    emergence_by_family,
    emergence_by_group,
    emergence_by_year,
)

EmergenceAxis = Literal["year", "group", "family"]
EMERGENCE: dict[str, Any] = {"year": emergence_by_year, "group": emergence_by_group, "family": emergence_by_family}


def hit_view(hit: StructureHit) -> dict[str, Any]:
    """``{"name", "inchikey", "similarity", "control"}``: ``control`` lists "regime schedule" per list."""
    control = list(dict.fromkeys(f"{fact.regime} {fact.schedule}" for fact in hit.controls))
    return {"name": hit.name, "inchikey": hit.inchikey, "similarity": hit.similarity, "control": control}


def classification_view(smiles: str, classification: Classification) -> dict[str, Any]:
    """The classification; out of scope: ``in_scope`` false, ``chemical_family`` and ``unodc_group`` null, and
    ``scope`` ``{"category", "reason", "source"}``."""
    scope = classification.scope
    return {
        "smiles": smiles,
        "in_scope": classification.in_scope,
        "unodc_group": str(classification.nps_group) if classification.nps_group else None,
        "chemical_family": str(classification.family) if classification.family else None,
        "effect_group": str(classification.effect),
        "confidence": classification.confidence,
        "method": str(classification.method),
        "explanation": classification.explanation,
        "scope": {"category": scope.category, "reason": scope.reason, "source": scope.source} if scope else None,
    }


def classify_each(smiles: list[str]) -> list[dict[str, Any]]:
    """Each structure's classification, or ``{"smiles", "error": {"code", "message", "details"}}``."""
    results: list[dict[str, Any]] = []
    for text in smiles:
        try:
            results.append(classification_view(text, classify(text)))
        except ObservatoryError as error:
            results.append({"smiles": text, **error.body()})
    return results


def generic_view(match: GenericMatch) -> dict[str, Any]:
    """The match, with the drawing as an ``<svg>`` element (without the XML declaration, to sit inside HTML)."""
    definition = match.definition
    return {
        "definition": definition.id,
        "name": definition.name,
        "basis": definition.basis,
        "matched": match.matched,
        "atoms": list(match.atoms),
        "explanation": match.explanation,
        "svg": match.svg[match.svg.find("<svg") :] if match.svg else None,
    }


def substructure_view(result: SubstructureResult) -> dict[str, Any]:
    return {
        "results": [{**hit_view(hit), "smiles": hit.smiles, "atoms": list(hit.atoms)} for hit in result.hits],
        "meta": {"pattern": result.pattern, "candidates": result.candidates, "truncated": result.truncated},
    }


def emergence_rows(by: str) -> list[dict[str, Any]]:
    """The emergence table ``by`` year, UNODC group or chemical family, as rows."""
    if by not in EMERGENCE:
        raise BadInput(f"emergence is by year, group or family, not {by!r}", [{"value": by, "parameter": "by"}])
    table: pa.Table = EMERGENCE[by]()
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
