"""Reading a SMARTS pattern a user typed, refusing one too large or too open to search with safely.

A substructure search cannot be interrupted inside RDKit, so the cost of matching one molecule must be bounded
before the search starts. A pattern is refused (``BadInput``, reason named in the detail) when it has more
than :data:`MAX_CHARACTERS` characters (``too-long``), more than :data:`MAX_ATOMS` atoms counting those of
recursive ``$(...)`` parts (``too-many-atoms``), more than :data:`MAX_WILDCARDS` ``*`` atoms, whose matches
multiply (``too-many-wildcards``), more than :data:`MAX_RECURSIVE` recursive parts or recursion nested
deeper than :data:`MAX_NESTING` (``too-much-recursion``).
"""

from dataclasses import dataclass
from typing import Any

from rdkit import Chem

from observatory.errors import BadInput
from observatory.ewa.chemistry.molecule import quiet_rdkit

MAX_CHARACTERS = 500
MAX_ATOMS = 40
MAX_WILDCARDS = 8
MAX_RECURSIVE = 6
MAX_NESTING = 2


@dataclass(frozen=True, slots=True)
class Pattern:
    smarts: str
    query: Any
    atoms: int


def read_smarts(smarts: str) -> Pattern:
    """The compiled pattern of ``smarts``, or ``BadInput`` naming the limit it breaks."""
    text = smarts.strip()
    if not text:
        raise _refusal(smarts, "empty", "the SMARTS pattern is empty")
    if len(text) > MAX_CHARACTERS:
        raise _refusal(text, "too-long", f"the pattern has {len(text)} characters; at most {MAX_CHARACTERS}")
    query = _compile(text)
    parts = recursive_parts(text)
    atoms = query.GetNumAtoms() + sum(_compile(part).GetNumAtoms() for part, _ in parts)
    if atoms > MAX_ATOMS:
        raise _refusal(text, "too-many-atoms", f"the pattern has {atoms} atoms; at most {MAX_ATOMS}")
    wildcards = text.count("*")
    if wildcards > MAX_WILDCARDS:
        message = f"the pattern has {wildcards} '*' atoms, which match anything; at most {MAX_WILDCARDS}"
        raise _refusal(text, "too-many-wildcards", message)
    nesting = max((depth for _, depth in parts), default=0)
    if len(parts) > MAX_RECURSIVE or nesting > MAX_NESTING:
        message = (
            f"the pattern has {len(parts)} recursive $(...) parts nested {nesting} deep; "
            f"at most {MAX_RECURSIVE}, nested {MAX_NESTING} deep"
        )
        raise _refusal(text, "too-much-recursion", message)
    return Pattern(text, query, atoms)


def recursive_parts(text: str, depth: int = 1) -> list[tuple[str, int]]:
    """Every ``$(...)`` part of ``text`` with its nesting depth, outermost first."""
    parts: list[tuple[str, int]] = []
    start = text.find("$(")
    while start >= 0:
        end = _closing(text, start + 1)
        inner = text[start + 2 : end]
        parts.append((inner, depth))
        parts.extend(recursive_parts(inner, depth + 1))
        start = text.find("$(", end)
    return parts


def _closing(text: str, opening: int) -> int:
    level = 0
    for position in range(opening, len(text)):
        level += {"(": 1, ")": -1}.get(text[position], 0)
        if level == 0:
            return position
    raise _refusal(text, "unparseable", f"{text!r} has an unclosed '$('")


def _compile(text: str) -> Any:
    with quiet_rdkit():
        query = Chem.MolFromSmarts(text)
    if query is None or query.GetNumAtoms() == 0:
        raise _refusal(text, "unparseable", f"{text!r} is not a valid SMARTS pattern")
    return query


def _refusal(smarts: str, reason: str, message: str) -> BadInput:
    return BadInput(message, [{"value": smarts[:80], "reason": reason}])
