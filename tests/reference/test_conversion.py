"""Kilogram-equivalents (METHODS.md §3): worked examples, scopes, validity periods, refusals, properties."""

import csv
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from observatory.errors import BadInput, SourceFileError
from observatory.reference.conversion import (
    FACTORS_FILE,
    WDR_DRUGS_FILE,
    FactorTable,
    Scope,
    convert,
    default_factors,
    heroin_from_opium,
    kg_equivalent,
    load_factors,
    opium_heroin_ratios,
    potential_production,
    wdr_drug_names,
)
from observatory.reference.units import UnitKind, units_of_kind

SHARED = Path(__file__).resolve().parents[3] / "shared"
METHODS = SHARED / "docs" / "METHODS.md"
WDR_SEIZURES = SHARED / "data" / "unodc_seizures" / "wdr2025_7.1_drug_seizures_2019_2023.xlsx"
HEADER = FACTORS_FILE.read_text(encoding="utf-8").splitlines()[0]


def methods_section_3() -> str:
    text = METHODS.read_text(encoding="utf-8")
    return text[text.index("## 3.") : text.index("## 4.")]


def converted(quantity: float, unit: str, drug: str) -> Callable[[], tuple[float, bool]]:
    def run() -> tuple[float, bool]:
        result = convert(quantity, unit, drug)
        return result.kilograms, result.confirmed

    return run


def seizure_total() -> tuple[float, bool]:
    total = kg_equivalent([convert(2, "l", "Cannabis oil"), convert(1000, "tablets", "Methamphetamine")])
    return total.kilograms, total.confirmed


def opium_tonnes() -> tuple[float, bool]:
    return potential_production([(1000, 30)]) / 1000, True


def heroin_tonnes() -> tuple[float, bool]:
    estimate = heroin_from_opium(potential_production([(1000, 30)]), "AFG", 2013)
    return estimate.heroin_kg / 1000, estimate.confirmed


SEIZURES = "2 l cannabis oil + 1,000 tablets at 0.1 g → 2 + 0.1 = 2.1 kg_eq"
# Each row: the worked example as METHODS.md §3 writes it, what computes it, the expected value, confirmed?
WORKED_EXAMPLES = [
    pytest.param(SEIZURES, converted(2, "l", "Cannabis oil"), 2.0, True, id="2 l = 2 kg ([C])"),
    pytest.param(SEIZURES, converted(1000, "tablet", "Methamphetamine"), 0.1, False, id="1,000 tablets = 0.1 kg ([U])"),
    pytest.param(SEIZURES, seizure_total, 2.1, False, id="2 l + 1,000 tablets = 2.1 kg_eq"),
    pytest.param("1,000 ha × 30 kg/ha = 30 t opium", opium_tonnes, 30.0, True, id="1,000 ha × 30 kg/ha = 30 t"),
    pytest.param("at 7:1 → 4.286 t heroin", heroin_tonnes, 4.286, False, id="30 t opium at 7:1 = 4.286 t heroin ([U])"),
]


@pytest.mark.parametrize(("methods_text", "compute", "expected", "confirmed"), WORKED_EXAMPLES)
def test_methods_section_3_worked_examples(
    methods_text: str, compute: Callable[[], tuple[float, bool]], expected: float, confirmed: bool
) -> None:
    assert methods_text in methods_section_3()
    value, was_confirmed = compute()
    assert value == pytest.approx(expected, abs=5e-4)
    assert was_confirmed is confirmed


#: Test lines of §3 whose worked example needs the analytics store, with the test module that computes it and the
#: figures it must hold.
COVERED_ELSEWHERE = {
    "Cocaine-type 2021 = 2,026,382 kg under the rule": (
        Path(__file__).parents[1] / "analytics" / "test_headline.py",
        ("2_026_382", "2_881_822"),
    ),
}


def test_every_test_line_of_methods_section_3_has_a_worked_example_row() -> None:
    covered = {str(param.values[0]) for param in WORKED_EXAMPLES}
    lines = [line for line in methods_section_3().splitlines() if line.startswith("Test:")]
    examples = [example for line in lines for example in line.removeprefix("Test:").split(";")]
    assert len(lines) == 3 and len(examples) == 4
    for example in examples:
        elsewhere = [(module, figures) for text, (module, figures) in COVERED_ELSEWHERE.items() if text in example]
        if elsewhere:
            ((module, figures),) = elsewhere
            assert all(figure in module.read_text(encoding="utf-8") for figure in figures), example
            continue
        assert [text for text in covered if text in example], example


