"""Headline seizure figures follow the WDR conventions (METHODS.md §3): computed from table 7.1 as the demo submits
and publishes it, they equal the World Drug Report 2025's own headlines, and ``explain`` recomputes them."""

import math

import pytest
from sqlalchemy import Engine

from observatory.analytics.figures import explain_figure
from observatory.analytics.seizure_figures import seizure_trends
from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.analytics.store import AnalyticsStore
from observatory.settings import Settings
from observatory.stats.figure import FlagCode
from observatory.store.engine import make_engine

COCAINE = "Cocaine-type"
CANNABIS = "Cannabis-type drugs (excluding synthetic cannabinoids)"


@pytest.fixture
def analytics(demo_settings: Settings) -> AnalyticsStore:
    return AnalyticsStore(demo_settings.analytics_dir)


@pytest.fixture
def records(demo_settings: Settings) -> Engine:
    return make_engine(demo_settings.records_url)


def totals(store: AnalyticsStore, group: str) -> dict[int, float]:
    (trend,) = seizure_trends(store, [group])
    return {row["year"]: row["value"] for row in trend.table.to_pylist()}


@pytest.mark.parametrize(
    ("group", "year", "expected", "plain"),
    [
        # WDR 2025: 2,275 tons of cocaine seized in 2023; the plain sum adds 17.0 Mt of coca bush and the totals twice.
        (COCAINE, 2023, 2_274_698, 20_732_514),
        (COCAINE, 2021, 2_026_382, 2_881_822),
        (CANNABIS, 2023, 7_021_030, 27_500_000),
    ],
)
def test_headline_equals_the_wdr_figure(
    analytics: AnalyticsStore, group: str, year: int, expected: float, plain: float
) -> None:
    assert math.isclose(totals(analytics, group)[year], expected, rel_tol=0.005)
    reported = seizure_totals(analytics, SeizureQuery(("year",), {"drug_group": (group,), "year": (year,)}))
    assert reported["kilograms"][0].as_py() == pytest.approx(plain, rel=0.01)


def test_the_api_query_rebuilds_the_headline_with_its_marks(analytics: AnalyticsStore) -> None:
    filters: dict[str, tuple[str | int | bool, ...]] = {"drug_group": (COCAINE,), "year": (2023,)}
    headline = seizure_totals(analytics, SeizureQuery(("year",), filters, headline=True))
    plants = seizure_totals(analytics, SeizureQuery(("plant_material",), filters)).to_pylist()
    assert headline["kilograms"][0].as_py() == pytest.approx(totals(analytics, COCAINE)[2023], rel=1e-12)
    by_mark = {row["plant_material"]: row["kilograms"] for row in plants}
    assert by_mark[True] > 17_000_000  # coca bush and leaf: their own series, never in the headline


def test_a_total_that_differs_from_its_components_is_flagged(analytics: AnalyticsStore) -> None:
    (trend,) = seizure_trends(analytics, [COCAINE])
    flags = {item.id.years[0]: item.figure.flag_codes for item in trend.figures if item.id.kind == "seizures.total"}
    assert FlagCode.TOTAL_DIFFERS in flags[2021]
    assert FlagCode.UNCONFIRMED_CONSTANT in flags[2021]  # the max rule is [U]
    assert FlagCode.TOTAL_DIFFERS not in flags[2019]  # 2019 reports no cocaine total
    assert any("plant material left out" in note for note in trend.notes)


def test_explain_lists_what_is_left_out_and_recomputes_the_headline(analytics: AnalyticsStore, records: Engine) -> None:
    explanation = explain_figure(analytics, records, f"seizures.total/drug_group={COCAINE}/2023")
    left_out = [row for row in explanation.rows if row["headline"] is False]
    assert {row["drug"] for row in left_out if row["plant_material"]} == {"Coca bush", "Coca leaf"}
    assert any(row["reported_total"] for row in explanation.rows)
    assert explanation.matches
    assert explanation.recomputed.value == pytest.approx(2_274_697.8, rel=1e-6)
    assert any("TOTAL" in step.upper() for step in explanation.steps) or explanation.constants
