"""Units of reported quantities: names, kinds, conversion to the base unit of each kind."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from observatory.errors import BadInput
from observatory.reference.units import Unit, UnitKind, unit, units, units_of_kind

SHARED = Path(__file__).resolve().parents[3] / "shared"
PRICES = SHARED / "data" / "unodc_prices" / "wdr2025_8.1_prices_and_purities.xlsx"
# Labels in the WDR 8.1 "Unit" column that are packagings or local measures, not units of quantity.
NOT_UNITS = {"", "...", "Libra (Dominican Rep)", "Rock", "Cigarette", "Mark", "Plasters", "Packet"}


@pytest.mark.parametrize(
    ("name", "code", "kind", "base", "to_base"),
    [
        ("kg", "kg", UnitKind.MASS, "kg", 1.0),
        ("Kilograms", "kg", UnitKind.MASS, "kg", 1.0),
        ("g", "g", UnitKind.MASS, "kg", 0.001),
        ("Grams", "g", UnitKind.MASS, "kg", 0.001),
        ("mg", "mg", UnitKind.MASS, "kg", 1e-6),
        ("µg", "ug", UnitKind.MASS, "kg", 1e-9),
        ("mcg", "ug", UnitKind.MASS, "kg", 1e-9),
        ("t", "t", UnitKind.MASS, "kg", 1000.0),
        ("tonnes", "t", UnitKind.MASS, "kg", 1000.0),
        ("Pounds", "lb", UnitKind.MASS, "kg", 0.45359237),
        ("Ounce", "oz", UnitKind.MASS, "kg", 0.028349523125),
        ("l", "l", UnitKind.VOLUME, "l", 1.0),
        ("Litres", "l", UnitKind.VOLUME, "l", 1.0),
        ("ml", "ml", UnitKind.VOLUME, "l", 0.001),
        ("Millilitres", "ml", UnitKind.VOLUME, "l", 0.001),
        ("Tablets", "tablet", UnitKind.COUNT, "tablet", 1.0),
        ("pill", "tablet", UnitKind.COUNT, "tablet", 1.0),
        ("Units", "unit", UnitKind.COUNT, "unit", 1.0),
        ("Dose", "dose", UnitKind.COUNT, "dose", 1.0),
        ("Trip", "dose", UnitKind.COUNT, "dose", 1.0),
        ("Blotting paper", "blotter", UnitKind.COUNT, "blotter", 1.0),
        ("Stamp", "blotter", UnitKind.COUNT, "blotter", 1.0),
        ("plants", "plant", UnitKind.COUNT, "plant", 1.0),
        ("Ampoules", "ampoule", UnitKind.COUNT, "ampoule", 1.0),
        ("bottles", "bottle", UnitKind.COUNT, "bottle", 1.0),
        ("Capsule", "capsule", UnitKind.COUNT, "capsule", 1.0),
        ("kilo grams", None, None, None, None),
    ],
)
def test_unit_names(name: str, code: str | None, kind: UnitKind, base: str, to_base: float) -> None:
    if code is None:
        with pytest.raises(BadInput):
            unit(name)
        return
    found = unit(name)
    assert (found.code, found.kind, found.base) == (code, kind, base)
    assert found.to_base == pytest.approx(to_base)


def test_every_kind_has_units_and_every_base_is_a_unit_of_that_kind() -> None:
    for kind in UnitKind:
        assert units_of_kind(kind)
    for known in units():
        assert unit(known.base).kind is known.kind
        assert unit(known.base).base == known.base


def test_every_alias_names_its_own_unit() -> None:
    for known in units():
        for name in (known.code, known.label, *known.aliases):
            assert unit(name) is known
            assert unit(name.upper()) is known


@pytest.mark.parametrize(
    ("name", "candidate"),
    [("tablts", "tablet"), ("kilogramme", "kg"), ("litter", "l"), ("plnat", "plant"), ("blotter paper", "blotter")],
)
def test_unknown_unit_names_the_value_and_what_is_accepted(name: str, candidate: str) -> None:
    with pytest.raises(BadInput) as raised:
        unit(name)
    detail = raised.value.details[0]
    assert detail["value"] == name
    assert repr(name) in raised.value.message
    assert "kg" in detail["accepted"] and "blotter" in detail["accepted"]
    assert candidate in detail["candidates"]


@pytest.mark.parametrize("name", [None, 3, b"kg", ""])
def test_non_names_are_refused(name: object) -> None:
    with pytest.raises(BadInput):
        unit(name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("to_base", "kind", "base"),
    [
        (0.0, UnitKind.MASS, "kg"),
        (-1.0, UnitKind.MASS, "kg"),
        (float("nan"), UnitKind.VOLUME, "l"),
        (2.0, UnitKind.COUNT, "x"),
    ],
)
def test_a_unit_must_convert_sensibly(to_base: float, kind: UnitKind, base: str) -> None:
    with pytest.raises(ValueError):
        Unit("x", "x", kind, base, to_base, (), "test")


def test_every_unit_label_in_the_wdr_price_table_is_known() -> None:
    """The WDR 2025 annex 8.1 prices name their units in words ('Grams', '1000 tablets', 'Blotting paper')."""
    rows = CalamineWorkbook.from_path(PRICES).get_sheet_by_name("Prices in USD").to_python()
    column = rows[0].index("Unit")
    labels = {str(row[column]).strip() for row in rows[1:]} - NOT_UNITS
    assert len(labels) > 20
    for label in labels:
        unit(re.sub(r"^\d+\s+", "", label))


@given(st.sampled_from([u.code for u in units()]), st.text(alphabet=" \u00a0\t", max_size=3))
def test_names_ignore_case_and_surrounding_space(code: str, padding: str) -> None:
    assert unit(f"{padding}{code.upper()}{padding}").code == code
