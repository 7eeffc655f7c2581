"""Figures: never NaN or infinite, intervals contain the value, unconfirmed constants always flagged; Arrow rows."""

import math

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.figure import Constant, Figure, Flag, FlagCode, InputRef, Method, to_arrow

METHOD = Method("test/method", "a method for tests")
GUESS = Constant("guess", 7.0, "METHODS.md [U]", False)
KNOWN = Constant("known", 200.0, "METHODS.md [C]", True)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"value": math.nan}, "value"),
        ({"value": math.inf}, "value"),
        ({"value": 1.0, "low": -math.inf, "high": 2.0}, "low"),
        ({"value": 1.0, "low": 0.0, "high": math.nan}, "high"),
        ({"value": 1.0, "low": 0.0}, "both ends"),
        ({"value": 3.0, "low": 0.0, "high": 2.0}, "does not contain"),
        ({"value": True}, "value"),
        ({"value": 1.0, "dimensions": (("area", "A"), ("area", "B"))}, "repeat"),
    ],
)
def test_a_figure_refuses(fields: dict[str, object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        Figure(unit="u", method=METHOD, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [math.nan, math.inf, True, "", None])
def test_a_constant_must_be_a_finite_number_or_a_word(value: object) -> None:
    with pytest.raises(BadInput, match="guess"):
        Constant("guess", value, "s", False)  # type: ignore[arg-type]


def test_a_word_constant_is_not_a_number() -> None:
    with pytest.raises(BadInput, match="word"):
        _ = Constant("rule", "lower-inclusive", "s", False).number


@pytest.mark.parametrize(
    ("constants", "method", "expected"),
    [
        ((), METHOD, set()),
        ((KNOWN,), METHOD, set()),
        ((GUESS,), METHOD, {FlagCode.UNCONFIRMED_CONSTANT}),
        (
            (KNOWN, GUESS),
            Method("m", "d", confirmed=False),
            {FlagCode.UNCONFIRMED_CONSTANT, FlagCode.UNCONFIRMED_METHOD},
        ),
    ],
)
def test_unconfirmed_inputs_are_flagged_without_being_asked(
    constants: tuple[Constant, ...], method: Method, expected: set[FlagCode]
) -> None:
    figure = Figure(value=1.0, unit="u", method=method, constants=constants)
    assert figure.flag_codes == expected


def test_flags_constants_and_inputs_are_not_repeated() -> None:
    flag = Flag(FlagCode.IMPUTED, "imputed")
    figure = Figure(
        value=1.0, unit="u", method=METHOD, constants=(GUESS, GUESS), flags=(flag, flag), inputs=(InputRef("a"),) * 2
    )
    assert (len(figure.constants), len(figure.inputs)) == (1, 1)
    assert [f.code for f in figure.flags] == [FlagCode.IMPUTED, FlagCode.UNCONFIRMED_CONSTANT]
    assert figure.labelled(area="X").flags == figure.flags


def test_labelled_and_citing_return_new_figures() -> None:
    figure = Figure(value=1.0, unit="u", method=METHOD).labelled(level="country", area="KEN")
    assert figure.labelled(area="UGA").dimensions == (("level", "country"), ("area", "UGA"))
    assert figure.citing(InputRef("arq", "2024")).inputs == (InputRef("arq", "2024"),)


@pytest.mark.parametrize(
    ("constants", "method", "added"),
    [
        ((GUESS,), METHOD, [FlagCode.UNCONFIRMED_CONSTANT]),
        ((KNOWN,), METHOD, []),
        ((GUESS,), Method("m", "d", confirmed=False), [FlagCode.UNCONFIRMED_METHOD, FlagCode.UNCONFIRMED_CONSTANT]),
        ((GUESS, GUESS), METHOD, [FlagCode.UNCONFIRMED_CONSTANT]),
    ],
)
def test_depending_on_a_constant_adds_it_and_its_flag_after_those_already_there(
    constants: tuple[Constant, ...], method: Method, added: list[FlagCode]
) -> None:
    figure = Figure(value=1.0, low=0.5, high=2.0, unit="u", method=method).labelled(area="A")
    based = figure.depending_on(*constants)
    assert based.constants == tuple(dict.fromkeys(constants))
    assert [flag.code for flag in based.flags] == added
    assert based == Figure(
        value=1.0, low=0.5, high=2.0, unit="u", method=method, dimensions=(("area", "A"),)
    ).depending_on(*constants)
    assert (based.value, based.low, based.high, based.dimensions) == (1.0, 0.5, 2.0, (("area", "A"),))


def test_to_arrow_writes_one_row_per_figure_with_nested_provenance() -> None:
    figures = [
        Figure(value=2.0, low=1.0, high=3.0, unit="u", method=METHOD, constants=(GUESS,)).labelled(area="A"),
        Figure(value=5.0, unit="v", method=METHOD, category="high", inputs=(InputRef("wdr", "2025"),)).labelled(
            area="B", measure="users"
        ),
        Figure(value=0.0, unit="w", method=METHOD, constants=(Constant("rule", "lower-inclusive", "s", True),)),
    ]
    table = to_arrow(figures)
    assert table.column_names[:2] == ["area", "measure"]
    rows = table.to_pylist()
    assert [(r["area"], r["measure"], r["value"], r["low"]) for r in rows] == [
        ("A", None, 2.0, 1.0),
        ("B", "users", 5.0, None),
        (None, None, 0.0, None),
    ]
    assert rows[0]["constants"] == [
        {"id": "guess", "value": 7.0, "word": None, "source": "METHODS.md [U]", "confirmed": False}
    ]
    assert rows[0]["flags"][0]["code"] == "unconfirmed-constant"
    assert rows[1]["inputs"] == [{"id": "wdr", "vintage": "2025"}]
    assert rows[2]["constants"][0]["word"] == "lower-inclusive"
    assert table.schema.field("value").type == pa.float64()


def test_to_arrow_of_nothing_is_an_empty_table_and_figure_names_are_reserved() -> None:
    assert to_arrow([]).num_rows == 0
    with pytest.raises(BadInput, match="value"):
        to_arrow([Figure(value=1.0, unit="u", method=METHOD).labelled(value="x")])


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=1e100),
    st.floats(min_value=0, max_value=1e100),
)
def test_any_finite_interval_around_a_value_makes_a_figure(value: float, below: float, above: float) -> None:
    low, high = value - below, value + above
    if math.isfinite(low) and math.isfinite(high):
        figure = Figure(value=value, low=min(low, value), high=max(high, value), unit="u", method=METHOD)
        assert to_arrow([figure]).column("value").to_pylist() == [value]
