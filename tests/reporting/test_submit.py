"""Submitting files through the service layer, on both engines."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from observatory.access.policy import Principal, Role
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.errors import Forbidden
from observatory.reference.release import load_packaged_release
from observatory.reporting.submissions import observations, submission_detail
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import Observation
from observatory.store.schema import SourceFile, Submission

ADMIN = Principal("root", Role.ADMIN)
GHANA = Principal("ama", Role.FOCAL_POINT, frozenset({"GHA"}))
#: Four eyes: another of Ghana's focal points approves what ``GHANA`` uploads.
OTHER_GHANA = Principal("kwame", Role.FOCAL_POINT, frozenset({"GHA"}))
HEADER = "country,drug_group,drug_subgroup,drug,year,kilograms\n"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids),Cannabis herb (marijuana),Cannabis herb (marijuana)"
GOOD = f"{HEADER}Ghana,{CANNABIS},2023,1250.5\n"
BAD = (
    HEADER
    + "Narnia,Opioids,Opiates,Heroin,2023,12\n"
    + "Ghana,Opioids,Opiates,Heroin,2023,-4\n"
    + "Ghana,Cocaine-type,Cocaine,Cocaine,2023,\n"
    + "Ghana,Cocaine-type,Cocaine,Cocaine,2023,\n"
)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def count(engine: Engine, table: type[Observation] | type[Submission]) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def test_a_clean_file_stores_each_value_with_its_row(store: Engine) -> None:
    result = submit_file(store, GHANA, GOOD.encode(), "gha.csv", "annual-seizures", "GHA")
    assert (result.status, result.values_stored, result.report["ok"]) == ("validated", 1, True)
    (value,) = observations(store, GHANA, result.submission_id)
    assert (value["country_iso3"], value["year"], value["value"], value["value_state"], value["source_row"]) == (
        "GHA",
        2023,
        1250.5,
        "value",
        2,
    )


def test_a_bad_file_gives_one_report_and_stores_nothing_but_its_record(store: Engine) -> None:
    result = submit_file(store, ADMIN, BAD.encode(), "bad.csv", "annual-seizures")
    problems = [(p["severity"], p["row"], p["column"], p["code"]) for p in result.report["errors"]]
    problems += [(p["severity"], p["row"], p["column"], p["code"]) for p in result.report["warnings"]]
    assert problems == [
        ("error", 2, "country", "unknown-country"),
        ("error", 3, "kilograms", "negative-quantity"),
        ("warning", 5, None, "duplicate-row"),
    ]
    assert result.report["errors"][0]["suggestions"][0] == "Armenia (ARM)"
    assert result.status == "invalid" and result.values_stored == 0
    assert count(store, Observation) == 0
    detail = submission_detail(store, ADMIN, result.submission_id)
    assert detail["report"]["ok"] is False and detail["sha256"]
    with store.connect() as connection:
        assert connection.scalar(select(SourceFile.content)) == BAD.encode()


def test_a_country_submission_refuses_rows_of_another_country(store: Engine) -> None:
    other = GOOD.replace("Ghana,", "Senegal,")
    result = submit_file(store, ADMIN, other.encode(), "x.csv", "annual-seizures", "GHA")
    assert [p["code"] for p in result.report["errors"]] == ["country-mismatch"]


@pytest.mark.parametrize(
    ("principal", "country"),
    [(GHANA, "SEN"), (GHANA, None), (Principal("ines", Role.ANALYST), "GHA"), (Principal("p", Role.PUBLIC), "GHA")],
)
def test_who_may_not_upload_is_refused_before_anything_is_stored(
    store: Engine, principal: Principal, country: str | None
) -> None:
    with pytest.raises(Forbidden):
        submit_file(store, principal, GOOD.encode(), "gha.csv", "annual-seizures", country)
    assert count(store, Submission) == 0


def test_a_correction_after_publication_is_a_new_vintage_and_the_old_one_stays_readable(
    store: Engine, tmp_path: Path
) -> None:
    analytics = tmp_path / "analytics"
    first = submit_file(store, GHANA, GOOD.encode(), "gha.csv", "annual-seizures", "GHA").submission_id
    for principal, action in ((OTHER_GHANA, "approve"), (ADMIN, "accept"), (ADMIN, "publish")):
        apply_step(store, principal, first, action, analytics=analytics)
    assert public_kilograms(analytics) == 1250.5
    fixed = GOOD.replace("1250.5", "1350.5").encode()
    second = submit_file(store, GHANA, fixed, "gha-v2.csv", "annual-seizures", "GHA", corrects=first)
    for principal, action in ((OTHER_GHANA, "approve"), (ADMIN, "accept"), (ADMIN, "publish")):
        apply_step(store, principal, second.submission_id, action, analytics=analytics)
    old, new = (submission_detail(store, ADMIN, i) for i in (first, second.submission_id))
    assert (old["status"], new["status"], new["vintage"], new["supersedes_id"]) == ("superseded", "published", 2, first)
    assert observations(store, ADMIN, first)[0]["value"] == 1250.5
    assert public_kilograms(analytics) == 1350.5  # the figures serve the correction, not both vintages


def public_kilograms(analytics: Path) -> float:
    """Ghana's kilograms as the public is served them (published submissions only)."""
    store = AnalyticsStore(analytics)
    try:
        (row,) = seizure_totals(store, SeizureQuery((), {"country": ("GHA",)})).to_pylist()
        return float(row["kilograms"])
    finally:
        store.close()


def test_unreadable_bytes_are_a_report_not_a_crash(store: Engine) -> None:
    result = submit_file(store, ADMIN, b"%PDF-1.7 not a table", "data.csv", "annual-seizures")
    assert result.status == "invalid" and result.report["errors"][0]["code"] == "unreadable-file"
