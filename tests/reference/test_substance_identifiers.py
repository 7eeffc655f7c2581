"""CAS numbers, InChIKeys and name normalisation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.reference.substances.identifiers import (
    cas_check_digit,
    chemical_key,
    is_inchikey,
    is_valid_cas,
    name_key,
    normalise_name,
    parse_cas,
    spelling_key,
)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("50-37-3", True),  # LSD
        ("50-36-2", True),  # cocaine
        ("42542-10-9", True),  # MDMA
        ("1189805-46-6", True),  # mephedrone
        ("7732-18-5", True),  # water
        ("72242-03-06", False),  # 3-MeO-PCP as the Green List prints it: two-digit check group
        ("33887-0-4", False),  # clonazolam as printed: middle group of one digit
        ("72242-03-5", False),  # wrong check digit (6 is right)
        ("50-37-4", False),
        ("050-37-3", False),  # leading zero
        ("5-37-3", False),  # first group too short
        ("12345678-12-3", False),  # first group too long
        ("50 37 3", False),
        ("", False),
        ("Not Available", False),
    ],
)
def test_cas_validation(text: str, valid: bool) -> None:
    assert is_valid_cas(text) is valid


def test_cas_check_digit_is_the_weighted_sum_of_the_other_digits() -> None:
    # 50-37-3: 7x1 + 3x2 + 0x3 + 5x4 = 33
    assert cas_check_digit("5037") == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("72242-03-06", "not of the form"),
        ("33887-0-4", "not of the form"),
        ("50-37-4", "check digit is 4 but the other digits give 3"),
    ],
)
def test_parse_cas_names_the_value_and_the_reason(text: str, reason: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_cas(text)
    assert text in raised.value.message
    assert reason in raised.value.message
    assert raised.value.details == [{"value": text, "reason": raised.value.details[0]["reason"]}]


def test_parse_cas_strips_spaces() -> None:
    assert parse_cas(" 50-37-3 ") == "50-37-3"


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("SHXWCVYOXRDMCX-UHFFFAOYSA-N", True),
        ("shxwcvyoxrdmcx-uhfffaoysa-n", False),
        ("SHXWCVYOXRDMCX-UHFFFAOYSA", False),
        ("InChI=1S/C11H15NO2", False),
    ],
)
def test_inchikey_shape(text: str, valid: bool) -> None:
    assert is_inchikey(text) is valid


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Cocaine", "cocaine"),
        ("  COCAINE  ", "cocaine"),
        ("cocaine hydrochloride", "cocaine"),
        ("Cocaine HCl", "cocaine"),
        ("cocaine (hydrochloride)", "cocaine"),
        ("cocaine base", "cocaine"),
        ("crack cocaine", "cocaine"),
        ("MDMA·HCl", "mdma"),
        ("morphine sulfate", "morphine"),
        ("morphine sulphate pentahydrate", "morphine sulphate pentahydrate"),
        ("codeine phosphate", "codeine"),
        ("dextromethorphan hydrobromide monohydrate", "dextromethorphan"),
        ("fentanyl citrate", "fentanyl"),
        ("hydrocodone bitartrate", "hydrocodone"),
        ("ergotamine tartrate", "ergotamine"),
        ("methylergometrine maleate", "methylergometrine"),
        ("quetiapine fumarate", "quetiapine"),
        (
            "3-[2-(dimethylamino)ethyl]indol-4-yl dihydrogen phosphate",
            "3-[2-(dimethylamino)ethyl]indol-4-yl dihydrogen phosphate",
        ),
        ("α-PVP", "alpha-pvp"),
        ("β-keto-MDMA", "beta-keto-mdma"),
        ("Δ9-THC", "delta9-thc"),
        ("γ-hydroxybutyric acid", "gamma-hydroxybutyric acid"),
        ("cocaïne", "cocaine"),
        ("Pipéronal", "piperonal"),
        ("25I- NBOMe", "25i-nbome"),
        ("5F–MDMB–PINACA", "5f-mdmb-pinaca"),
        ("4,4’-DMAR", "4,4'-dmar"),
        ("(8ß)-9,10-didehydro", "(8beta)-9,10-didehydro"),
        ("base", "base"),
    ],
)
def test_normalise_name(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Butyryl Fentanyl", "BUTYRYLFENTANYL"),
        ("ortho-Methyl Fentanyl", "ortho-methylfentanyl"),
        ("4-MMC", "4 MMC"),
        ("(+)-LYSERGIDE", "lysergide"),
        ("(±)-2,5-dimethoxy-α-methylphenethylamine", "2,5-dimethoxy-alpha-methylphenethylamine"),
        ("Etorphine HCl", "ETORPHINE"),
    ],
)
def test_name_keys_match(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("amfetamine", "amphetamine"),
        ("metamfetamine", "methamphetamine"),
        ("morfine", "morphine"),
        ("methadon", "methadone"),
        ("dextropropoxyfeen", "dextropropoxyphene"),
        ("psilocine", "psilocin"),
    ],
)
def test_spelling_keys_fold_inn_us_and_dutch_spellings(first: str, second: str) -> None:
    assert name_key(first) != name_key(second)
    assert spelling_key(first) == spelling_key(second)


@given(st.text())
def test_normalise_name_is_idempotent(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


@given(st.text())
def test_name_key_is_idempotent(name: str) -> None:
    once = name_key(name)
    assert name_key(once) == once


@given(st.text(alphabet="αβγΔßéèüÏ-–— ,()HClhydrochloride", max_size=40))
def test_normalise_name_is_idempotent_on_awkward_text(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


@st.composite
def valid_cas_numbers(draw: st.DrawFn) -> str:
    first = draw(st.integers(min_value=10, max_value=9_999_999))
    middle = draw(st.integers(min_value=0, max_value=99))
    body = f"{first}{middle:02d}"
    return f"{first}-{middle:02d}-{cas_check_digit(body)}"


@given(valid_cas_numbers())
def test_generated_cas_numbers_validate(cas: str) -> None:
    assert is_valid_cas(cas)
    assert parse_cas(cas) == cas


def _replace_digit(cas: str, position: int, digit: int) -> str:
    return cas[:position] + str(digit) + cas[position + 1 :]


@given(valid_cas_numbers(), st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_fails(cas: str, shift: int) -> None:
    changed = _replace_digit(cas, len(cas) - 1, (int(cas[-1]) + shift) % 10)
    assert not is_valid_cas(changed)


@given(valid_cas_numbers(), st.data())
def test_changing_one_other_digit_fails_unless_the_weights_hide_it(cas: str, data: st.DataObject) -> None:
    """The check digit weighs each digit by its position from the right, modulo 10: a change of ``d`` at weight
    ``w`` goes unnoticed exactly when ``w * d`` is a multiple of 10 (1 -> 6 at weight 2, any change at 10)."""
    body = [index for index, character in enumerate(cas[:-2]) if character.isdigit()]
    position = data.draw(st.sampled_from(body))
    original = int(cas[position])
    lowest = 1 if position == 0 else 0  # a leading zero is invalid whatever the check digit says
    replacement = data.draw(st.integers(min_value=lowest, max_value=9).filter(lambda digit: digit != original))
    weight = len([index for index in body if index >= position])
    detected = (weight * (replacement - original)) % 10 != 0
    assert is_valid_cas(_replace_digit(cas, position, replacement)) is not detected


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("(±)-2,5-dimethoxy-α-methylphenethylamine", "(±)-2,5-Dimethoxy-alpha-methylphenethylamine", True),
        ("(±)-α-methylphenethylamine", "alpha-methylphenethylamine", True),  # racemic reads as unspecified
        ("(+)-α-methylphenethylamine", "(–)-(R)-α-methylphenethylamine", False),  # dexamfetamine, levamfetamine
        ("(+)-α-methylphenethylamine", "(±)-α-methylphenethylamine", False),
    ],
)
def test_chemical_keys_keep_optical_signs(first: str, second: str, same: bool) -> None:
    assert name_key(first) == name_key(second)
    assert (chemical_key(first) == chemical_key(second)) is same