def test_shipped_factors_and_their_confirmed_flags() -> None:
    found = {f.id: (f.unit, f.drug_group, f.value, f.confirmed) for f in default_factors().factors}
    ats = "Amphetamine-type stimulants (excluding “ecstasy”)"
    ecstasy = "“Ecstasy”-type substances"
    assert found == {
        "mass-kilogram": ("kg", None, 1.0, True),
        "volume-litre": ("l", None, 1.0, True),
        "tablet-ecstasy-type": ("tablet", ecstasy, 0.0001, False),
        "unit-ecstasy-type": ("unit", ecstasy, 0.0001, False),
        "tablet-ats-excluding-ecstasy": ("tablet", ats, 0.0001, False),
        "unit-ats-excluding-ecstasy": ("unit", ats, 0.0001, False),
    }


def test_shipped_factors_cite_methods_and_keep_ats_tablets_in_the_confirmed_90_to_300_mg() -> None:
    for factor in default_factors().factors:
        assert re.match(r"METHODS\.md §3 \[(C|U)\]", factor.source)
        assert factor.confirmed == ("[C]" in factor.source)
        if factor.drug_group:
            assert factor.confirmed_min == pytest.approx(90e-6)
            assert factor.confirmed_max == pytest.approx(300e-6)


def test_the_drug_names_file_is_the_vocabulary_of_the_wdr_seizure_table() -> None:
    rows = CalamineWorkbook.from_path(WDR_SEIZURES).get_sheet_by_name("Seizures").to_python()[2:]
    expected = {tuple(str(cell).strip() for cell in row[3:6]) for row in rows}
    with WDR_DRUGS_FILE.open(encoding="utf-8", newline="") as handle:
        shipped = [tuple(row.values()) for row in csv.DictReader(handle)]
    assert len(shipped) == len(set(shipped))
    assert set(shipped) == expected


@pytest.mark.parametrize(
    ("quantity", "unit", "drug", "place", "kilograms", "factor", "scope", "confirmed"),
    [
        (1, "kg", "Heroin", {}, 1.0, "mass-kilogram", Scope.UNIT_ONLY, True),
        (250, "g", "Cocaine hydrochloride", {}, 0.25, "mass-kilogram", Scope.UNIT_ONLY, True),
        (3, "t", "Cannabis herb (marijuana)", {}, 3000.0, "mass-kilogram", Scope.UNIT_ONLY, True),
        (2, "lb", "Cannabis resin (hashish)", {}, 0.90718474, "mass-kilogram", Scope.UNIT_ONLY, True),
        (500, "ml", "Cannabis oil", {}, 0.5, "volume-litre", Scope.UNIT_ONLY, True),
        (7, "litres", "Gamma-Hydroxybutyric acid (GHB)", {}, 7.0, "volume-litre", Scope.UNIT_ONLY, True),
        (1000, "tablets", "Ecstasy-type substances", {}, 0.1, "tablet-ecstasy-type", Scope.DRUG_GROUP, False),
        (1000, "tablet", "“Ecstasy”-type substances", {}, 0.1, "tablet-ecstasy-type", Scope.DRUG_GROUP, False),
        (
            10,
            "tablet",
            "3,4-methylenedioxymethamphetamine (MDMA)",
            {},
            0.001,
            "tablet-ecstasy-type",
            Scope.DRUG_GROUP,
            False,
        ),
        (1000, "tablet", "Methamphetamine", {}, 0.1, "tablet-ats-excluding-ecstasy", Scope.DRUG_GROUP, False),
        (1000, "pills", "“Yaba”", {}, 0.1, "tablet-ats-excluding-ecstasy", Scope.DRUG_GROUP, False),
        (1000, "tablet", "Yaba", {}, 0.1, "tablet-ats-excluding-ecstasy", Scope.DRUG_GROUP, False),
        (1000, "tablet", '"Captagon"', {}, 0.1, "tablet-ats-excluding-ecstasy", Scope.DRUG_GROUP, False),
        (20, "units", "Amphetamine", {}, 0.002, "unit-ats-excluding-ecstasy", Scope.DRUG_GROUP, False),
        (
            1000,
            "tablet",
            "Methamphetamine",
            {"region": "Asia", "subregion": "East and South-East Asia", "year": 2023},
            0.1,
            "tablet-ats-excluding-ecstasy",
            Scope.DRUG_GROUP,
            False,
        ),
    ],
)
def test_conversions_with_the_shipped_factors(
    quantity: float,
    unit: str,
    drug: str,
    place: dict[str, str | int],
    kilograms: float,
    factor: str,
    scope: Scope,
    confirmed: bool,
) -> None:
    result = convert(quantity, unit, drug, **place)  # type: ignore[arg-type]
    assert result.kilograms == pytest.approx(kilograms)
    assert (result.factor.id, result.scope, result.confirmed) == (factor, scope, confirmed)
    if confirmed:
        assert result.flags == ()
    else:
        assert [(flag.code, flag.factor_id) for flag in result.flags] == [("unconfirmed-factor", factor)]
        assert factor in result.flags[0].message


