"""A country's estimate of a WDR table 1.1 drug from its national series, as the column's definition says
(``reference.wdr_definitions``): the series that is the drug as such when the country reports it; else the union
of the components it reports (opiates and prescription opioids; amphetamines and prescription stimulants), unless
a component's adjustment note says it already includes the others (then it stands alone).

The union of past-year use of two drugs is bounded by Fréchet's inequalities: max(pᵢ) ≤ P(∪) ≤ min(1, Σ pᵢ) — the
people using one are all, or none, of those using the other. Those bounds, taken on the components' own low and
high, are the combined low and high: the overlap is unknown, so it widens the range. The best value treats the
components as independent, 1 − Π(1 − pᵢ) (``UNION_BEST``, [U]: a convention, not from a WDR source). A country
reporting one component of a combined column has that component alone, labelled ``partial``. A component estimate
whose note says it is only the other component (table 1.2 footnote: "z**= figures only include prescription
stimulants") is that other component's figure: it is never added to the other component's own estimate (that would
count the same users twice); reported alone, it stands alone, labelled ``partial`` with its note.
Front door: ``definition_estimate``.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from observatory.reference.wdr_definitions import DefinitionPart, TableDefinition
from observatory.stats.figure import Constant, Method

UNION_BEST = Constant(
    "drug-union-best",
    "1 − Π(1 − pᵢ): components independent",
    "ours [U]: the best value of a combined column where a country reports its components apart",
    confirmed=False,
)
UNION = Method(
    "prevalence/union",
    "union of component prevalences: best 1 − Π(1 − pᵢ) [U]; low max(lowᵢ), high min(100 %, Σ highᵢ) (Fréchet bounds)",
    confirmed=False,
    source="Fréchet bounds of a union (a probability identity); independence for the best value is ours",
)
Row = dict[str, Any]


def union(parts: Sequence[tuple[float, float | None, float | None]], full: float = 100.0) -> tuple[float, float, float]:
    """Best, low and high of the union of ``parts`` (best, low, high on a scale of ``full``; a missing end is the
    best value)."""
    bests = [min(max(best, 0.0), full) for best, _, _ in parts]
    best = full * (1 - math.prod(1 - value / full for value in bests))
    lows = [best_i if low is None else low for best_i, (_, low, _) in zip(bests, parts, strict=True)]
    highs = [best_i if high is None else high for best_i, (_, _, high) in zip(bests, parts, strict=True)]
    low, high = max(lows), min(full, math.fsum(highs))
    return best, min(low, best), max(high, best)


def definition_estimate(definition: TableDefinition, country: Mapping[str, Row]) -> Row | None:
    """The estimate of ``definition``'s drug from ``country``'s latest estimates by national drug (rows with best,
    low, high, dropped, estimate_year, age, notes, source, vintage), with a ``definition`` label; None without any."""
    for part in definition.series:
        found = country.get(part.national_drug)
        if found is not None:
            return dict(found) | {"definition": f"series: {part.national_drug}"}
    reported = [(part, country[part.national_drug]) for part in definition.components if part.national_drug in country]
    if not reported:
        return None
    reported = _without_other_only(reported)
    for part, row in reported:
        if part.includes_note and part.includes_note in _notes(row):
            return dict(row) | {"definition": f"includes the others (note {part.includes_note}): {part.national_drug}"}
    if len(reported) == 1:
        part, row = reported[0]
        label = "partial" if definition.combined else "component"
        other = f" (note {part.only_other_note}: the other component only)" if _other_only(part, row) else ""
        return dict(row) | {"definition": f"{label}: {part.national_drug} only{other}"}
    ends = [_ends(row) for _, row in reported]
    best, low, high = union(ends)
    rows = [row for _, row in reported]
    years = [int(row["estimate_year"]) for row in rows if row["estimate_year"] is not None]
    ages = sorted({str(row["age"]) for row in rows if row["age"]})
    return rows[0] | {
        "best": best,
        "low": low,
        "high": high,
        "dropped": False,
        "estimate_year": min(years) if years else None,
        "age": "/".join(ages) if ages else None,
        "definition": "union: " + " + ".join(part.national_drug for part, _ in reported),
    }


def _other_only(part: DefinitionPart, row: Row) -> bool:
    return bool(part.only_other_note) and part.only_other_note in _notes(row)


def _without_other_only(reported: list[tuple[DefinitionPart, Row]]) -> list[tuple[DefinitionPart, Row]]:
    """``reported`` without the estimates that are only another component's figure (note z**), unless nothing
    else is reported."""
    kept = [(part, row) for part, row in reported if not _other_only(part, row)]
    return kept or reported


def _ends(row: Row) -> tuple[float, float | None, float | None]:
    usable = not row.get("dropped")
    return float(row["best"]), row["low"] if usable else None, row["high"] if usable else None


def _notes(row: Row) -> list[str]:
    """The adjustment notes of a row ("a, z*" → ["a", "z*"])."""
    return [note.strip() for note in str(row.get("notes") or "").replace(";", ",").split(",") if note.strip()]
