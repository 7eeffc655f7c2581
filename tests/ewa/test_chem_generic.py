"""Generic definitions: "is this a fentanyl analogue?", with the core highlighted in a drawing."""

import re

import pytest

from observatory.ewa.chemistry import (
    GenericDefinition,
    generic_definitions,
    generic_match,
    generic_search,
    matching_definitions,
)

DEFINITIONS = list(generic_definitions().values())
HIGHLIGHT = "#FF7F7F"  # RDKit's default highlight colour


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)
def test_every_definition_matches_its_example_and_highlights_the_core(definition: GenericDefinition) -> None:
    match = generic_match(definition.example_smiles, definition.id)
    assert match.matched, definition.example_name
    assert match.atoms and match.svg is not None
    assert match.svg.startswith("<?xml") and "</svg>" in match.svg
    assert HIGHLIGHT in match.svg


@pytest.mark.parametrize(
    ("name", "smiles", "definitions"),
    [
        ("fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", ["fentanyl-analogue"]),
        ("carfentanil", "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1", ["fentanyl-analogue"]),
        ("isotonitazene", "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21", ["nitazene"]),
        ("MDMB-4en-PINACA", "C=CCCCn1nc(C(=O)NC(C(=O)OC)C(C)(C)C)c2ccccc21", ["synthetic-cannabinoid-carboxamide"]),
        ("mephedrone", "CNC(C)C(=O)c1ccc(C)cc1", ["cathinone"]),
        ("2C-B", "NCCc1cc(OC)c(Br)cc1OC", ["2c-phenethylamine"]),
        ("alprazolam", "Cc1nnc2n1-c1ccc(Cl)cc1C(c1ccccc1)=NC2", ["benzodiazepine"]),
        ("DOB (an amphetamine, not a 2C)", "CC(N)Cc1cc(OC)c(Br)cc1OC", []),
        ("benzylfentanyl (no two-carbon linker)", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", []),
        ("bupropion (excluded by name)", "CC(NC(C)(C)C)C(=O)c1cccc(Cl)c1", []),
        ("ethanol", "CCO", []),
    ],
)
def test_substances_fall_under_the_right_definitions(name: str, smiles: str, definitions: list[str]) -> None:
    assert [match.definition.id for match in matching_definitions(smiles)] == definitions, name


def test_the_highlighted_atoms_are_the_core_and_only_the_core() -> None:
    match = generic_match("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "fentanyl-analogue")
    # carbonyl C and O, amide N, the aniline ring's ipso carbon, six piperidine atoms, two linker carbons, ring atom
    assert len(match.atoms) == 13
    assert match.svg is not None
    highlighted = {
        int(atom) for atom in re.findall(rf"<ellipse [^>]*class='atom-(\d+)'[^>]*fill:{HIGHLIGHT}", match.svg)
    }
    assert highlighted == set(match.atoms)


def test_an_excluded_substance_is_explained() -> None:
    match = generic_match("CC(NC(C)(C)C)C(=O)c1cccc(Cl)c1", "cathinone")
    assert not match.matched
    assert "bupropion" in match.explanation


def test_the_registry_can_be_searched_by_definition() -> None:
    fentanyls = {hit.name for hit in generic_search("fentanyl-analogue").hits}
    assert {"Fentanyl", "Carfentanil", "Furanylfentanyl"} <= fentanyls
    cathinones = generic_search("cathinone").hits
    assert "Mephedrone" in {hit.name for hit in cathinones}
    assert "Bupropion" not in {hit.name for hit in cathinones}
