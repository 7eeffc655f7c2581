"""How well the classifier knows its scope, on a labelled set: precision, recall and abstention per family, and
the reliability of its confidence.

* **Positives**: every record of the early-warning lists (Slovenian NFL, CFSRE, PsychonautWiki) whose category
  names a family (``source_categories.toml``), predicted by the registry classification of its substance.
* **Negatives**: the medicines, cutting agents, excipients, sugars and precursors of ``out_of_scope.toml``, each
  classified *as if it were not listed* (leave-one-out: its own entry removed from the list, the other entries
  still voting as neighbours), so that the list does not grade itself.

Per family: precision (of the records the classifier put in the family, the share the source puts there too),
recall (of the records the source puts in the family, the share the classifier does) and abstention (the share
it calls out of scope). Reliability: the in-scope answers binned by confidence, with the share correct per bin.
"""

import itertools
from collections import Counter
from dataclasses import replace
from typing import Any

from observatory.ewa.chemistry.classification import Classification, classifier, registry_classifications
from observatory.ewa.chemistry.data_files import read_toml
from observatory.ewa.chemistry.molecule import read_parent
from observatory.ewa.chemistry.scope import OUT_OF_SCOPE
from observatory.ewa.chemistry.source_categories import source_categories
from observatory.reference.substances import substance_registry

LISTS = ("slovenia-nfl", "cfsre", "psymol")
BINS = (0.0, 0.5, 0.7, 0.9, 0.95, 1.0001)
OUT = "out_of_scope"


def scope_report() -> dict[str, Any]:
    """``families`` (per family: support, predicted, precision, recall, abstention), ``negatives`` (per category:
    count, abstained) and ``reliability`` (per confidence bin: answers, correct, accuracy)."""
    cases = _positive_cases()
    negatives = _negative_cases()
    return {
        "families": _per_family(cases + [(OUT, c) for _, c in negatives]),
        "negatives": _negatives(negatives),
        "reliability": _reliability(cases),
        "positives": len(cases),
        "agreement": round(sum(_label(c) == e for e, c in cases) / len(cases), 4),
    }


def _label(classification: Classification) -> str:
    return str(classification.family) if classification.family else OUT


def _positive_cases() -> list[tuple[str, Classification]]:
    registry, categories, classified = substance_registry(), source_categories(), registry_classifications()
    cases: list[tuple[str, Classification]] = []
    for substance in registry.substances:
        for ref in substance.sources:
            if ref.source not in LISTS or substance.id not in classified:
                continue
            family = next((m.family for m in categories.of_record(registry.records[ref]) if m.family), None)
            if family is not None:
                cases.append((str(family), classified[substance.id]))
    return cases


def _negative_cases() -> list[tuple[str, Classification]]:
    chosen = classifier()
    cases = []
    for known in chosen.outside.substances:
        blind = replace(chosen, outside=chosen.outside.without(known.name))
        smiles = next(e["smiles"] for e in _entries() if e["name"] == known.name)
        parent = read_parent(smiles)
        cases.append((known.category, blind.classify_molecule(parent.molecule, parent.inchikey)))
    return cases


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = read_toml(OUT_OF_SCOPE).get("substance", [])
    return entries


def _per_family(cases: list[tuple[str, Classification]]) -> list[dict[str, Any]]:
    support = Counter(expected for expected, _ in cases)
    predicted = Counter(_label(c) for _, c in cases)
    agreed = Counter(expected for expected, c in cases if _label(c) == expected)
    abstained = Counter(expected for expected, c in cases if not c.in_scope)
    rows = []
    for family in sorted(set(support) | set(predicted) - {OUT}):
        rows.append(
            {
                "family": family,
                "support": support[family],
                "predicted": predicted[family],
                "precision": round(agreed[family] / predicted[family], 3) if predicted[family] else None,
                "recall": round(agreed[family] / support[family], 3) if support[family] else None,
                "abstention": round(abstained[family] / support[family], 3) if support[family] else None,
            }
        )
    return rows


def _negatives(cases: list[tuple[str, Classification]]) -> list[dict[str, Any]]:
    counts = Counter(category for category, _ in cases)
    abstained = Counter(category for category, c in cases if not c.in_scope)
    rows = [{"category": k, "count": counts[k], "abstained": abstained[k]} for k in sorted(counts)]
    rows.append({"category": "all", "count": len(cases), "abstained": sum(abstained.values())})
    return rows


def _reliability(cases: list[tuple[str, Classification]]) -> list[dict[str, Any]]:
    rows = []
    for low, high in itertools.pairwise(BINS):
        chosen = [(e, c) for e, c in cases if c.in_scope and low <= c.confidence < high]
        correct = sum(_label(c) == e for e, c in chosen)
        rows.append(
            {
                "confidence": f"{low:.2f}-{min(high, 1.0):.2f}",
                "answers": len(chosen),
                "correct": correct,
                "accuracy": round(correct / len(chosen), 3) if chosen else None,
                "mean_confidence": round(sum(c.confidence for _, c in chosen) / len(chosen), 3) if chosen else None,
            }
        )
    return rows
