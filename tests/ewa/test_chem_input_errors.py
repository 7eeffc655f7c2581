"""Bad structures and patterns are refused with a clear BadInput, quickly, never a crash or a hang."""

from collections.abc import Callable

import pytest

from observatory.errors import BadInput
from observatory.ewa.chemistry import (
    classification_report,
    classify,
    exact_search,
    generic_match,
    similarity_search,
    substructure_search,
)
from observatory.ewa.chemistry.molecule import MAX_ATOMS
from observatory.ewa.chemistry.smarts import read_smarts


def refusal(call: Callable[[], object]) -> str:
    """The reason a call was refused (how fast it refuses is the benchmarks' business, not the tests')."""
    with pytest.raises(BadInput) as raised:
        call()
    reason: str = raised.value.details[0]["reason"]
    return reason


@pytest.mark.parametrize(
    ("smiles", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("C1CC", "unparseable"),
        ("not a molecule", "unparseable"),
        ("CC(C)(C)(C)(C)C", "valence"),
        ("C[N](C)(C)(C)C", "valence"),
        ("c1cccc1", "aromaticity"),
        ("C" * (MAX_ATOMS + 1), "too-many-atoms"),
        ("C" * 60_000, "too-long"),
    ],
)
@pytest.mark.parametrize("operation", [classify, similarity_search, exact_search])
def test_bad_structures_are_refused(smiles: str, reason: str, operation: Callable[[str], object]) -> None:
    assert refusal(lambda: operation(smiles)) == reason


def test_the_refusal_says_what_is_wrong() -> None:
    with pytest.raises(BadInput, match="valence"):
        classify("CC(C)(C)(C)(C)C")
    with pytest.raises(BadInput, match="5,000"):
        classify("C" * (MAX_ATOMS + 1))


def test_a_large_but_allowed_molecule_is_classified() -> None:
    polyethylene = "C" * 2_000
    result = classify(polyethylene)  # classified, and out of scope: a hydrocarbon is no NPS family
    assert result.family is None and not result.in_scope


@pytest.mark.parametrize(
    ("smarts", "reason"),
    [
        ("", "empty"),
        ("C1CC(", "unparseable"),
        ("[$(C)", "unparseable"),
        ("*" + "~*" * 19, "too-many-wildcards"),
        ("*1" + "~*" * 11 + "~*1", "too-many-wildcards"),
        ("C" * 41, "too-many-atoms"),
        ("[$(C" + "~C" * 30 + ")]~[$(N" + "~C" * 30 + ")]", "too-many-atoms"),
        ("[$([$([$(CC)]C)]C)]", "too-much-recursion"),
        ("".join(f"[$(C{i * 'C'})]" for i in range(7)), "too-much-recursion"),
        ("C" * 501, "too-long"),
    ],
)
def test_pathological_patterns_are_refused_before_searching(smarts: str, reason: str) -> None:
    assert refusal(lambda: substructure_search(smarts)) == reason


def test_a_search_over_its_time_budget_stops_with_an_error() -> None:
    open_ring = "[!#1]1" + "~[!#1]" * 12 + "~[!#1]1"
    read_smarts(open_ring)  # within the limits: only the clock stops it
    assert refusal(lambda: substructure_search(open_ring, time_budget=0.0)) == "time-budget"


@pytest.mark.parametrize(
    "call",
    [
        lambda: similarity_search("CCO", k=0),
        lambda: similarity_search("CCO", k=1_001),
        lambda: similarity_search("CCO", threshold=1.5),
        lambda: substructure_search("CCO", max_hits=0),
        lambda: generic_match("CCO", "no-such-definition"),
        lambda: classification_report("no-such-source"),
        lambda: classification_report("slovenia-nfl", "effect"),
    ],
)
def test_bad_parameters_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(BadInput):
        call()
