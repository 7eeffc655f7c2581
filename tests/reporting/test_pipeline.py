"""One pipeline: a country's file, submitted and stepped to published, is in the seizure figures and the query API
at once, for the public; approved but not published, only analysts see it; unpublished, it is gone again."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.analytics.seizure_figures import seizure_trends
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.demo import initialise
from observatory.errors import BadInput
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from observatory.store.serving import Audience

UPLOADER = Principal("ind-focal-point", Role.FOCAL_POINT, frozenset({"IND"}))
REVIEWER = Principal("reviewer", Role.ADMIN)
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids),Cannabis herb (marijuana),Cannabis herb (marijuana)"
INDIA = f"""country,drug_group,drug_subgroup,drug,year,kilograms
India,{CANNABIS},2024,1234.5
India,Opioids,Opiates,Heroin,2024,88
India,Opioids,Opiates,Poppy plants,2024,5000
""".encode()


@pytest.fixture
def records(database_url: str, tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url)
    engine = initialise(settings)
    yield engine, settings.analytics_dir
    engine.dispose()


def kilograms(analytics: Path, audience: Audience = Audience.PUBLIC, headline: bool = False) -> dict[str, float]:
    store = AnalyticsStore(analytics).for_audience(audience)
    query = SeizureQuery(("drug",), {"country": ("IND",)}, headline=headline)
    try:
        return {row["drug"]: row["kilograms"] for row in seizure_totals(store, query).to_pylist()}
    finally:
        store.close()


def test_a_published_file_reaches_every_figure_and_leaves_them_when_unpublished(records: tuple[Engine, Path]) -> None:
    engine, analytics = records
    result = submit_file(engine, UPLOADER, INDIA, "india-2024.csv", "annual-seizures", country="IND")
    assert result.status in ("validated", "submitted"), result.report
    if result.status == "submitted":
        apply_step(engine, UPLOADER, result.submission_id, "acknowledge", "checked", analytics=analytics)
    apply_step(engine, REVIEWER, result.submission_id, "approve", analytics=analytics)
    assert kilograms(analytics) == {}  # approved: not yet for the public
    assert kilograms(analytics, Audience.ANALYST)["Heroin"] == 88
    apply_step(engine, REVIEWER, result.submission_id, "accept", analytics=analytics)
    apply_step(engine, REVIEWER, result.submission_id, "publish", analytics=analytics)
    assert kilograms(analytics) == {"Cannabis herb (marijuana)": 1234.5, "Heroin": 88, "Poppy plants": 5000}
    assert "Poppy plants" not in kilograms(analytics, headline=True)  # plant material: its own series
    store = AnalyticsStore(analytics)
    (trend,) = seizure_trends(store, ["Opioids"])
    last = trend.table.to_pylist()[-1]
    assert (last["year"], last["value"]) == (2024, 88)
    store.close()
    apply_step(engine, REVIEWER, result.submission_id, "unpublish", "withdrawn to correct a value", analytics=analytics)
    assert kilograms(analytics) == {}
    assert kilograms(analytics, Audience.ANALYST)["Heroin"] == 88  # accepted: analysts still see it


def test_unpublish_needs_a_reason(records: tuple[Engine, Path]) -> None:
    engine, analytics = records
    result = submit_file(engine, UPLOADER, INDIA, "india-2024.csv", "annual-seizures", country="IND")
    if result.status == "submitted":
        apply_step(engine, UPLOADER, result.submission_id, "acknowledge", "checked", analytics=analytics)
    for action in ("approve", "accept", "publish"):
        apply_step(engine, REVIEWER, result.submission_id, action, analytics=analytics)
    with pytest.raises(BadInput, match="comment"):
        apply_step(engine, REVIEWER, result.submission_id, "unpublish", analytics=analytics)
