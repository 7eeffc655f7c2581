"""The demo: a records store initialised and loaded with real published data, and its snapshot built."""

from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from observatory.analytics.observations import refresh_observations
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.snapshot import refresh_snapshot
from observatory.analytics.store import AnalyticsStore
from observatory.datasets import DEMO_SEIZURES, POPULATION
from observatory.ewa.alerts import run_rules
from observatory.ewa.events import load_events
from observatory.policy.seed import load_policy_seed
from observatory.reference.countries import country_codes
from observatory.reference.release import latest_release, load_packaged_release
from observatory.reporting.intake import load_population, load_wdr_seizures
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.store.schema import Population

DEMO_ACTOR = "UNODC World Drug Report 2025, statistical annex (demo load)"
REFERENCE_ACTOR = "reference data shipped with the package"


def initialise(settings: Settings, population: Path = POPULATION) -> Engine:
    """An engine on a records store migrated to the newest schema, holding the packaged reference release and
    the population table."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.records_url)
    upgrade(engine)
    load_packaged_release(engine)
    load_population(engine, population, country_codes(), REFERENCE_ACTOR)
    return engine


def run_demo(settings: Settings, seizures: Path = DEMO_SEIZURES, early_warning: bool = True) -> dict[str, Any]:
    """Load the demo files, refresh the analytics snapshot and summarise what was loaded.

    ``early_warning`` also loads the NPS lists and drug-checking results as events and drafts alerts (~15 s).
    """
    engine = initialise(settings)
    try:
        loaded = load_wdr_seizures(engine, seizures, DEMO_ACTOR)
        snapshot = refresh_snapshot(engine, settings.analytics_dir)
        refresh_observations(engine, settings.analytics_dir)
        policy = load_policy_seed(engine, settings.search_model)
        warnings = _early_warning(engine) if early_warning else None
        release = latest_release(engine)
        with engine.connect() as connection:
            population_rows = connection.scalar(select(func.count()).select_from(Population))
    finally:
        engine.dispose()
    store = AnalyticsStore(settings.analytics_dir)
    try:
        totals = seizure_totals(store, SeizureQuery(group_by=("drug_group", "year"))).to_pylist()
    finally:
        store.close()
    return {
        "seizures": {
            "rows": loaded.rows,
            "source_file": loaded.source_file,
            "sha256": loaded.sha256,
            "submission_id": loaded.submission_id,
            "already_loaded": loaded.already_loaded,
            "unit": "kg",
            "by_drug_group_year": [
                {key: row[key] for key in ("drug_group", "year", "kilograms", "records", "missing_records")}
                for row in totals
            ],
        },
        "population": {"rows": population_rows, "source_file": POPULATION.name},
        "reference_release": release.version if release else None,
        "policy": policy,
        "early_warning": warnings,
        "snapshot": {"directory": str(settings.analytics_dir), **asdict(snapshot)},
    }


def _early_warning(engine: Engine) -> dict[str, Any]:
    events = load_events(engine)
    alerts = run_rules(engine)
    return {"events": events, "alerts": alerts}
