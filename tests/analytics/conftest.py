"""A records store on each engine with the demo loaded (every WDR annex file published but table 1.2, population)
and a small prevalence table published instead, the lifecycle keeping the analytics store current; and apps with
the statistics routers registered, as ``app.py`` registers them."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.analytics.store import AnalyticsStore
from observatory.demo import run_demo
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.stores import client_fixture, engine_fixture, served_fixture, settings_fixture

ADMIN = Principal("root", Role.ADMIN)
#: Four eyes: who approves and publishes is not who uploaded (``ADMIN``).
REVIEWER = Principal("reviewer", Role.ADMIN)
#: Ghana and Nigeria report in West and Central Africa, Kenya without a range, Spain with a range that does not
#: hold its best value (dropped), France twice (the later estimate wins), Brazil only after the years asked.
PREVALENCE = """country,drug,recall,year,best,low,high
Ghana,Cocaine,past-year,2019,0.5,0.3,0.8
Nigeria,Cocaine,past-year,2017,0.7,0.6,0.9
Kenya,Cocaine,past-year,2021/22,0.2,,
France,Cocaine,past-year,2015,1.1,0.9,1.3
France,Cocaine,past-year,2021,1.6,1.4,1.8
Spain,Cocaine,past-year,2022,2.4,0.1,0.2
United States of America,Cocaine,past-year,2022,2.2,2.0,2.4
Brazil,Cocaine,past-year,2024,1.0,0.8,1.2
Australia,Cannabis,past-year,2022,11.5,10.9,12.1
"""


def approve(engine: Engine, submission_id: int, status: str, analytics: Path) -> None:
    """Approve a submission: analysts see its values, the public does not yet."""
    if status == "submitted":
        apply_step(engine, ADMIN, submission_id, "acknowledge", "warnings read", analytics=analytics)
    apply_step(engine, REVIEWER, submission_id, "approve", analytics=analytics)


def publish(engine: Engine, submission_id: int, status: str, analytics: Path) -> None:
    """Step a submission to published: everyone, the anonymous pages and API included, sees its values."""
    approve(engine, submission_id, status, analytics)
    for action in ("accept", "publish"):
        apply_step(engine, REVIEWER, submission_id, action, analytics=analytics)


def _demo_with_own_prevalence(settings: Settings) -> None:
    demo = run_demo(settings, early_warning=False)
    engine = make_engine(settings.records_url)
    try:
        # The demo publishes WDR table 1.2 as well; these tests want the small table above as the only published
        # prevalence, so that each of its cases is what decides a figure. Unpublished, table 1.2 is accepted:
        # analysts still see it, the public (these figures, pages and API answers) does not.
        (national,) = [item for item in demo["submissions"] if item["dataset"] == "prevalence"]
        apply_step(
            engine,
            ADMIN,
            national["submission_id"],
            "unpublish",
            "the tests' own prevalence table stands alone",
            analytics=settings.analytics_dir,
        )
        result = submit_file(engine, ADMIN, PREVALENCE.encode(), "prevalence.csv", "prevalence")
        publish(engine, result.submission_id, result.status, settings.analytics_dir)
    finally:
        engine.dispose()


stats_settings = settings_fixture("stats", _demo_with_own_prevalence)
records = engine_fixture("stats_settings")
client = client_fixture("stats_settings")
base_url = served_fixture("stats_settings")


@pytest.fixture
def analytics(stats_settings: Settings) -> Iterator[AnalyticsStore]:
    store = AnalyticsStore(stats_settings.analytics_dir)
    yield store
    store.close()
