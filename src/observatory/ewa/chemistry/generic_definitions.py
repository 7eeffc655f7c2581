"""Generic (class) definitions as data: "is this a fentanyl analogue under the generic definition?"

``generic_definitions.toml`` writes each definition as the core its members keep, with the legal basis and a
paraphrase of the text. A structure falls under a definition when its parent structure contains the core and
is not one of the definition's named exclusions; the answer carries the matched core's atoms and a drawing
with them highlighted.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdkit import Chem

from observatory.errors import BadInput
from observatory.ewa.chemistry.data_files import GENERIC_DEFINITIONS, entry_error, read_toml
from observatory.ewa.chemistry.drawing import highlighted_svg
from observatory.ewa.chemistry.molecule import quiet_rdkit, read_parent
from observatory.ewa.chemistry.substructure_index import SubstructureIndex, substructure_index
from observatory.ewa.chemistry.substructure_search import MAX_HITS, TIME_BUDGET_S, SubstructureResult, scan
from observatory.reference.substances import standardise


@dataclass(frozen=True, slots=True)
class GenericDefinition:
    id: str
    name: str
    basis: str
    text: str
    core: str
    excluded: dict[str, str]
    example_name: str
    example_smiles: str
    query: Any = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class GenericMatch:
    definition: GenericDefinition
    matched: bool
    atoms: tuple[int, ...]
    explanation: str
    svg: str | None


@cache
def generic_definitions(path: Path = GENERIC_DEFINITIONS) -> dict[str, GenericDefinition]:
    """The definitions of ``path`` by identifier; ``SourceFileError`` for a bad entry."""
    definitions = [
        _definition(path, number, entry) for number, entry in enumerate(read_toml(path).get("definition", []), 1)
    ]
    return {definition.id: definition for definition in definitions}


def generic_match(smiles: str, definition_id: str) -> GenericMatch:
    """Whether ``smiles`` falls under the definition, with the core's atoms (in the parent structure's atom
    order) and an SVG drawing of the parent with the core highlighted. ``BadInput`` for an invalid structure or
    an unknown definition."""
    definition = _definition_named(definition_id)
    parent = read_parent(smiles)
    excluded = definition.excluded.get(parent.inchikey or "")
    if excluded:
        return GenericMatch(
            definition, False, (), f"{excluded} is excluded from the {definition.name} definition", None
        )
    with quiet_rdkit():
        atoms = tuple(parent.molecule.GetSubstructMatch(definition.query))
    if not atoms:
        return GenericMatch(definition, False, (), f"the structure lacks the {definition.name} core", None)
    explanation = f"the structure contains the {definition.name} core ({len(atoms)} atoms): {definition.text}"
    return GenericMatch(definition, True, atoms, explanation, highlighted_svg(parent.molecule, atoms))


def matching_definitions(smiles: str) -> list[GenericMatch]:
    """Every definition ``smiles`` falls under."""
    return [match for match in (generic_match(smiles, key) for key in generic_definitions()) if match.matched]


def generic_search(
    definition_id: str,
    max_hits: int = MAX_HITS,
    time_budget: float = TIME_BUDGET_S,
    index: SubstructureIndex | None = None,
) -> SubstructureResult:
    """The registry substances falling under the definition, its exclusions left out."""
    definition = _definition_named(definition_id)
    result = scan(definition.core, definition.query, max_hits, time_budget, index or substructure_index())
    kept = tuple(hit for hit in result.hits if hit.inchikey not in definition.excluded)
    return SubstructureResult(result.pattern, kept, result.candidates, result.truncated)


def _definition_named(definition_id: str) -> GenericDefinition:
    definitions = generic_definitions()
    if definition_id not in definitions:
        message = f"unknown generic definition {definition_id!r}; known: {', '.join(definitions)}"
        raise BadInput(message, [{"value": definition_id}])
    return definitions[definition_id]


def _definition(path: Path, number: int, entry: dict[str, Any]) -> GenericDefinition:
    where = str(entry.get("id") or f"definition {number}")
    try:
        with quiet_rdkit():
            query = Chem.MolFromSmarts(str(entry["core"]))
        if query is None:
            raise ValueError(f"invalid SMARTS {entry['core']!r}")
        return GenericDefinition(
            id=str(entry["id"]),
            name=str(entry["name"]),
            basis=str(entry["basis"]),
            text=str(entry["text"]),
            core=str(entry["core"]),
            excluded={standardise(item["smiles"]).inchikey: str(item["name"]) for item in entry["excluded"]},
            example_name=str(entry["example"]["name"]),
            example_smiles=str(entry["example"]["smiles"]),
            query=query,
        )
    except (KeyError, ValueError, TypeError, BadInput) as error:
        raise entry_error(path, where, f"bad or missing field ({error})") from error
