"""The observations snapshot: served values only (approved, accepted, published), one file per submission,
flattened, refreshed incrementally."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.analytics.observations import (
    COMMON_DIMENSIONS,
    approved_submissions,
    latest_prevalence,
    observations,
    refresh_observations,
    vintages,
)
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.reference.release import load_packaged_release
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade
from observatory.store.serving import Audience
from tests.analytics.conftest import ADMIN, approve, publish

GHANA = "country,drug,recall,year,best,low,high\nGhana,Cocaine,past-year,2019,0.5,0.3,0.8\n"


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def submitted(engine: Engine, text: str, corrects: int | None = None) -> int:
    result = submit_file(engine, ADMIN, text.encode(), "ghana.csv", "prevalence", "GHA", corrects=corrects)
    return result.submission_id


def published(engine: Engine, text: str, lifecycle: Path, corrects: int | None = None) -> int:
    submission = submitted(engine, text, corrects)
    publish(engine, submission, "validated", lifecycle)
    return submission


# The lifecycle keeps its own analytics store (``lifecycle``) current after each step; the refresh under test here
# writes a second one (``tmp_path / "analytics"``), so that what it writes, keeps and removes can be seen.


def test_only_served_submissions_are_written_once_each(store: Engine, tmp_path: Path) -> None:
    lifecycle, ours = tmp_path / "lifecycle", tmp_path / "analytics"
    submission = submitted(store, GHANA)
    assert refresh_observations(store, ours).written == []
    approve(store, submission, "validated", lifecycle)
    assert refresh_observations(store, ours).written == [submission]
    again = refresh_observations(store, ours)
    assert (again.written, again.kept) == ([], [submission])
    assert [path.name for path in (ours / "observations").iterdir()] == [f"submission-{submission}.parquet"]


def test_the_lifecycle_writes_and_removes_the_files_itself(store: Engine, tmp_path: Path) -> None:
    submission = submitted(store, GHANA)
    approve(store, submission, "validated", tmp_path)
    assert [path.name for path in (tmp_path / "observations").iterdir()] == [f"submission-{submission}.parquet"]
    assert refresh_observations(store, tmp_path).written == []  # nothing left to write
    apply_step(store, ADMIN, submission, "unapprove", "a digit was wrong", analytics=tmp_path)
    assert list((tmp_path / "observations").iterdir()) == []


def test_values_are_flattened_with_their_dimensions(store: Engine, tmp_path: Path) -> None:
    submission = submitted(store, GHANA)
    approve(store, submission, "validated", tmp_path)
    public = AnalyticsStore(tmp_path)
    analyst = public.for_audience(Audience.ANALYST)
    try:
        # Approved, not published: analysts see the values, the public does not.
        assert observations(public, "prevalence").num_rows == 0
        table = observations(analyst, "prevalence", {"element": ["best", "high"]})
    finally:
        public.close()
    assert table.column("element").to_pylist() == ["best", "high"]
    best = table.to_pylist()[0]
    assert (best["country_iso3"], best["year"], best["value"], best["unit"]) == ("GHA", 2019, 0.5, "percent")
    assert (best["submission_id"], best["vintage"], best["value_state"]) == (submission, 1, "value")
    assert (best["drug"], best["recall"], best["sex"]) == ("Cocaine", "past-year", None)
    assert json.loads(best["dimensions"])["drug"] == "Cocaine"
    assert set(COMMON_DIMENSIONS) <= set(table.column_names)


def test_a_published_correction_replaces_the_vintage_it_supersedes(store: Engine, tmp_path: Path) -> None:
    lifecycle, ours = tmp_path / "lifecycle", tmp_path / "analytics"
    first = published(store, GHANA, lifecycle)
    refresh_observations(store, ours)
    second = published(store, GHANA.replace("0.5,", "0.6,"), lifecycle, corrects=first)
    report = refresh_observations(store, ours)
    assert (report.written, report.removed) == ([second], [first])
    for folder in (ours, lifecycle):
        analytics = AnalyticsStore(folder)
        try:
            assert vintages(analytics) == {second: 2}
            assert approved_submissions(analytics).column("status").to_pylist() == ["published"]
            assert latest_prevalence(analytics, "Cocaine", 2023).column("best").to_pylist() == [0.6]
        finally:
            analytics.close()


def test_an_unapproved_submission_leaves_the_snapshot(store: Engine, tmp_path: Path) -> None:
    lifecycle, ours = tmp_path / "lifecycle", tmp_path / "analytics"
    submission = submitted(store, GHANA)
    approve(store, submission, "validated", lifecycle)
    refresh_observations(store, ours)
    apply_step(store, ADMIN, submission, "unapprove", "a digit was wrong", analytics=lifecycle)
    assert refresh_observations(store, ours).removed == [submission]
    assert list((ours / "observations").iterdir()) == []


def test_the_latest_estimate_up_to_the_year_wins_and_a_broken_range_is_marked(analytics: AnalyticsStore) -> None:
    rows = {row["country_iso3"]: row for row in latest_prevalence(analytics, "Cocaine", 2023).to_pylist()}
    assert "BRA" not in rows, "an estimate after the year asked is not used"
    assert (rows["FRA"]["estimate_year"], rows["FRA"]["best"]) == (2021, 1.6)
    assert (rows["ESP"]["dropped"], rows["KEN"]["dropped"], rows["GHA"]["dropped"]) == (True, False, False)
    assert rows["KEN"]["estimate_year"] == 2021, "a span such as 2021/22 counts from its first year"


def test_an_unknown_filter_names_the_accepted_ones(analytics: AnalyticsStore) -> None:
    with pytest.raises(BadInput, match="unknown observation filter 'colour'; accepted: element"):
        observations(analytics, "prevalence", {"colour": ["red"]})
    assert observations(analytics, "no-such-dataset").num_rows == 0
