"""A best value with its low and high (or minimum and maximum, typical with extremes) as an input triple."""

from dataclasses import dataclass

from observatory.errors import BadInput
from observatory.stats.inputs import finite


@dataclass(frozen=True, slots=True)
class Range:
    best: float
    low: float
    high: float

    def __post_init__(self) -> None:
        values = [finite(name, getattr(self, name)) for name in ("low", "best", "high")]
        if not values[0] <= values[1] <= values[2]:
            raise BadInput(
                f"a range needs low ≤ best ≤ high, not {self.low} ≤ {self.best} ≤ {self.high}",
                [{"field": "range", "value": [self.low, self.best, self.high]}],
            )

    @classmethod
    def point(cls, value: float) -> "Range":
        return cls(value, value, value)

    def at_least(self, name: str, minimum: float, *, strict: bool = False) -> "Range":
        """This range, after checking every end is ≥ ``minimum`` (``strict``: > ``minimum``)."""
        if self.low < minimum or (strict and self.low == minimum):
            relation = ">" if strict else "≥"
            raise BadInput(
                f"{name} must be {relation} {minimum:g} at every end of its range, not low = {self.low}",
                [{"field": name, "value": [self.low, self.best, self.high], "accepted": f"{relation} {minimum:g}"}],
            )
        return self
