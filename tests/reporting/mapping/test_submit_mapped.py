"""Submitting through a mapping, on both engines: a dry run records nothing, a state-wise file is stored and its
national figure is the sum of its states, the mapping is kept and reused, and an overlap must be a correction."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from observatory.access.policy import Principal, Role
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.reference.release import load_packaged_release
from observatory.reporting.mapping import chosen_mapping, latest_mapping, used_by
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade
from observatory.store.schema import SourceFile, Submission
from tests.reporting.mapping.byo_files import colombia_departments_wide, unodc_series_csv

ADMIN = Principal("root", Role.ADMIN)
COLOMBIA = Principal("camila", Role.FOCAL_POINT, frozenset({"COL"}))
OTHER_COLOMBIA = Principal("andres", Role.FOCAL_POINT, frozenset({"COL"}))


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def count(engine: Engine, table: type[Submission] | type[SourceFile]) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def publish(store: Engine, submission: int, analytics: Path) -> None:
    apply_step(store, COLOMBIA, submission, "acknowledge", "area names checked", analytics=analytics)
    for principal, action in ((OTHER_COLOMBIA, "approve"), (ADMIN, "accept"), (ADMIN, "publish")):
        apply_step(store, principal, submission, action, analytics=analytics)


def test_a_dry_run_records_nothing_not_even_an_invalid_submission(store: Engine) -> None:
    data = unodc_series_csv()
    mapping = chosen_mapping(store, "auto", data, "unodc.csv", "annual-seizures", None)
    result = submit_file(store, ADMIN, data, "unodc.csv", "annual-seizures", mapping=mapping, dry_run=True)
    assert (result.submission_id, result.values_stored, result.report["ok"]) == (0, 0, True)
    broken = submit_file(store, ADMIN, b"country,year\nNarnia,1066\n", "x.csv", "annual-seizures", dry_run=True)
    assert broken.status == "invalid" and broken.submission_id == 0
    assert count(store, Submission) == count(store, SourceFile) == 0


def test_a_state_wise_file_publishes_a_national_figure_equal_to_the_sum_of_its_states(
    store: Engine, tmp_path: Path
) -> None:
    data = colombia_departments_wide(2024)
    mapping = chosen_mapping(store, "auto", data, "col.csv", "annual-seizures", "COL")
    result = submit_file(store, COLOMBIA, data, "col.csv", "annual-seizures", "COL", mapping=mapping)
    assert result.status == "submitted" and result.values_stored == 141
    publish(store, result.submission_id, tmp_path)
    analytics = AnalyticsStore(tmp_path)
    try:
        figures = seizure_totals(analytics, SeizureQuery(("drug_group",), {"country": ("COL",), "year": (2024,)}))
    finally:
        analytics.close()
    national = {row["drug_group"]: row["kilograms"] for row in figures.to_pylist()}
    total_row = data.decode().splitlines()[-1].split(",")
    assert national["Cannabis-type drugs (excluding synthetic cannabinoids)"] == pytest.approx(float(total_row[2]))
    assert national["Cocaine-type"] == pytest.approx(sum(float(v) for v in total_row[3:6]))
    assert national["Opioids"] == pytest.approx(float(total_row[6]) / 1000)
    saved = used_by(store, result.submission_id)
    assert saved is not None and saved.version == 1 and saved.country == "COL"


def test_the_saved_mapping_is_reused_and_versioned(store: Engine) -> None:
    data = colombia_departments_wide(2024)
    auto = chosen_mapping(store, "auto", data, "col.csv", "annual-seizures", "COL")
    assert auto is not None
    confirmed = auto.model_copy(update={"values": {"admin1": {"VALLE": "Valle del Cauca"}}})
    submit_file(store, COLOMBIA, data, "col.csv", "annual-seizures", "COL", mapping=confirmed)
    next_year = colombia_departments_wide(2025)
    reused = chosen_mapping(store, "saved", next_year, "col-2025.csv", "annual-seizures", "COL")
    assert reused == confirmed.model_copy(update={"version": 1})
    result = submit_file(store, COLOMBIA, next_year, "col-2025.csv", "annual-seizures", "COL", mapping=reused)
    assert result.report["ok"] and [p["value"] for p in result.report["warnings"]] == ["GUAJIRA", "SAN ANDRÉS"]
    saved = latest_mapping(store, "annual-seizures", "COL")
    assert saved is not None and saved.version == 1  # the same text: the same version


def test_an_overlap_with_a_published_submission_must_be_a_correction(store: Engine, tmp_path: Path) -> None:
    data = colombia_departments_wide(2024)
    mapping = chosen_mapping(store, "auto", data, "col.csv", "annual-seizures", "COL")
    first = submit_file(store, COLOMBIA, data, "col.csv", "annual-seizures", "COL", mapping=mapping)
    publish(store, first.submission_id, tmp_path)
    again = colombia_departments_wide(2024, total_row=False)
    refused = submit_file(
        store, COLOMBIA, again, "col-again.csv", "annual-seizures", "COL", mapping=mapping, dry_run=True
    )
    (error,) = refused.report["errors"]
    assert refused.status == "invalid" and error["code"] == "overlapping-submission"
    assert f"already published in submission {first.submission_id}" in error["message"]
    corrected = submit_file(
        store, COLOMBIA, again, "col-fixed.csv", "annual-seizures", "COL", corrects=first.submission_id, mapping=mapping
    )
    assert corrected.report["ok"] and corrected.values_stored == 141
