"""The demo's load goes through the front door a country uses: every annex file is submitted by one system account
and approved, accepted and published by another, each step in the submission's history; the bytes are kept, the
values stored as observations, the population load audited; and a second run loads nothing twice."""

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.analytics.observations import approved_rows
from observatory.datasets import DEMO_ANNEX, DEMO_SEIZURES, POPULATION
from observatory.demo import DEMO_PUBLISHER, DEMO_SUBMITTER, REFERENCE_ACTOR, run_demo
from observatory.reporting.workflow import history
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.reporting_schema import Observation, SubmissionEvent
from observatory.store.schema import AuditEvent, Population, SourceFile, Submission
from tests.stores import BACKENDS, fresh_database_url

TABLES = (SourceFile, Submission, SubmissionEvent, Observation, AuditEvent, Population)


@dataclass(frozen=True)
class Loaded:
    engine: Engine
    analytics: Path
    first: dict[str, Any]
    counts: dict[str, int]
    served: list[dict[str, Any]]
    second: dict[str, Any]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.__tablename__: connection.scalar(select(func.count()).select_from(table)) or 0 for table in TABLES
        }


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """A fresh store with the demo run on it twice; what the first run left is recorded before the second."""
    folder = tmp_path_factory.mktemp(f"intake-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings = Settings(var_dir=folder / "var", database_url=url)
        first = run_demo(settings, early_warning=False)
        engine = make_engine(url)
        try:
            before, served = counts(engine), approved_rows(settings.analytics_dir)
            second = run_demo(settings, early_warning=False)
            yield Loaded(engine, settings.analytics_dir, first, before, served, second)
        finally:
            engine.dispose()


def annex() -> list[dict[str, str]]:
    with DEMO_ANNEX.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_annex_file_is_a_published_submission_with_its_bytes(loaded: Loaded) -> None:
    with Session(loaded.engine) as session:
        rows = session.execute(
            select(Submission, SourceFile.name, SourceFile.sha256, SourceFile.content)
            .join(SourceFile, SourceFile.id == Submission.source_file_id)
            .order_by(Submission.id)
        ).all()
    files = annex()
    assert [(row.name, row.Submission.dataset) for row in rows] == [(f["file"], f["dataset"]) for f in files]
    for row in rows:
        submission = row.Submission
        content = (DEMO_ANNEX.parent / row.name).read_bytes()
        assert (row.content, row.sha256) == (content, hashlib.sha256(content).hexdigest())
        assert (submission.status, submission.submitted_by) == ("published", DEMO_SUBMITTER.username)
        assert (submission.vintage, submission.locked, submission.country_iso3) == (1, True, None)
        assert submission.report["ok"] is True and not submission.report["errors"]
    assert {item["submission_id"] for item in loaded.first["submissions"]} == {row.Submission.id for row in rows}


def test_the_seizure_table_is_stored_as_observations_value_by_value(loaded: Loaded) -> None:
    (seizures,) = [item for item in loaded.first["submissions"] if item["dataset"] == "annual-seizures"]
    assert (seizures["file"], seizures["rows"]) == (DEMO_SEIZURES.name, 11_274)
    of_it = Observation.submission_id == seizures["submission_id"]
    with loaded.engine.connect() as connection:
        query = select(Observation.value_state, func.count()).where(of_it).group_by(Observation.value_state)
        states = dict(connection.execute(query).all())
        blank_values = connection.scalar(
            select(func.count()).where(of_it, Observation.value.is_(None), Observation.value_state != "missing")
        )
        missing = set(
            connection.execute(
                select(Observation.value, Observation.missing_reason).where(of_it, Observation.value_state == "missing")
            ).all()
        )
    # 11,198 kilograms reported (839 of them a true zero, kept apart from a blank) and 76 blank cells.
    assert states == {"value": 10_359, "zero": 839, "missing": 76}
    assert blank_values == 0 and missing == {(None, "not-available")}


def test_each_step_is_in_the_history_by_the_two_system_accounts(loaded: Loaded) -> None:
    submitter, publisher = DEMO_SUBMITTER.username, DEMO_PUBLISHER.username
    assert submitter != publisher  # four eyes: who submits does not approve
    for item in loaded.first["submissions"]:
        events = history(loaded.engine, item["submission_id"])
        steps = [(e["action"], e["from"], e["to"], e["actor"]) for e in events]
        assert steps[0][0::3] == ("upload", submitter) and steps[0][1] is None
        assert events[0]["comment"] == item["file"]  # the upload names the file
        rest = steps[1:]
        if steps[0][2] == "submitted":  # warnings of the file as published, acknowledged by the one who submits it
            assert rest.pop(0) == ("acknowledge", "submitted", "validated", submitter)
            assert events[1]["comment"]
        else:
            assert steps[0][2] == "validated"
        assert rest == [
            ("approve", "validated", "approved", publisher),
            ("accept", "approved", "accepted", publisher),
            ("publish", "accepted", "published", publisher),
        ]


def test_the_population_load_is_audited_once(loaded: Loaded) -> None:
    with loaded.engine.connect() as connection:
        events = connection.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.entity, AuditEvent.detail))
        (event,) = events.all()
    assert event[:3] == (REFERENCE_ACTOR, "load", "population")
    assert event.detail["sha256"] == hashlib.sha256(POPULATION.read_bytes()).hexdigest()
    assert event.detail["rows"] == loaded.counts["population"] == loaded.first["population"]["rows"]


def test_the_analytics_store_serves_every_published_submission(loaded: Loaded) -> None:
    assert {(row["submission_id"], row["status"]) for row in loaded.served} == {
        (item["submission_id"], "published") for item in loaded.first["submissions"]
    }


def test_a_second_run_loads_nothing_twice(loaded: Loaded) -> None:
    again = loaded.second["submissions"]
    assert [(item["submission_id"], item["rows"], item["status"]) for item in again] == [
        (item["submission_id"], item["rows"], item["status"]) for item in loaded.first["submissions"]
    ]
    assert {item["already_loaded"] for item in again} == {True}
    assert loaded.second["seizures"]["already_loaded"] is True
    assert loaded.second["seizures"]["by_drug_group_year"] == loaded.first["seizures"]["by_drug_group_year"]
    assert counts(loaded.engine) == loaded.counts
    assert approved_rows(loaded.analytics) == loaded.served


def test_a_population_file_loaded_again_after_another_replaces_it(database_url: str, tmp_path: Path) -> None:
    from observatory.demo import initialise
    from observatory.reporting.intake import load_population

    engine = initialise(Settings(var_dir=tmp_path / "var", database_url=database_url))
    files = {}
    for name, persons in (("a.csv", 1000), ("b.csv", 2000)):
        files[name] = tmp_path / name
        files[name].write_text(f"Country Name,Country Code,Year,Value\nColombia,COL,2020,{persons}\n", encoding="utf-8")
    try:
        for name, expected in (("a.csv", 1000), ("b.csv", 2000), ("a.csv", 1000), ("a.csv", 1000)):
            load_population(engine, files[name], frozenset({"COL"}), REFERENCE_ACTOR)
            with Session(engine) as session:
                assert session.scalars(select(Population.persons)).all() == [expected], name
    finally:
        engine.dispose()
