"""Substructure search over the registry's structures, bounded in size, matches and time.

The pattern is checked before the search (:func:`~observatory.ewa.chemistry.smarts.read_smarts` refuses one too
large or too open), the pattern-fingerprint screen leaves the candidate structures, each candidate is asked for
its first match only (RDKit's ``maxMatches`` = 1), the hits stop at ``max_hits`` (the result says it was
truncated), and the clock is read between structures: a search that outlasts its ``time_budget`` stops with
``BadInput`` instead of holding the worker. A single match cannot run long, since the registry's structures
have at most a few dozen atoms and the pattern at most 40.
"""

import time
from dataclasses import dataclass
from typing import Any

from rdkit import Chem

from observatory.errors import BadInput
from observatory.ewa.chemistry.hits import MatchKind, StructureHit, hit
from observatory.ewa.chemistry.smarts import read_smarts
from observatory.ewa.chemistry.substructure_index import SubstructureIndex, substructure_index

MAX_HITS = 500
TIME_BUDGET_S = 0.5


@dataclass(frozen=True, slots=True)
class SubstructureResult:
    pattern: str
    hits: tuple[StructureHit, ...]
    candidates: int
    truncated: bool


def substructure_search(
    smarts: str, max_hits: int = MAX_HITS, time_budget: float = TIME_BUDGET_S, index: SubstructureIndex | None = None
) -> SubstructureResult:
    """The registry substances whose structure contains ``smarts``, in registry order, each with the atoms of
    its first match. ``BadInput`` for a pattern that is invalid or over the limits, or a search over budget."""
    if max_hits < 1:
        raise BadInput(f"max_hits must be at least 1, not {max_hits}", [{"value": max_hits}])
    pattern = read_smarts(smarts)
    return scan(pattern.smarts, pattern.query, max_hits, time_budget, index or substructure_index())


def scan(label: str, query: Any, max_hits: int, time_budget: float, index: SubstructureIndex) -> SubstructureResult:
    """Match the compiled ``query`` against the screened library structures; ``label`` names it in errors."""
    deadline = time.perf_counter() + time_budget
    parameters: Any = Chem.SubstructMatchParameters()  # the bundled stubs mistype its fields
    parameters.maxMatches = 1
    candidates: list[int] = index.candidates(query).tolist()
    molecules, substances = index.library.molecules, index.library.substances
    hits: list[StructureHit] = []
    for searched, row in enumerate(candidates):
        if time.perf_counter() > deadline:
            raise _over_budget(label, searched, len(candidates), time_budget)
        matches = molecules[row].GetSubstructMatches(query, parameters)
        if not matches:
            continue
        hits.append(hit(substances[row], MatchKind.SUBSTRUCTURE, None, tuple(matches[0])))
        if len(hits) >= max_hits:
            return SubstructureResult(label, tuple(hits), len(candidates), truncated=True)
    return SubstructureResult(label, tuple(hits), len(candidates), truncated=False)


def _over_budget(label: str, searched: int, total: int, budget: float) -> BadInput:
    message = (
        f"the pattern took longer than {budget:g} s ({searched:,} of {total:,} candidate structures searched); "
        "make it more specific"
    )
    return BadInput(message, [{"value": label[:80], "reason": "time-budget", "searched": searched}])
