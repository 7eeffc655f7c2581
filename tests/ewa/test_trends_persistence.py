"""Persistence: of the substances first seen in a year, those seen again N years later, over the observed years."""

import pytest

from observatory.errors import BadInput
from observatory.ewa.trends import Persistence, observed_until, persistence_by_cohort, persistence_pooled
from tests.ewa.trend_sightings import FIRST, sighting

SIGHTINGS = (
    sighting("2015-01-01", "alpha", kind=FIRST, source="lab"),
    sighting("2016-05-01", "alpha"),
    sighting("2018-05-01", "alpha"),
    sighting("2015-06-01", "beta"),
    sighting("2016-06-01", "gamma"),
    sighting("2017-06-01", "gamma"),
    sighting("2022-01-01", "delta", kind=FIRST, source="lab"),
    sighting("2022-03-01", "epsilon", kind=FIRST, source="lab"),
)


def test_years_are_observed_up_to_the_last_event_that_can_see_a_substance_again() -> None:
    assert observed_until(SIGHTINGS) == 2018
    assert observed_until([s for s in SIGHTINGS if s.kind is FIRST]) is None


@pytest.mark.parametrize(
    ("cohort", "years_after", "substances", "still_reported"),
    [(2015, 1, 2, 1), (2015, 2, 2, 0), (2015, 3, 2, 1), (2016, 1, 1, 1), (2016, 2, 1, 0)],
)
def test_each_cohort_and_observed_year(cohort: int, years_after: int, substances: int, still_reported: int) -> None:
    rows = {(row.cohort, row.years_after): row for row in persistence_by_cohort(SIGHTINGS, horizon=5)}
    assert rows[(cohort, years_after)] == Persistence(cohort, years_after, substances, still_reported)


def test_unobserved_years_get_no_row() -> None:
    rows = persistence_by_cohort(SIGHTINGS, horizon=5)
    assert max(row.cohort + row.years_after for row in rows if row.cohort) == 2018
    assert not any(row.cohort == 2022 for row in rows)


def test_pooled_rows_add_up_the_cohorts() -> None:
    pooled = persistence_pooled(SIGHTINGS, horizon=4)
    assert [(row.years_after, row.substances, row.still_reported) for row in pooled] == [
        (1, 3, 2), (2, 3, 0), (3, 2, 1), (4, 0, 0),
    ]  # fmt: skip
    assert pooled[0].share == pytest.approx(2 / 3) and pooled[3].share is None


def test_the_horizon_must_be_a_year_or_more() -> None:
    with pytest.raises(BadInput, match="at least 1 year"):
        persistence_by_cohort(SIGHTINGS, horizon=0)