SCOPED = """\
ats-group,tablet,,Amphetamine-type stimulants (excluding “ecstasy”),,,0.0001,,,false,,,test,
meth,tablet,Methamphetamine,,,,0.00012,,,false,,,test,
meth-asia,tablet,Methamphetamine,,Asia,,0.00015,,,false,,,test,
meth-esea-old,tablet,Methamphetamine,,Asia,East and South-East Asia,0.00009,,2014,false,,,test,
meth-esea,tablet,Methamphetamine,,Asia,East and South-East Asia,0.0002,2015,,false,,,test,
lsd,blotter,LSD,,,,0.00005,,,false,,,test,
any-plant,plant,Cannabis plants,,,,0.1,,,false,,,test,
mushroom-hallucinogens,unit,,Hallucinogens,,,0.001,,,false,,,test,
mushroom-nps,unit,,NPS,,,0.002,,,false,,,test,
kg,kg,,,,,1,,,true,,,test,
"""


@pytest.fixture
def scoped_table(tmp_path: Path) -> FactorTable:
    path = tmp_path / "factors.csv"
    path.write_text(f"{HEADER}\n{SCOPED}", encoding="utf-8")
    return load_factors(path)


@pytest.mark.parametrize(
    ("drug", "unit", "region", "subregion", "year", "factor", "scope"),
    [
        ("Methamphetamine", "tablet", None, None, 2020, "meth", Scope.DRUG),
        ("Methamphetamine", "tablet", "Europe", None, 2020, "meth", Scope.DRUG),
        ("Methamphetamine", "tablet", "Asia", None, 2020, "meth-asia", Scope.DRUG_REGION),
        ("Methamphetamine", "tablet", "asia ", None, None, "meth-asia", Scope.DRUG_REGION),
        ("Methamphetamine", "tablet", "Asia", "East and South-East Asia", 2020, "meth-esea", Scope.DRUG_SUBREGION),
        ("Methamphetamine", "tablet", None, "East and South-East Asia ", 2020, "meth-esea", Scope.DRUG_SUBREGION),
        ("Methamphetamine", "tablet", "Asia", "East and South-East Asia", 2014, "meth-esea-old", Scope.DRUG_SUBREGION),
        ("Methamphetamine", "tablet", "Asia", "East and South-East Asia", None, "meth-esea", Scope.DRUG_SUBREGION),
        ("Methamphetamine", "tablet", "Europe", "East and South-East Asia", 2020, "meth", Scope.DRUG),
        ("“Yaba”", "tablet", "Asia", None, 2020, "meth-asia", Scope.DRUG_REGION),
        ("Amphetamine", "tablet", "Asia", None, 2020, "ats-group", Scope.DRUG_GROUP),
        ("LSD", "blotter", None, None, None, "lsd", Scope.DRUG),
        ("Lysergic acid diethylamide (LSD)", "blotters", None, None, None, "lsd", Scope.DRUG),
        ("cannabis  plants", "plants", None, None, None, "any-plant", Scope.DRUG),
        ("NPS", "unit", None, None, None, "mushroom-nps", Scope.DRUG_GROUP),
        ("Psilocybine", "unit", None, None, None, "mushroom-hallucinogens", Scope.DRUG_GROUP),
        ("Anything at all", "g", None, None, None, "kg", Scope.UNIT_ONLY),
    ],
)
def test_the_most_specific_factor_in_force_wins(
    scoped_table: FactorTable,
    drug: str,
    unit: str,
    region: str | None,
    subregion: str | None,
    year: int | None,
    factor: str,
    scope: Scope,
) -> None:
    result = scoped_table.convert(1, unit, drug, region, subregion, year)
    assert (result.factor.id, result.scope) == (factor, scope)


