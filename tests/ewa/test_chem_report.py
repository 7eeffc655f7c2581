"""Agreement of the classification with the sources' own categories: the confusion reports."""

import pytest

from observatory.ewa.chemistry import classification_report
from observatory.ewa.chemistry.confusion import Axis


def test_the_family_agrees_with_the_slovenian_list_for_at_least_90_percent() -> None:
    report = classification_report("slovenia-nfl")
    assert report.evaluated >= 990
    assert report.agreement >= 0.90


def test_the_family_agrees_with_the_cfsre_monographs_for_at_least_90_percent() -> None:
    report = classification_report("cfsre")
    assert report.evaluated >= 100
    assert report.agreement >= 0.90


def test_the_effect_agrees_with_the_cfsre_monographs_for_at_least_90_percent() -> None:
    assert classification_report("cfsre", "effect").agreement >= 0.90


@pytest.mark.parametrize(("source", "axis"), [("slovenia-nfl", "family"), ("cfsre", "family"), ("cfsre", "effect")])
def test_the_matrix_adds_up(source: str, axis: Axis) -> None:
    report = classification_report(source, axis)
    size = len(report.labels)
    assert len(report.matrix) == size and all(len(row) == size for row in report.matrix)
    assert report.evaluated - report.agreed == len(report.disagreements)
    assert sum(total for _, total, _ in report.by_method) == report.evaluated
    assert sum(agreed for _, _, agreed in report.by_method) == report.agreed
    for disagreement in report.disagreements:
        assert disagreement.expected != disagreement.predicted
        assert disagreement.explanation


def test_the_report_prints_as_a_table() -> None:
    text = classification_report("slovenia-nfl").as_text()
    assert "cannabinoids" in text and "agreement" in text and "by rule" in text
