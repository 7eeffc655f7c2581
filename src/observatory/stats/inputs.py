"""Checks on the numbers callers pass in: each returns the number as a float or raises ``BadInput`` naming it."""

import math
from collections.abc import Callable

from observatory.errors import BadInput


def _checked(name: str, value: object, accepted: str, ok: Callable[[float], bool]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not ok(value):
        raise BadInput(
            f"{name} must be {accepted}, not {value!r}",
            [{"field": name, "value": repr(value), "accepted": accepted}],
        )
    return float(value)


def finite(name: str, value: object) -> float:
    return _checked(name, value, "a finite number", lambda _: True)


def non_negative(name: str, value: object) -> float:
    return _checked(name, value, "a finite number ≥ 0", lambda v: v >= 0)


def positive(name: str, value: object) -> float:
    return _checked(name, value, "a finite number > 0", lambda v: v > 0)


def proportion(name: str, value: object) -> float:
    return _checked(name, value, "a proportion in [0, 1]", lambda v: 0 <= v <= 1)


def confidence_level(value: object) -> float:
    return _checked("confidence", value, "a level strictly between 0 and 1 (e.g. 0.95)", lambda v: 0 < v < 1)


def count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadInput(
            f"{name} must be a whole number ≥ 0, not {value!r}",
            [{"field": name, "value": repr(value), "accepted": "a whole number ≥ 0"}],
        )
    return value


def computed(name: str, value: float) -> float:
    """A result that overflowed (inputs too large) is refused rather than returned as infinity or NaN."""
    if not math.isfinite(value):
        raise BadInput(f"{name} is not a finite number ({value}); the inputs are too large or degenerate")
    return value