def test_a_name_in_two_groups_with_factors_is_refused_as_ambiguous(scoped_table: FactorTable) -> None:
    with pytest.raises(BadInput) as raised:
        scoped_table.convert(1, "unit", "Mushrooms (hallucinogenic)")
    assert "mushroom-hallucinogens" in raised.value.message and "mushroom-nps" in raised.value.message


@pytest.mark.parametrize(
    ("quantity", "unit", "drug", "year", "named"),
    [
        (1, "furlong", "Heroin", None, "furlong"),
        (1, "blotter", "LSD", None, "LSD"),
        (1, "tablet", "Diazepam", None, "Diazepam"),
        (1, "dose", "Heroin", None, "Heroin"),
        (-1, "kg", "Heroin", None, "-1"),
        (-0.001, "g", "Heroin", None, "-0.001"),
        (math.nan, "kg", "Heroin", None, "nan"),
        (math.inf, "kg", "Heroin", None, "inf"),
        (True, "kg", "Heroin", None, "True"),
        ("12", "kg", "Heroin", None, "'12'"),
        (1, "kg", "", None, "''"),
        (1, "kg", "Heroin", "2020", "'2020'"),
        (1, "kg", "Heroin", True, "True"),
        (1e308, "t", "Heroin", None, "1e+308"),
    ],
)
def test_refusals_name_the_value(quantity: object, unit: str, drug: str, year: object, named: str) -> None:
    with pytest.raises(BadInput) as raised:
        convert(quantity, unit, drug, year=year)  # type: ignore[arg-type]
    assert named in raised.value.message
    assert raised.value.details


def test_no_factor_says_which_factors_exist() -> None:
    with pytest.raises(BadInput) as raised:
        convert(5, "tablet", "Diazepam", region="Europe")
    detail = raised.value.details[0]
    assert detail["value"] == "Diazepam" and detail["unit"] == "tablet" and detail["region"] == "Europe"
    assert any("tablet-ecstasy-type" in accepted for accepted in detail["accepted"])


BAD_ROWS = [
    ("abc,tablet,,,,,abc,,,false,,,test,", "value"),
    ("abc,tablet,,,,,-1,,,false,,,test,", "value"),
    ("abc,tablet,,,,,0,,,false,,,test,", "value"),
    ("abc,ml,,,,,1,,,true,,,test,", "unit"),
    ("abc,furlong,,,,,1,,,true,,,test,", "unit"),
    ("abc,tablet,MDMA,“Ecstasy”-type substances,,,1,,,false,,,test,", "drug_group"),
    ("abc,tablet,,Ecstasy type,,,1,,,false,,,test,", "drug_group"),
    ("abc,tablet,,,Asia,,1,,,false,,,test,", "region"),
    ("abc,tablet,MDMA,,,,1,2020,2010,false,,,test,", "valid_to"),
    ("abc,tablet,MDMA,,,,1,2020.5,,false,,,test,", "valid_from"),
    ("abc,tablet,MDMA,,,,1,,,yes,,,test,", "confirmed"),
    ("abc,tablet,MDMA,,,,0.0005,,,false,0.00009,0.0003,test,", "value"),
    ("abc,tablet,MDMA,,,,0.0001,,,false,0.00009,,test,", "value"),
    ("abc,tablet,MDMA,,,,0.0001,,,false,,,,", "source"),
    (",tablet,MDMA,,,,0.0001,,,false,,,test,", "id"),
    ("kg,tablet,MDMA,,,,0.0001,,,false,,,test,", "id"),
    ("kg-again,kg,,,,,2,,,false,,,test,", "id"),
]


