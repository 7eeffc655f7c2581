"""Bands: cut-offs and the boundary rule decide a category; badly formed bands are refused."""

import pytest

from observatory.errors import BadInput
from observatory.stats.bands import Bands, Boundary
from observatory.stats.figure import Constant


def bands(
    rule: str, cuts: tuple[float, ...] = (100, 200), labels: tuple[str, ...] = ("low", "medium", "high")
) -> Bands:
    return Bands(tuple(Constant(f"cut-{c}", c, "s", True) for c in cuts), labels, Constant("rule", rule, "s", True))


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (Boundary.LOWER_INCLUSIVE, 99.99, "low"),
        (Boundary.LOWER_INCLUSIVE, 100, "medium"),
        (Boundary.LOWER_INCLUSIVE, 199.99, "medium"),
        (Boundary.LOWER_INCLUSIVE, 200, "high"),
        (Boundary.UPPER_INCLUSIVE, 100, "low"),
        (Boundary.UPPER_INCLUSIVE, 100.01, "medium"),
        (Boundary.UPPER_INCLUSIVE, 200, "medium"),
        (Boundary.UPPER_INCLUSIVE, 200.01, "high"),
        (Boundary.LOWER_INCLUSIVE, -5, "low"),
    ],
)
def test_classify(rule: Boundary, value: float, expected: str) -> None:
    assert bands(rule).classify(value) == expected


@pytest.mark.parametrize(
    ("rule", "cuts", "labels", "problem"),
    [
        ("lower-inclusive", (200, 100), ("a", "b", "c"), "increase"),
        ("lower-inclusive", (100, 100), ("a", "b", "c"), "increase"),
        ("lower-inclusive", (100, 200), ("a", "b"), "labels"),
        ("closest", (100, 200), ("a", "b", "c"), "boundary rule"),
    ],
)
def test_bad_bands_are_refused(rule: str, cuts: tuple[float, ...], labels: tuple[str, ...], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        bands(rule, cuts, labels)
