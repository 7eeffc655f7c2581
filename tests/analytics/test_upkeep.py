"""The analytics store is derived data: deleted, behind after a crash, or refreshed twice at once, it is rebuilt
from the records store and answers as before."""

import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.analytics.prevalence_population import total_population_for
from observatory.analytics.refresh import refresh_analytics
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import POPULATION, AnalyticsStore
from observatory.analytics.upkeep import currency, ensure_current
from observatory.demo import REFERENCE_ACTOR, initialise
from observatory.reporting.intake import load_population
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.web.app import create_app

SUBMITTER = Principal("col-focal-point", Role.FOCAL_POINT, frozenset({"COL"}))
REVIEWER = Principal("reviewer", Role.ADMIN)
FILE = b"""country,drug_group,drug_subgroup,drug,year,kilograms
Colombia,Cocaine-type,Cocaine,Cocaine hydrochloride,2024,700
"""


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[tuple[Settings, Engine]]:
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url, analytics_check_seconds=0.2)
    engine = initialise(settings)
    yield settings, engine
    engine.dispose()


def accepted(settings: Settings, engine: Engine) -> int:
    result = submit_file(engine, SUBMITTER, FILE, "col.csv", "annual-seizures", country="COL")
    if result.status == "submitted":
        apply_step(engine, SUBMITTER, result.submission_id, "acknowledge", "ok", analytics=settings.analytics_dir)
    for action in ("approve", "accept"):
        apply_step(engine, REVIEWER, result.submission_id, action, analytics=settings.analytics_dir)
    return result.submission_id


def colombia(settings: Settings) -> float | None:
    analytics = AnalyticsStore(settings.analytics_dir)
    try:
        rows = seizure_totals(analytics, SeizureQuery((), {"country": ("COL",)})).to_pylist()
    finally:
        analytics.close()
    return rows[0]["kilograms"] if rows else None


def test_a_deleted_snapshot_is_rebuilt_the_same(store: tuple[Settings, Engine]) -> None:
    settings, engine = store
    sid = accepted(settings, engine)
    apply_step(engine, REVIEWER, sid, "publish", analytics=settings.analytics_dir)
    assert colombia(settings) == 700
    shutil.rmtree(settings.analytics_dir)
    assert not currency(engine, settings.analytics_dir).current
    assert ensure_current(engine, settings.analytics_dir)
    assert colombia(settings) == 700
    assert not ensure_current(engine, settings.analytics_dir)  # current: nothing to do


def test_a_step_committed_by_a_killed_process_is_served_after_a_restart(store: tuple[Settings, Engine]) -> None:
    settings, engine = store
    sid = accepted(settings, engine)
    script = textwrap.dedent(
        f"""
        import os, signal
        from observatory.access.policy import Principal, Role
        from observatory.reporting import workflow
        from observatory.store.engine import make_engine
        engine = make_engine({settings.records_url!r})
        workflow._step(engine, Principal("reviewer", Role.ADMIN), {sid}, "publish", None)
        os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before the analytics refresh
        """
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert finished.returncode == -9, finished.stderr
    assert colombia(settings) is None  # published in the records, absent from the figures
    assert currency(engine, settings.analytics_dir).changed == [sid]
    with TestClient(create_app(settings)) as client:  # the restart
        body = client.get("/api/v1/seizures", params={"group_by": "country", "country": "COL"}).json()
        assert body["data"][0]["kilograms"] == 700
        assert client.get("/api/v1/health").json()["status"] == "ok"


def test_deleting_the_snapshot_under_the_running_server_loses_nothing(store: tuple[Settings, Engine]) -> None:
    settings, engine = store
    sid = accepted(settings, engine)
    apply_step(engine, REVIEWER, sid, "publish", analytics=settings.analytics_dir)
    with TestClient(create_app(settings)) as client:
        query = {"group_by": "country", "country": "COL"}
        before = client.get("/api/v1/seizures", params=query).json()["data"]
        shutil.rmtree(settings.analytics_dir)
        assert client.get("/api/v1/seizures", params=query).json()["data"] == before
        shutil.rmtree(settings.analytics_dir / "annual-seizures")
        assert client.get("/api/v1/health").json()["status"] == "stale"
        for _ in range(50):  # the watchdog repairs within a few of its 0.2 s rounds
            if client.get("/api/v1/health").json()["status"] == "ok":
                break
            threading.Event().wait(0.1)
        assert client.get("/api/v1/health").json()["status"] == "ok"


def test_refreshes_at_once_do_not_race(store: tuple[Settings, Engine]) -> None:
    settings, engine = store
    sid = accepted(settings, engine)
    apply_step(engine, REVIEWER, sid, "publish", analytics=settings.analytics_dir)
    shutil.rmtree(settings.analytics_dir)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            refresh_analytics(engine, settings.analytics_dir)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert currency(engine, settings.analytics_dir).current
    assert colombia(settings) == 700
    assert not list(settings.analytics_dir.rglob("*.tmp"))


def test_a_population_gone_or_replaced_makes_the_snapshot_stale(store: tuple[Settings, Engine], tmp_path: Path) -> None:
    settings, engine = store
    refresh_analytics(engine, settings.analytics_dir)
    assert currency(engine, settings.analytics_dir).current
    (settings.analytics_dir / POPULATION).unlink()
    assert currency(engine, settings.analytics_dir).population_stale
    assert ensure_current(engine, settings.analytics_dir)
    assert (settings.analytics_dir / POPULATION).is_file() and currency(engine, settings.analytics_dir).current
    replacement = tmp_path / "population.csv"
    replacement.write_text("Country Name,Country Code,Year,Value\nColombia,COL,2020,1000\n", encoding="utf-8")
    load_population(engine, replacement, frozenset({"COL"}), REFERENCE_ACTOR)  # loaded, not yet refreshed
    found = currency(engine, settings.analytics_dir)
    assert found.population_stale and not found.current and found.to_json()["population_stale"] is True
    assert ensure_current(engine, settings.analytics_dir)
    analytics = AnalyticsStore(settings.analytics_dir)
    try:
        assert total_population_for(analytics, 2020) == {"COL": 1000.0}
    finally:
        analytics.close()