@pytest.mark.parametrize(("line", "column"), BAD_ROWS)
def test_a_bad_factor_row_fails_the_load_naming_file_row_column_value(tmp_path: Path, line: str, column: str) -> None:
    path = tmp_path / "factors.csv"
    path.write_text(f"{HEADER}\nkg,kg,,,,,1,,,true,,,test,\n{line}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as raised:
        load_factors(path)
    detail = raised.value.details[0]
    assert (detail["file"], detail["row"], detail["column"]) == (str(path), 3, column)
    assert "value" in detail


def test_a_factor_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "factors.csv"
    path.write_text("id,unit,value\nkg,kg,1\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as raised:
        load_factors(path)
    assert raised.value.details[0]["row"] == 1


def test_a_missing_factor_file_is_a_source_file_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError):
        load_factors(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("country", "year", "heroin_kg", "ratio"),
    [
        ("AFG", 2013, 30_000 / 7, "opium-heroin-afghanistan-pre-2014"),
        ("afg", 1999, 30_000 / 7, "opium-heroin-afghanistan-pre-2014"),
        ("MMR", 2020, 3_000.0, "opium-heroin-myanmar"),
        ("MMR", None, 3_000.0, "opium-heroin-myanmar"),
        ("AFG", 2014, None, None),
        ("AFG", None, None, None),
        ("MEX", 2020, None, None),
    ],
)
def test_opium_to_heroin_ratios_by_country_and_year(
    country: str, year: int | None, heroin_kg: float | None, ratio: str | None
) -> None:
    if heroin_kg is None:
        with pytest.raises(BadInput) as raised:
            heroin_from_opium(30_000, country, year)
        assert repr(country) in raised.value.message
        return
    estimate = heroin_from_opium(30_000, country, year)
    assert estimate.heroin_kg == pytest.approx(heroin_kg)
    assert (estimate.ratio.id, estimate.confirmed) == (ratio, False)
    assert [flag.factor_id for flag in estimate.flags] == [ratio]


def test_all_shipped_ratios_are_unconfirmed_defaults_from_methods() -> None:
    assert {(r.country, r.opium_kg_per_heroin_kg, r.confirmed) for r in opium_heroin_ratios()} == {
        ("AFG", 7.0, False),
        ("MMR", 10.0, False),
    }


@pytest.mark.parametrize("fields", [[(-1, 30)], [(1000, math.nan)], [(1000, -30)]])
def test_potential_production_refuses_negative_or_non_finite_inputs(fields: list[tuple[float, float]]) -> None:
    with pytest.raises(BadInput):
        potential_production(fields)


MASS_UNITS = [known.code for known in units_of_kind(UnitKind.MASS)]
QUANTITIES = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(st.sampled_from(MASS_UNITS), QUANTITIES, QUANTITIES, st.floats(min_value=0, max_value=1e3))
def test_mass_units_convert_linearly(unit: str, first: float, second: float, scale: float) -> None:
    def kg(quantity: float) -> float:
        return convert(quantity, unit, "Heroin").kilograms

    assert kg(first + second) == pytest.approx(kg(first) + kg(second), rel=1e-12, abs=1e-300)
    assert kg(scale * first) == pytest.approx(scale * kg(first), rel=1e-12, abs=1e-300)


@given(QUANTITIES)
def test_mass_units_agree_with_each_other(grams: float) -> None:
    assert convert(grams, "g", "Heroin").kilograms == pytest.approx(convert(grams / 1000, "kg", "Heroin").kilograms)
    assert convert(grams, "g", "Heroin").kilograms == pytest.approx(convert(grams * 1000, "mg", "Heroin").kilograms)


CONVERTIBLE = [
    (unit.code, factor.drug or factor.drug_group or "Any drug")
    for factor in default_factors().factors
    for unit in (*units_of_kind(UnitKind.MASS), *units_of_kind(UnitKind.VOLUME), *units_of_kind(UnitKind.COUNT))
    if unit.base == factor.unit
]


@pytest.mark.parametrize(("unit", "drug"), CONVERTIBLE)
def test_converting_zero_gives_zero(unit: str, drug: str) -> None:
    assert convert(0, unit, drug).kilograms == 0.0
    assert math.copysign(1, convert(-0.0, unit, drug).kilograms) == 1


@given(st.sampled_from(CONVERTIBLE), QUANTITIES, st.none() | st.integers(min_value=1900, max_value=2100))
def test_results_are_finite_non_negative_and_flagged_when_unconfirmed(
    unit_and_drug: tuple[str, str], quantity: float, year: int | None
) -> None:
    result = convert(quantity, *unit_and_drug, year=year)
    assert math.isfinite(result.kilograms) and result.kilograms >= 0
    assert result.confirmed is result.factor.confirmed
    assert [flag.factor_id for flag in result.flags] == ([] if result.confirmed else [result.factor.id])


def test_the_default_table_is_the_shipped_file() -> None:
    assert default_factors() == load_factors(FACTORS_FILE)
    assert default_factors().drugs == wdr_drug_names()
