"""The demo: a records store initialised and loaded with real published data through the front door a country
uses (submit, validate, approve, accept, publish), and its analytics store built by the lifecycle.

The files are the WDR 2025 annex tables and dataUNODC extracts listed in ``datasets/demo/annex.csv``. Two named
system accounts act: one submits (and acknowledges warnings, which are the publisher's, not ours), another
approves, accepts and publishes, so four eyes see each file; every step is in the submission's history.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from observatory.access.policy import Principal, Role
from observatory.analytics.refresh import refresh_analytics
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.datasets import DEMO_ANNEX, DEMO_SEIZURES, POPULATION
from observatory.errors import SourceFileError
from observatory.ewa.alerts import issue_top, run_rules
from observatory.ewa.events import load_events
from observatory.policy.seed import load_policy_seed
from observatory.reference.countries import country_codes
from observatory.reference.release import latest_release, load_packaged_release
from observatory.reference.tables import read_table
from observatory.reporting.intake import load_population
from observatory.reporting.submit import DuplicateUpload, submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import upgrade
from observatory.store.schema import Population, SourceFile, Submission

#: The system accounts of the demo load: the one that submits and the one that reviews and publishes.
DEMO_SUBMITTER = Principal("system:demo-submitter (UNODC WDR 2025 annex, as published)", Role.ADMIN)
DEMO_PUBLISHER = Principal("system:demo-publisher", Role.ADMIN)
#: The analyst the demo issues early-warning alerts as, and why (recorded on each alert's history).
DEMO_ANALYST = Principal("system:demo-analyst", Role.ANALYST)
DEMO_ISSUED = 10
DEMO_ISSUE_REASON = (
    "Issued by the demo: the ten drafts the triage rules rank most severe (potency, controlled analogue, cluster "
    "size, signal)"
)
REFERENCE_ACTOR = "reference data shipped with the package"
ANNEX_COLUMNS = ("file", "dataset", "layout", "title")
ACKNOWLEDGED = "warnings of the file as UNODC published it; the demo loads it unchanged"
#: The steps that take a demo submission from where it stands to published.
RESUMABLE: dict[str, tuple[str, ...]] = {
    "submitted": ("acknowledge", "approve", "accept", "publish"),
    "validated": ("approve", "accept", "publish"),
    "approved": ("accept", "publish"),
}
#: Statuses of a demo file submitted before that the demo leaves as they are: published, or accepted (unpublished
#: by someone, with a reason: the demo does not undo a person's decision).
SETTLED = ("accepted", "published")


@dataclass(frozen=True, slots=True)
class Loaded:
    file: str
    dataset: str
    submission_id: int
    rows: int
    status: str
    already_loaded: bool


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
    """Submit and publish the demo files, and summarise what was loaded.

    ``seizures`` replaces the WDR 7.1 workbook of the annex list. ``early_warning`` also loads the NPS lists and
    drug-checking results as events and drafts alerts (~15 s).
    """
    engine = initialise(settings)
    try:
        loaded = [_publish(engine, settings, path, dataset, layout) for path, dataset, layout in _annex(seizures)]
        refresh_analytics(engine, settings.analytics_dir)
        policy = load_policy_seed(engine, settings.search_model)
        warnings = _early_warning(engine) if early_warning else None
        release = latest_release(engine)
        with engine.connect() as connection:
            population_rows = connection.scalar(select(func.count()).select_from(Population))
    finally:
        engine.dispose()
    store = AnalyticsStore(settings.analytics_dir)
    try:
        query = SeizureQuery(group_by=("drug_group", "year"), headline=True)
        totals = seizure_totals(store, query).to_pylist()
    finally:
        store.close()
    seizure_load = next(item for item in loaded if item.dataset == "annual-seizures")
    return {
        "seizures": {
            "rows": seizure_load.rows,
            "source_file": seizure_load.file,
            "submission_id": seizure_load.submission_id,
            "already_loaded": seizure_load.already_loaded,
            "unit": "kg",
            "basis": "headline figures under the WDR conventions (no plant material, no total beside its components)",
            "by_drug_group_year": [
                {key: row[key] for key in ("drug_group", "year", "kilograms", "records", "missing_records")}
                for row in totals
            ],
        },
        "submissions": [
            {
                "file": item.file,
                "dataset": item.dataset,
                "submission_id": item.submission_id,
                "rows": item.rows,
                "status": item.status,
                "already_loaded": item.already_loaded,
            }
            for item in loaded
        ],
        "population": {"rows": population_rows, "source_file": POPULATION.name},
        "reference_release": release.version if release else None,
        "policy": policy,
        "early_warning": warnings,
        "snapshot": {"directory": str(settings.analytics_dir)},
    }


def _annex(seizures: Path) -> list[tuple[Path, str, str | None]]:
    files = []
    for _, row in read_table(DEMO_ANNEX, ANNEX_COLUMNS, exact=True):
        path = seizures if row["dataset"] == "annual-seizures" else DEMO_ANNEX.parent / row["file"]
        files.append((path, row["dataset"], row["layout"] or None))
    return files


def _publish(engine: Engine, settings: Settings, path: Path, dataset: str, layout: str | None) -> Loaded:
    """Submit ``path`` as ``dataset`` and step it to published; a file already published is not loaded twice.

    A file that does not pass validation stops the demo with its errors, naming the file; like any submission with
    errors, it is kept as ``invalid`` with its report, and none of its values."""
    if not path.is_file():
        raise SourceFileError(f"{path}: file not found", [{"file": str(path)}])
    data = path.read_bytes()
    existing = _published(engine, data, dataset)
    if existing is not None:
        return Loaded(path.name, dataset, existing.id, existing.row_count, existing.status, already_loaded=True)
    try:
        result = submit_file(engine, DEMO_SUBMITTER, data, path.name, dataset, layout=layout)
    except DuplicateUpload as duplicate:
        # An earlier demo submitted this file and stopped before publishing it: carry on from where that
        # submission stands, as its uploader and publisher would.
        found = duplicate.details[0]
        submission_id, status, rows = int(found["submission_id"]), str(found["status"]), None
        if status in SETTLED:
            return Loaded(path.name, dataset, submission_id, _row_count(engine, submission_id), status, True)
    else:
        submission_id, status, rows = result.submission_id, result.status, result.report["rows"]
        if status not in RESUMABLE:
            problems = result.report.get("errors", [])[:3]
            messages = "; ".join(str(problem["message"]) for problem in problems)
            raise SourceFileError(f"{path}: demo file for {dataset} is {status}: {messages}", problems)
    if status not in RESUMABLE:
        raise SourceFileError(f"{path}: demo file for {dataset} was submitted before and is {status}", [])
    for action in RESUMABLE[status]:
        actor = DEMO_SUBMITTER if action == "acknowledge" else DEMO_PUBLISHER
        comment = ACKNOWLEDGED if action == "acknowledge" else None
        apply_step(engine, actor, submission_id, action, comment, analytics=settings.analytics_dir)
    if rows is None:
        rows = _row_count(engine, submission_id)
    return Loaded(path.name, dataset, submission_id, rows, "published", already_loaded=False)


def _row_count(engine: Engine, submission_id: int) -> int:
    with Session(engine) as session:
        submission = session.get(Submission, submission_id)
        return int(submission.row_count or 0) if submission is not None else 0


def _published(engine: Engine, data: bytes, dataset: str) -> Submission | None:
    digest = hashlib.sha256(data).hexdigest()
    with Session(engine, expire_on_commit=False) as session:
        return session.scalars(
            select(Submission)
            .join(SourceFile, SourceFile.id == Submission.source_file_id)
            .where(SourceFile.sha256 == digest, Submission.dataset == dataset, Submission.status == "published")
            .limit(1)
        ).first()


def _early_warning(engine: Engine) -> dict[str, Any]:
    events = load_events(engine)
    alerts = run_rules(engine)
    issued = issue_top(engine, DEMO_ANALYST, DEMO_ISSUED, DEMO_ISSUE_REASON)
    return {"events": events, "alerts": alerts, "issued": issued}
