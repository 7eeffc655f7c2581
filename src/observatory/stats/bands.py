"""Named bands over a measure (coverage low/medium/high, adequacy categories) with a configurable boundary rule.

Whether a value equal to a cut belongs to the band above it (``lower-inclusive``: "<100 / 100–<200 / ≥200") or
below it (``upper-inclusive``) is itself a constant, so a figure records which rule classified it.
"""

from dataclasses import dataclass
from enum import StrEnum

from observatory.errors import BadInput
from observatory.stats.figure import Constant


class Boundary(StrEnum):
    LOWER_INCLUSIVE = "lower-inclusive"
    UPPER_INCLUSIVE = "upper-inclusive"


@dataclass(frozen=True, slots=True)
class Bands:
    """``labels[i]`` covers the values between ``cuts[i-1]`` and ``cuts[i]``; there is one more label than cuts."""

    cuts: tuple[Constant, ...]
    labels: tuple[str, ...]
    boundary: Constant

    def __post_init__(self) -> None:
        values = [cut.number for cut in self.cuts]
        if values != sorted(values) or len(set(values)) != len(values):
            raise BadInput(f"band cuts must increase strictly, not {values}")
        if len(self.labels) != len(self.cuts) + 1:
            raise BadInput(f"{len(self.cuts)} cuts need {len(self.cuts) + 1} labels, not {len(self.labels)}")
        if self.boundary.value not in tuple(Boundary):
            raise BadInput(
                f"boundary rule {self.boundary.value!r} is unknown; accepted: {', '.join(Boundary)}",
                [{"field": "boundary", "value": self.boundary.value, "accepted": list(Boundary)}],
            )

    def classify(self, value: float) -> str:
        lower_inclusive = self.boundary.value == Boundary.LOWER_INCLUSIVE
        for cut, label in zip(self.cuts, self.labels, strict=False):
            if value < cut.number or (not lower_inclusive and value == cut.number):
                return label
        return self.labels[-1]

    @property
    def constants(self) -> tuple[Constant, ...]:
        return (*self.cuts, self.boundary)
