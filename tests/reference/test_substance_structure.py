"""Standardised structures: salts and solvents stripped, charges neutralised, identifiers computed."""

import pytest

from observatory.errors import BadInput
from observatory.reference.substances.structure import standardisation_method, standardise

MDMA = "SHXWCVYOXRDMCX-UHFFFAOYSA-N"
GHB = "SJZRECIVHVDYJC-UHFFFAOYSA-N"


@pytest.mark.parametrize(
    ("smiles", "inchikey"),
    [
        ("CNC(C)Cc1ccc2OCOc2c1", MDMA),
        ("CNC(C)Cc1ccc2OCOc2c1.Cl", MDMA),  # hydrochloride
        ("C[NH2+]C(C)Cc1ccc2OCOc2c1.[Cl-]", MDMA),  # written as an ion pair
        ("CNC(C)Cc1ccc2OCOc2c1.O.O", MDMA),  # hydrate
        ("OCCCC(=O)O", GHB),
        ("[Na+].[O-]C(=O)CCCO", GHB),  # sodium oxybate is GHB
        ("COC(=O)[C@H]1[C@@H](OC(=O)c2ccccc2)C[C@H]2CC[C@H]1N2C.[Cl-].[H+]", "ZPUCINDJVBIVPJ-APIJFGDWSA-N"),
    ],
)
def test_parent_compound(smiles: str, inchikey: str) -> None:
    assert standardise(smiles).inchikey == inchikey


def test_identifiers_of_mdma() -> None:
    structure = standardise("CNC(C)Cc1ccc2OCOc2c1.Cl")
    assert structure.smiles == "CNC(C)Cc1ccc2c(c1)OCO2"
    assert structure.inchi.startswith("InChI=1S/C11H15NO2/")
    assert structure.formula == "C11H15NO2"
    assert structure.monoisotopic_mass == pytest.approx(193.11028, abs=1e-5)
    assert structure.average_mass == pytest.approx(193.246, abs=1e-3)


def test_stereochemistry_is_kept() -> None:
    assert standardise("C[C@H](N)Cc1ccccc1").inchikey != standardise("CC(N)Cc1ccccc1").inchikey


def test_canonical_tautomer_is_optional() -> None:
    enol = "CC(O)=CC(C)=O"
    assert standardise(enol).smiles != standardise("CC(=O)CC(C)=O").smiles
    assert (
        standardise(enol, canonical_tautomer=True).smiles
        == standardise("CC(=O)CC(C)=O", canonical_tautomer=True).smiles
    )
    assert "canonical tautomer" in standardisation_method(canonical_tautomer=True)
    assert "canonical tautomer" not in standardisation_method()


@pytest.mark.parametrize("smiles", ["C1CC(", "not a smiles", "C(C)(C)(C)(C)C", "", "   "])
def test_malformed_smiles_is_bad_input_naming_the_value(smiles: str) -> None:
    with pytest.raises(BadInput) as raised:
        standardise(smiles)
    assert repr(smiles) in raised.value.message
    assert raised.value.details[0]["value"] == smiles


def test_rdkit_says_nothing_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(BadInput):
        standardise("C1CC(")
    standardise("C[N+](C)(C)C.[Cl-]")
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""
