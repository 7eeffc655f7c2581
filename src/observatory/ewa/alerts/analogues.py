"""Rule: a detected substance no list of the registry controls, structurally close to one that is controlled.

Close means a controlled registry substance with a Morgan/Tanimoto similarity of at least ``min_similarity``
(the substance's own stereoisomers and salts, sharing its InChIKey connectivity block, left out), or a generic
definition the structure falls under (``generic_definitions.toml``; its named exclusions respected). Registry
substances are compared through the structure library's fingerprints and molecules, without parsing again.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from observatory.ewa.alerts.model import AlertDraft, Rule
from observatory.ewa.alerts.settings import RuleSettings
from observatory.ewa.alerts.snapshot import Snapshot
from observatory.ewa.alerts.wording import country_name, described
from observatory.ewa.chemistry import generic_definitions
from observatory.ewa.chemistry.fingerprints import Words, morgan_fingerprint
from observatory.ewa.chemistry.library import StructureLibrary, structure_library
from observatory.ewa.chemistry.molecule import quiet_rdkit, read_parent
from observatory.ewa.events import SubstanceEntry


@dataclass(frozen=True, slots=True)
class Neighbour:
    substance_id: str
    name: str
    similarity: float
    controls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analogy:
    neighbours: tuple[Neighbour, ...]
    generic: tuple[tuple[str, str], ...]

    def __bool__(self) -> bool:
        return bool(self.neighbours or self.generic)


def analogues(snapshot: Snapshot, settings: RuleSettings) -> list[AlertDraft]:
    drafts: list[AlertDraft] = []
    for key, found in snapshot.by_substance.items():
        substance = snapshot.substances[key]
        if substance.controls or not substance.smiles or not substance.inchikey:
            continue
        analogy = analogy_of(substance, settings.min_similarity, settings.neighbours)
        if not analogy:
            continue
        first = found[0]
        evidence = tuple(dict.fromkeys(detection.event_id for detection in found))[: settings.analogue_evidence]
        drafts.append(
            AlertDraft(
                key=f"{Rule.ANALOGUE}:{substance.key}",
                rule=Rule.ANALOGUE,
                audience=settings.analogue_audience,
                title=f"Uncontrolled {substance.name} is an analogue of {_closest(analogy)}",
                summary=_summary(substance, analogy, first.country, len(found)),
                first_event_on=first.day,
                event_ids=evidence,
                substance_key=substance.key,
                country=first.country,
                details={
                    "neighbours": [
                        {
                            "substance_id": n.substance_id,
                            "name": n.name,
                            "similarity": n.similarity,
                            "control": list(n.controls),
                        }
                        for n in analogy.neighbours
                    ],
                    "generic_definitions": [{"id": id_, "name": name} for id_, name in analogy.generic],
                },
            )
        )
    return drafts


def analogy_of(substance: SubstanceEntry, min_similarity: float, k: int) -> Analogy:
    """The controlled neighbours and generic definitions of an uncontrolled substance with a structure."""
    assert substance.smiles is not None and substance.inchikey is not None
    library = structure_library()
    row = library.rows.get(substance.registry_id or "")
    molecule, words = _structure(library, row, substance.smiles)
    exclude = ~_controlled() | library.same_connectivity(substance.inchikey)
    neighbours = tuple(
        Neighbour(hit.id, hit.preferred_name, round(score, 3), _controls(hit.controls))
        for hit, score in (
            (library.substances[found], score)
            for found, score in library.index.top_k(words, k, min_similarity, exclude)
        )
    )
    with quiet_rdkit():
        generic = tuple(
            (definition.id, definition.name)
            for definition in generic_definitions().values()
            if substance.inchikey not in definition.excluded and molecule.HasSubstructMatch(definition.query)
        )
    return Analogy(neighbours, generic)


def _structure(library: StructureLibrary, row: int | None, smiles: str) -> tuple[Any, Words]:
    if row is not None:
        return library.molecules[row], library.index.words[row]
    molecule = read_parent(smiles).molecule
    return molecule, morgan_fingerprint(molecule)


@cache
def _controlled() -> npt.NDArray[np.bool_]:
    """Which rows of the structure library some list controls."""
    return np.array([bool(substance.controls) for substance in structure_library().substances], dtype=bool)


def _controls(facts: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{fact.regime} {fact.schedule}" for fact in facts))


def _closest(analogy: Analogy) -> str:
    if analogy.neighbours:
        return f"controlled {analogy.neighbours[0].name}"
    return f"the {analogy.generic[0][1]} generic definition"


def _summary(substance: SubstanceEntry, analogy: Analogy, country: str | None, detections: int) -> str:
    parts = [
        f"{described(substance)}, which none of the registry's control lists names, has been detected "
        f"{detections} time(s), first in {country_name(country)}."
    ]
    if analogy.neighbours:
        listed = "; ".join(f"{n.name} ({n.similarity:.2f}: {', '.join(n.controls)})" for n in analogy.neighbours)
        parts.append(f"Controlled substances of similar structure (Tanimoto, Morgan radius 2): {listed}.")
    if analogy.generic:
        parts.append(f"It falls under the generic definition(s): {', '.join(name for _, name in analogy.generic)}.")
    return " ".join(parts)
