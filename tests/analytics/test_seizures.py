import math
import shutil
from pathlib import Path

import pytest
from sqlalchemy import update

from observatory.analytics.seizures import SeizureQuery, check_filter_values, seizure_totals, year_range
from observatory.analytics.snapshot import refresh_snapshot, seizure_dir
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.schema import Submission
from tests.wdr_table import DRUG_GROUP, REGION, YEAR, independent_headline_totals, independent_totals


@pytest.fixture
def analytics(demo_settings: Settings) -> AnalyticsStore:
    return AnalyticsStore(demo_settings.analytics_dir)


@pytest.mark.parametrize(
    ("group_by", "columns"),
    [
        (("drug_group", "year"), (DRUG_GROUP, YEAR)),
        (("region", "year"), (REGION, YEAR)),
        (("region",), (REGION,)),
        ((), ()),
    ],
)
def test_totals_equal_an_independent_sum_of_the_workbook(
    analytics: AnalyticsStore, group_by: tuple[str, ...], columns: tuple[int, ...]
) -> None:
    table = seizure_totals(analytics, SeizureQuery(group_by)).to_pylist()
    ours = {tuple(row[name] for name in group_by): row["kilograms"] for row in table}
    expected = independent_totals(*columns)
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        assert math.isclose(ours[key], value, rel_tol=1e-12), key


@pytest.mark.parametrize(
    ("group_by", "columns"),
    [(("drug_group", "year"), (DRUG_GROUP, YEAR)), (("region", "drug_group", "year"), (REGION, DRUG_GROUP, YEAR))],
)
def test_headline_totals_equal_an_independent_headline_sum_of_the_workbook(
    analytics: AnalyticsStore, group_by: tuple[str, ...], columns: tuple[int, ...]
) -> None:
    """With ``headline`` the query counts as the WDR does: no plant material, no reported total beside its own
    components (the larger of the two counts); without it, every row as reported (the test above)."""
    table = seizure_totals(analytics, SeizureQuery(group_by, headline=True)).to_pylist()
    ours = {tuple(row[name] for name in group_by): row["kilograms"] for row in table if row["kilograms"] is not None}
    expected = independent_headline_totals(*columns)
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        assert math.isclose(ours[key], value, rel_tol=1e-12), key
    cocaine_2023 = math.fsum(value for key, value in ours.items() if key[-2:] == ("Cocaine-type", 2023))
    assert cocaine_2023 == pytest.approx(2_274_697.8, rel=1e-8)  # the WDR 2025 headline, 2,275 t


def test_groups_count_records_and_missing_records(analytics: AnalyticsStore) -> None:
    (row,) = seizure_totals(analytics, SeizureQuery(())).to_pylist()
    assert (row["records"], row["missing_records"]) == (11_274, 76)


def test_a_group_with_nothing_reported_is_null_not_zero(analytics: AnalyticsStore) -> None:
    rows = seizure_totals(analytics, SeizureQuery(("country", "drug", "year"), {"country": ("EGY",)})).to_pylist()
    unreported = [row for row in rows if row["records"] == row["missing_records"]]
    assert unreported and all(row["kilograms"] is None for row in unreported)
    assert {row["country"] for row in rows} == {"Egypt"}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"drug_group": ("Cocaine",)}, "unknown drug_group 'Cocaine'; accepted values: Amphetamine"),
        ({"year": (1999,)}, "year 1999 is out of range; years with data: 2019–2023"),
        ({"country": ("Bolivia",)}, "unknown country 'Bolivia'"),
    ],
)
def test_unknown_filter_values_are_named_with_what_is_accepted(
    analytics: AnalyticsStore, filters: dict[str, tuple[str | int, ...]], message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        check_filter_values(analytics, filters)


@pytest.mark.parametrize("group_by", [("colour",), ("year", "year")])
def test_bad_groupings_are_refused(group_by: tuple[str, ...]) -> None:
    with pytest.raises(BadInput):
        SeizureQuery(group_by)


def test_filters_restrict_the_rows_summed(analytics: AnalyticsStore) -> None:
    rows = seizure_totals(
        analytics, SeizureQuery(("drug_group", "year"), {"drug_group": ("Cocaine-type",), "year": (2023,)})
    ).to_pylist()
    expected = independent_totals(DRUG_GROUP, YEAR)[("Cocaine-type", 2023)]
    assert [(row["drug_group"], row["year"]) for row in rows] == [("Cocaine-type", 2023)]
    assert math.isclose(rows[0]["kilograms"], expected, rel_tol=1e-12)


def test_snapshot_follows_approval_incrementally(demo_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(demo_settings.records_url)
    analytics_dir = tmp_path / "analytics"
    try:
        first = refresh_snapshot(engine, analytics_dir)
        again = refresh_snapshot(engine, analytics_dir)
        assert (len(first.written), again.written, again.kept) == (1, [], first.written)
        with engine.begin() as connection:
            connection.execute(update(Submission).values(status="submitted"))
        withdrawn = refresh_snapshot(engine, analytics_dir)
        assert withdrawn.removed == first.written
        assert list(seizure_dir(analytics_dir).glob("*.parquet")) == []
        assert year_range(AnalyticsStore(analytics_dir)) is None
    finally:
        with engine.begin() as connection:
            connection.execute(update(Submission).values(status="published"))
        engine.dispose()
        shutil.rmtree(analytics_dir)
