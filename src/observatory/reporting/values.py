"""The states a reported value can be in, never conflated: a value, a true zero, missing (with why), not applicable.

A blank cell is not a zero and a zero is not a blank. Sources spell "missing" in many ways (a blank, "-", "n.a.",
".."); each declaration says what each spelling means, and the spelling is kept as ``marker`` so that a value
can be traced back to the cell it came from.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar


class MissingReason(StrEnum):
    NOT_COLLECTED = "not-collected"
    NOT_AVAILABLE = "not-available"
    CONFIDENTIAL = "confidential"


class Meaning(StrEnum):
    """What a spelling of "no value" in a source means; declarations map each spelling to one of these."""

    NOT_COLLECTED = "not-collected"
    NOT_AVAILABLE = "not-available"
    CONFIDENTIAL = "confidential"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True)
class Period:
    """A reference year, or a span of years written as the source writes it ("2022/23", "2010-11", "2019-2021")."""

    start: int
    end: int
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period {self.label!r} ends ({self.end}) before it starts ({self.start})")


Scalar = float | int | str | date | Period


@dataclass(frozen=True, slots=True)
class Observed:
    """A reported number (other than zero), text, ordinal level, date or period."""

    value: Scalar
    state: ClassVar[str] = "value"


@dataclass(frozen=True, slots=True)
class Zero:
    """A reported zero: the quantity was measured and there was none. ``value`` keeps the source's 0 or 0.0."""

    value: int | float = 0
    state: ClassVar[str] = "zero"


@dataclass(frozen=True, slots=True)
class Missing:
    reason: MissingReason
    marker: str = ""
    state: ClassVar[str] = "missing"


@dataclass(frozen=True, slots=True)
class NotApplicable:
    marker: str = ""
    state: ClassVar[str] = "not-applicable"


Value = Observed | Zero | Missing | NotApplicable


def marked(meaning: Meaning, marker: str) -> Missing | NotApplicable:
    """The value a source's spelling of "no value" stands for."""
    if meaning is Meaning.NOT_APPLICABLE:
        return NotApplicable(marker)
    return Missing(MissingReason(meaning.value), marker)


def number(value: Value) -> float | None:
    """The value as a number if it is one (a true zero included), else ``None``."""
    if isinstance(value, Zero):
        return float(value.value)
    if isinstance(value, Observed) and isinstance(value.value, int | float) and not isinstance(value.value, bool):
        return float(value.value)
    return None


def is_reported(value: Value) -> bool:
    """Whether the source gave a value (a zero included), as opposed to a spelling of "no value"."""
    return isinstance(value, Observed | Zero)


def value_json(value: Value) -> dict[str, Any]:
    """``{"state": ..., "value"|"reason"|"marker": ...}``, the value's JSON form."""
    match value:
        case Observed(value=Period() as period):
            return {"state": value.state, "value": period.label, "start": period.start, "end": period.end}
        case Observed(value=date() as day):
            return {"state": value.state, "value": day.isoformat()}
        case Observed() | Zero():
            return {"state": value.state, "value": value.value}
        case Missing():
            return {"state": value.state, "reason": value.reason.value, "marker": value.marker}
        case NotApplicable():
            return {"state": value.state, "marker": value.marker}
