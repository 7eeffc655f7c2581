"""Typing a cell under its field: each value is a number, a true zero, missing with a reason, or not applicable."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.reporting.declaration import Field, ValueType
from observatory.reporting.validation.cells import Invalid, parse_number, typed
from observatory.reporting.values import (
    Meaning,
    Missing,
    MissingReason,
    NotApplicable,
    Observed,
    Period,
    Value,
    Zero,
    is_reported,
    number,
    value_json,
)
from observatory.reporting.workbook import Cell

MARKERS = {
    "": Meaning.NOT_AVAILABLE,
    "..": Meaning.NOT_AVAILABLE,
    "n.a.": Meaning.NOT_AVAILABLE,
    "-": Meaning.NOT_APPLICABLE,
    "c": Meaning.CONFIDENTIAL,
    "x": Meaning.NOT_COLLECTED,
}
LEVELS = ("Large decrease (>10%)", "Stable situation (+-5%)", "Large increase (>10%)")


def field(kind: ValueType, **extra: object) -> Field:
    return Field.model_validate({"id": "f", "title": "F", "type": kind, **extra})


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        (ValueType.NUMBER, 12.5, Observed(12.5)),
        (ValueType.NUMBER, 0.0, Zero(0.0)),
        (ValueType.NUMBER, "0", Zero(0.0)),
        (ValueType.NUMBER, "52,404", Observed(52404.0)),
        (ValueType.NUMBER, " 1.5e3 ", Observed(1500.0)),
        (ValueType.NUMBER, None, Missing(MissingReason.NOT_AVAILABLE)),
        (ValueType.NUMBER, "\u00a0", Missing(MissingReason.NOT_AVAILABLE, "\u00a0")),
        (ValueType.NUMBER, "..", Missing(MissingReason.NOT_AVAILABLE, "..")),
        (ValueType.NUMBER, "N.A.", Missing(MissingReason.NOT_AVAILABLE, "N.A.")),
        (ValueType.NUMBER, "c", Missing(MissingReason.CONFIDENTIAL, "c")),
        (ValueType.NUMBER, "x", Missing(MissingReason.NOT_COLLECTED, "x")),
        (ValueType.NUMBER, "-", NotApplicable("-")),
        (ValueType.NUMBER, "about 3", "not-a-number"),
        (ValueType.NUMBER, True, "not-a-number"),
        (ValueType.NUMBER, "1,23", "not-a-number"),
        (ValueType.INTEGER, 2022.0, Observed(2022)),
        (ValueType.INTEGER, "1,387", Observed(1387)),
        (ValueType.INTEGER, 0, Zero(0)),
        (ValueType.INTEGER, 2.5, "not-an-integer"),
        (ValueType.YEAR, 2023.0, Observed(Period(2023, 2023, "2023"))),
        (ValueType.YEAR, "2022/23", Observed(Period(2022, 2023, "2022/23"))),
        (ValueType.YEAR, "2010-11", Observed(Period(2010, 2011, "2010-11"))),
        (ValueType.YEAR, "2019-2021", Observed(Period(2019, 2021, "2019-2021"))),
        (ValueType.YEAR, date(2010, 6, 30), Observed(Period(2010, 2010, "2010"))),
        (ValueType.YEAR, "2002-04, 2001", Observed(Period(2001, 2004, "2002-04, 2001"))),
        (ValueType.YEAR, "1850", "not-a-year"),
        (ValueType.YEAR, "2023/21", "not-a-year"),
        (ValueType.YEAR, "last year", "not-a-year"),
        (ValueType.DATE, "2023-04-30", Observed(date(2023, 4, 30))),
        (ValueType.DATE, datetime(2023, 4, 30), Observed(date(2023, 4, 30))),
        (ValueType.DATE, "30/04/2023", "not-a-date"),
        (ValueType.TEXT, "  ARQ ", Observed("ARQ")),
        (ValueType.TEXT, 2022.0, Observed("2022")),
        (ValueType.TEXT, "Coc\x00aine", "control-character"),
    ],
)
def test_cells_become_typed_values(kind: ValueType, cell: Cell, expected: Value | str) -> None:
    value = typed(field(kind), cell, MARKERS)
    if isinstance(expected, str):
        assert isinstance(value, Invalid) and value.code == expected
    else:
        assert value == expected and type(value) is type(expected)


def test_ordinal_levels_are_closed_and_suggest_the_closest() -> None:
    trend = field(ValueType.ORDINAL, levels=LEVELS)
    assert typed(trend, "Stable  situation (+-5%)", MARKERS) == Observed("Stable situation (+-5%)")
    invalid = typed(trend, "Large increase", MARKERS)
    assert isinstance(invalid, Invalid) and invalid.code == "unknown-level"
    assert invalid.suggestions[0] == "Large increase (>10%)"


def test_decimal_comma() -> None:
    amount = field(ValueType.NUMBER)
    assert typed(amount, "1,5", MARKERS, decimal=",") == Observed(1.5)
    assert typed(amount, "1.234,5", MARKERS, decimal=",") == Observed(1234.5)
    assert parse_number("1 234,5", ",") == 1234.5 and parse_number("12,5") is None


def test_states_are_never_conflated() -> None:
    states: list[Value] = [
        Observed(3.0),
        Zero(0),
        Missing(MissingReason.NOT_AVAILABLE),
        Missing(MissingReason.CONFIDENTIAL),
        NotApplicable(),
    ]
    assert len(set(states)) == len(states)
    assert [number(state) for state in states] == [3.0, 0.0, None, None, None]
    assert [is_reported(state) for state in states] == [True, True, False, False, False]
    assert [value_json(state)["state"] for state in states] == ["value", "zero", "missing", "missing", "not-applicable"]
    assert value_json(Missing(MissingReason.CONFIDENTIAL, "c")) == {
        "state": "missing",
        "reason": "confidential",
        "marker": "c",
    }
    assert value_json(Observed(Period(2022, 2023, "2022/23"))) == {
        "state": "value",
        "value": "2022/23",
        "start": 2022,
        "end": 2023,
    }


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends"):
        Period(2023, 2021, "2023-21")


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["..", "-", "n.a.", "2022/23", "1,387", "\u00a0", "0", "1e309"]),
)


@given(kind=st.sampled_from(list(ValueType)), cell=CELLS)
def test_any_cell_is_a_value_or_a_reason_never_an_exception(kind: ValueType, cell: Cell) -> None:
    value = typed(field(kind, levels=LEVELS) if kind is ValueType.ORDINAL else field(kind), cell, MARKERS)
    assert isinstance(value, Observed | Zero | Missing | NotApplicable | Invalid)
    if isinstance(value, Zero | Observed) and kind in (ValueType.NUMBER, ValueType.INTEGER):
        amount = number(value)
        assert amount is not None and amount == amount and abs(amount) != float("inf")
        assert (amount == 0) == isinstance(value, Zero)


@given(amount=st.floats(allow_nan=False, allow_infinity=False))
def test_any_number_round_trips_from_its_text(amount: float) -> None:
    value = typed(field(ValueType.NUMBER), repr(amount), MARKERS)
    assert number(value) == amount  # type: ignore[arg-type]
