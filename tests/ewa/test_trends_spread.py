"""Emergence and spread per year and group: new, reported, persistent substances and countries reporting."""

import pytest

from observatory.errors import BadInput
from observatory.ewa.trends import (
    ALL,
    UNCLASSIFIED,
    Axis,
    CountryBand,
    YearSpread,
    country_band,
    spread_by_year,
    substance_spread,
    substances_by_countries,
)
from tests.ewa.trend_sightings import FIRST, sighting

SIGHTINGS = (
    sighting("2019-03-01", "alpha", kind=FIRST, source="lab"),
    sighting("2019-05-01", "alpha", country="AUT"),
    sighting("2020-01-10", "alpha", country="AUT"),
    sighting("2020-02-10", "alpha", country="AUT"),
    sighting("2021-06-01", "alpha", country="CHE"),
    sighting("2020-07-01", "beta", family="opioids", country=None),
    sighting("2021-01-01", "beta", family="opioids", country="SVN"),
    sighting("2021-09-09", "gamma", family=None, country="USA"),
)


@pytest.mark.parametrize(
    ("year", "group", "new", "reported", "persistent", "countries"),
    [
        (2019, "cathinones", 1, 1, 0, 2),
        (2020, "cathinones", 0, 1, 0, 1),
        (2021, "cathinones", 0, 1, 1, 1),
        (2020, "opioids", 1, 1, 0, 0),
        (2021, "opioids", 0, 1, 0, 1),
        (2021, UNCLASSIFIED, 1, 1, 0, 1),
        (2019, ALL, 1, 1, 0, 2),
        (2020, ALL, 1, 2, 0, 1),
        (2021, ALL, 1, 3, 1, 3),
    ],
)
def test_each_year_and_group_counts_substances_once(
    year: int, group: str, new: int, reported: int, persistent: int, countries: int
) -> None:
    rows = {(row.year, row.group): row for row in spread_by_year(SIGHTINGS, Axis.FAMILY, run_years=3)}
    assert rows[(year, group)] == YearSpread(year, group, new, reported, persistent, countries)


def test_the_table_is_dense_and_all_comes_last() -> None:
    rows = spread_by_year(SIGHTINGS, Axis.FAMILY)
    assert [(row.year, row.group) for row in rows[:4]] == [
        (2019, "cathinones"), (2019, "opioids"), (2019, UNCLASSIFIED), (2019, ALL),
    ]  # fmt: skip
    assert len(rows) == 3 * 4 and spread_by_year([], Axis.FAMILY) == []


def test_grouping_by_unodc_group_and_runs_of_one_year() -> None:
    rows = spread_by_year(SIGHTINGS, Axis.GROUP, run_years=1)
    assert {row.group for row in rows} == {"synthetic_cathinones", "other_nps", UNCLASSIFIED, ALL}
    assert all(row.persistent == row.reported for row in rows)
    with pytest.raises(BadInput, match="at least 1 year"):
        spread_by_year(SIGHTINGS, Axis.FAMILY, run_years=0)


def test_a_substance_timeline_names_each_country_with_its_first_date() -> None:
    alpha, beta, gamma = substance_spread(SIGHTINGS, Axis.FAMILY)
    assert (alpha.substance, alpha.years, alpha.first_seen.isoformat(), alpha.last_seen.isoformat()) == (
        "alpha", (2019, 2020, 2021), "2019-03-01", "2021-06-01",
    )  # fmt: skip
    assert [(country, day.isoformat()) for country, day in alpha.countries] == [
        ("SVN", "2019-03-01"), ("AUT", "2019-05-01"), ("CHE", "2021-06-01"),
    ]  # fmt: skip
    assert [country for country, _ in beta.countries] == ["SVN"] and gamma.group == UNCLASSIFIED


@pytest.mark.parametrize(
    ("countries", "band"),
    [(0, None), (1, "1"), (2, "2"), (3, "3–4"), (4, "3–4"), (5, "5–9"), (9, "5–9"), (10, "10 or more")],
)
def test_country_bands(countries: int, band: str | None) -> None:
    assert country_band(countries) == band


def test_substances_by_the_number_of_countries_reporting_them() -> None:
    table = {(row.group, row.band): row.substances for row in substances_by_countries(SIGHTINGS, Axis.FAMILY)}
    assert table[("cathinones", "3–4")] == 1 and table[("opioids", "1")] == 1 and table[(UNCLASSIFIED, "1")] == 1
    assert table[(ALL, "1")] == 2 and table[(ALL, "3–4")] == 1 and table[(ALL, "2")] == 0
    assert CountryBand(ALL, "10 or more", 0) in substances_by_countries(SIGHTINGS, Axis.FAMILY)
