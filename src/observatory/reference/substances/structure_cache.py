"""A file of standardised structures, so that building the registry does not re-run RDKit on every start.

Standardising the ~2,200 SMILES of the sources takes about five seconds; reading them back from
``standardised_structures.json`` takes a few milliseconds. The file is only an accelerator: it is keyed
by the SMILES as written in the sources and by the standardisation method (RDKit version and steps); a
SMILES missing from it, or a file made by another method, is standardised afresh, so a stale file can cost
time but never change the registry.

Regenerate it after changing a source file or upgrading RDKit::

    python -m observatory.reference.substances.regenerate_structures
"""

import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from observatory.errors import BadInput
from observatory.reference.substances.source_files import SUBSTANCE_DATA
from observatory.reference.substances.structure import Structure, standardisation_method, standardise

CACHE_FILE = SUBSTANCE_DATA / "standardised_structures.json"
#: What a SMILES standardises to: its structure, or the reason RDKit could not read it.
Outcome = Structure | BadInput


def load_structure_cache(path: Path = CACHE_FILE) -> dict[str, Outcome]:
    """The cached outcomes, or nothing when the file is absent or was made by another method."""
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("method") != standardisation_method():
        return {}
    outcomes: dict[str, Outcome] = {}
    for smiles, value in data.get("structures", {}).items():
        if "error" in value:
            outcomes[smiles] = BadInput(value["error"], [{"value": smiles, "reason": "unparseable"}])
        else:
            outcomes[smiles] = Structure(**value)
    return outcomes


def standardise_all(smiles: Iterable[str], cache: dict[str, Outcome]) -> dict[str, Outcome]:
    """The outcome of every SMILES, from ``cache`` when it has it."""
    outcomes: dict[str, Outcome] = {}
    for text in smiles:
        if text in outcomes:
            continue
        cached = cache.get(text)
        outcomes[text] = cached if cached is not None else _outcome(text)
    return outcomes


def write_structure_cache(outcomes: dict[str, Outcome], path: Path = CACHE_FILE) -> None:
    structures = {
        smiles: {"error": outcome.message} if isinstance(outcome, BadInput) else asdict(outcome)
        for smiles, outcome in sorted(outcomes.items())
    }
    content = {"method": standardisation_method(), "structures": structures}
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _outcome(smiles: str) -> Outcome:
    try:
        return standardise(smiles)
    except BadInput as error:
        return error
