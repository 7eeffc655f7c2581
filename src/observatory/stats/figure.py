"""A published number with its interval, method, inputs, constants and flags: what every statistic returns.

A constant or method that METHODS.md marks [U] is carried with ``confirmed=False``; a figure that used one gets
the matching flag (``unconfirmed-constant``, ``unconfirmed-method``) whether or not the caller asked for it.
A figure is never NaN or infinite, and its interval, when it has one, contains the value.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

import pyarrow as pa

from observatory.errors import BadInput


class FlagCode(StrEnum):
    IMPUTED = "imputed"
    UNCONFIRMED_CONSTANT = "unconfirmed-constant"
    UNCONFIRMED_METHOD = "unconfirmed-method"
    BELOW_THRESHOLD = "below-threshold"
    RANGE_MISSING = "range-missing"
    INTERVAL_TRUNCATED = "interval-truncated"
    DEGENERATE_VARIANCE = "degenerate-variance"
    MODEL_EXCLUDED = "model-excluded"
    MISSING_YEARS = "missing-years"
    ABOVE_FULL_COVERAGE = "above-full-coverage"
    UNCONVERTED = "unconverted"
    TOTAL_DIFFERS = "total-differs"


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: str


@dataclass(frozen=True, slots=True)
class Constant:
    """A number (or, for a convention such as a boundary rule, a word) that a result depends on."""

    id: str
    value: float | str
    source: str
    confirmed: bool

    def __post_init__(self) -> None:
        word = isinstance(self.value, str) and self.value.strip() != ""
        number = isinstance(self.value, int | float) and not isinstance(self.value, bool) and math.isfinite(self.value)
        if not (word or number):
            raise BadInput(f"constant {self.id!r} must be a finite number or a word, not {self.value!r}")

    @property
    def number(self) -> float:
        if isinstance(self.value, str):
            raise BadInput(f"constant {self.id!r} is the word {self.value!r}, not a number")
        return float(self.value)


@dataclass(frozen=True, slots=True)
class Method:
    id: str
    description: str
    confirmed: bool = True
    source: str = ""


@dataclass(frozen=True, slots=True)
class InputRef:
    """An input dataset or estimate the figure was computed from, with its vintage when known."""

    id: str
    vintage: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    value: float
    unit: str
    method: Method
    low: float | None = None
    high: float | None = None
    category: str | None = None
    inputs: tuple[InputRef, ...] = ()
    constants: tuple[Constant, ...] = ()
    flags: tuple[Flag, ...] = ()
    #: What the figure is about, as (name, value) pairs: ``(("level", "region"), ("area", "Africa"))``.
    dimensions: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _check_number("value", self.value, self.method.id)
        if (self.low is None) != (self.high is None):
            raise BadInput(
                f"{self.method.id}: give both ends of the interval or neither (low {self.low}, high {self.high})"
            )
        if self.low is not None and self.high is not None:
            _check_number("low", self.low, self.method.id)
            _check_number("high", self.high, self.method.id)
            if not self.low <= self.value <= self.high:
                raise BadInput(
                    f"{self.method.id}: the interval {self.low}–{self.high} does not contain the value {self.value}",
                    [{"field": "interval", "value": [self.low, self.value, self.high]}],
                )
        names = [name for name, _ in self.dimensions]
        if len(set(names)) != len(names):
            raise BadInput(f"{self.method.id}: dimension names repeat: {names}")
        object.__setattr__(self, "inputs", tuple(dict.fromkeys(self.inputs)))
        object.__setattr__(self, "constants", tuple(dict.fromkeys(self.constants)))
        object.__setattr__(self, "flags", tuple(dict.fromkeys((*self.flags, *self._unconfirmed()))))

    def _unconfirmed(self) -> list[Flag]:
        flags = Figure._unconfirmed_constants(self.constants)
        if not self.method.confirmed:
            source = f" ({self.method.source})" if self.method.source else ""
            flags.append(Flag(FlagCode.UNCONFIRMED_METHOD, f"method {self.method.id!r}{source} is unconfirmed"))
        return flags

    @staticmethod
    def _unconfirmed_constants(constants: Iterable[Constant]) -> list[Flag]:
        return [
            Flag(FlagCode.UNCONFIRMED_CONSTANT, f"constant {c.id!r} = {c.value!r} ({c.source}) is unconfirmed")
            for c in constants
            if not c.confirmed
        ]

    @property
    def flag_codes(self) -> frozenset[FlagCode]:
        return frozenset(flag.code for flag in self.flags)

    def labelled(self, **dimensions: str) -> "Figure":
        """This figure with ``dimensions`` added (or replaced)."""
        merged = {**dict(self.dimensions), **dimensions}
        return self._derived(dimensions=tuple(merged.items()))

    def citing(self, *inputs: InputRef) -> "Figure":
        return self._derived(inputs=tuple(dict.fromkeys((*self.inputs, *inputs))))

    def depending_on(self, *constants: Constant) -> "Figure":
        """This figure with ``constants`` added, flagged when unconfirmed."""
        return self._derived(
            constants=tuple(dict.fromkeys((*self.constants, *constants))),
            flags=tuple(dict.fromkeys((*self.flags, *Figure._unconfirmed_constants(constants)))),
        )

    def _derived(self, **changes: Any) -> "Figure":
        """A copy with ``changes`` to its labels, inputs, constants or flags, already in their checked form: the
        numbers were checked when this figure was made, so they are not checked again."""
        copy = object.__new__(type(self))
        for name in _FIELDS:
            object.__setattr__(copy, name, changes[name] if name in changes else getattr(self, name))
        return copy


_FIELDS = tuple(field.name for field in fields(Figure))


def _check_number(name: str, value: float, method: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput(f"{method}: the {name} of a figure must be a finite number, not {value!r}", [{"field": name}])


FLAG_TYPE = pa.struct([("code", pa.string()), ("message", pa.string())])
CONSTANT_TYPE = pa.struct(
    [
        ("id", pa.string()),
        ("value", pa.float64()),
        ("word", pa.string()),
        ("source", pa.string()),
        ("confirmed", pa.bool_()),
    ]
)
INPUT_TYPE = pa.struct([("id", pa.string()), ("vintage", pa.string())])
FIGURE_COLUMNS = (
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("unit", pa.string()),
    ("category", pa.string()),
    ("method", pa.string()),
    ("method_description", pa.string()),
    ("method_confirmed", pa.bool_()),
    ("flags", pa.list_(FLAG_TYPE)),
    ("constants", pa.list_(CONSTANT_TYPE)),
    ("inputs", pa.list_(INPUT_TYPE)),
)


def to_arrow(figures: Iterable[Figure]) -> pa.Table:
    """One row per figure: a string column per dimension name (null where a figure lacks it), then the figure."""
    done = list(figures)
    names = list(dict.fromkeys(name for figure in done for name, _ in figure.dimensions))
    columns: dict[str, pa.Array] = {
        name: pa.array([dict(f.dimensions).get(name) for f in done], pa.string()) for name in names
    }
    rows = [_row(figure) for figure in done]
    for name, kind in FIGURE_COLUMNS:
        if name in columns:
            raise BadInput(f"dimension {name!r} has the name of a figure column; rename it")
        columns[name] = pa.array([row[name] for row in rows], kind)
    return pa.table(columns)


def _row(figure: Figure) -> dict[str, Any]:
    return {
        "value": figure.value,
        "low": figure.low,
        "high": figure.high,
        "unit": figure.unit,
        "category": figure.category,
        "method": figure.method.id,
        "method_description": figure.method.description,
        "method_confirmed": figure.method.confirmed,
        "flags": [{"code": str(flag.code), "message": flag.message} for flag in figure.flags],
        "constants": [
            {
                "id": c.id,
                "value": None if isinstance(c.value, str) else float(c.value),
                "word": c.value if isinstance(c.value, str) else None,
                "source": c.source,
                "confirmed": c.confirmed,
            }
            for c in figure.constants
        ],
        "inputs": [{"id": i.id, "vintage": i.vintage} for i in figure.inputs],
    }
