"""Figures from the snapshots equal independent sums of the WDR 7.1 workbook, cite their submissions with vintages,
and every one of them explains to the same value.

Seizure figures are headline figures: they follow the WDR conventions (no plant material, a reported total never
beside its own components), so they equal ``independent_headline_totals``, not the workbook's plain sums (which
``test_seizures`` checks against the query API, which still returns every row as reported)."""

import math
import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine

from observatory.analytics.figures import (
    explain_figure,
    population_for,
    prevalence,
    seizure_area_totals,
    seizure_trends,
)
from observatory.analytics.prevalence_population import total_population_for
from observatory.analytics.store import POPULATION, AnalyticsStore
from observatory.errors import BadInput, NotFound
from observatory.stats.figure import FlagCode
from tests.wdr_table import DRUG_GROUP, REGION, SUBREGION, YEAR, independent_headline_totals, independent_totals


def test_totals_and_trends_equal_the_workbook_summed_independently(analytics: AnalyticsStore) -> None:
    trends = seizure_trends(analytics)
    expected = independent_headline_totals(DRUG_GROUP, YEAR)
    totals = {
        (trend.drug_group, item.id.years[0]): item.figure.value
        for trend in trends
        for item in trend.figures
        if item.id.kind == "seizures.total"
    }
    assert {key for key, value in expected.items() if value} <= set(totals)
    assert all(math.isclose(totals[key], expected[key], rel_tol=1e-12) for key in totals)
    # The conventions change what is counted: cocaine 2023 is the WDR 2025 headline (2,275 t), not the plain sum of
    # 20.7 Mt, which adds 17.0 Mt of coca bush and the cocaine total beside its own components.
    assert totals["Cocaine-type", 2023] == pytest.approx(2_274_697.8, rel=1e-8)
    assert independent_totals(DRUG_GROUP, YEAR)["Cocaine-type", 2023] == pytest.approx(20_732_513.6, rel=1e-8)
    for trend in trends:
        growth = [item for item in trend.figures if item.id.kind == "seizures.cagr"]
        if not growth:
            assert trend.notes, trend.drug_group
            continue
        (item,) = growth
        assert item.id.period is not None
        start, end = item.id.period
        independent = (expected[trend.drug_group, end] / expected[trend.drug_group, start]) ** (1 / (end - start)) - 1
        assert math.isclose(item.figure.value, independent, rel_tol=1e-9)


def test_year_on_year_changes_equal_the_workbook(analytics: AnalyticsStore) -> None:
    (trend,) = seizure_trends(analytics, ["Cocaine-type"])
    expected = independent_headline_totals(DRUG_GROUP, YEAR)
    changes = {int(i.id.years[0]): i.figure.value for i in trend.figures if i.id.kind == "seizures.yoy"}
    assert sorted(changes) == [2020, 2021, 2022, 2023]
    for year, change in changes.items():
        before, now = expected["Cocaine-type", year - 1], expected["Cocaine-type", year]
        assert math.isclose(change, (now - before) / before, rel_tol=1e-9)
    assert trend.table.column("status").to_pylist() == ["first-year", "ok", "ok", "ok", "ok"]


def test_area_totals_equal_the_workbook_and_the_sum_of_their_countries(analytics: AnalyticsStore) -> None:
    regions = independent_headline_totals(REGION, DRUG_GROUP, YEAR)
    subregions = independent_headline_totals(SUBREGION, DRUG_GROUP, YEAR)
    world = independent_headline_totals(DRUG_GROUP, YEAR)
    for group in ("Cocaine-type", "Opioids", "Cannabis-type drugs (excluding synthetic cannabinoids)"):
        items, checks = seizure_area_totals(analytics, group, 2022)
        assert checks and all(check.equal for check in checks)
        for item in items:
            labels = dict(item.figure.dimensions)
            level, area = labels["level"], labels["area"]
            table = {"region": regions, "subregion": subregions}.get(level)
            expected = world[group, 2022] if table is None else table[area, group, 2022]
            assert math.isclose(item.figure.value, expected, rel_tol=1e-12), (level, area)


def test_every_seizure_figure_cites_the_submission_and_explains_to_the_same_value(
    analytics: AnalyticsStore, records: Engine
) -> None:
    items = [item for trend in seizure_trends(analytics) for item in trend.figures]
    items += seizure_area_totals(analytics, "Opioids", 2023)[0]
    assert len(items) > 120
    for item in items:
        assert [(ref.id.split("/")[0], ref.vintage) for ref in item.figure.inputs] == [("annual-seizures", "1")]
        explanation = explain_figure(analytics, records, str(item.id))
        assert explanation.figure == item.figure
        assert explanation.matches and explanation.recomputed.value == item.figure.value, str(item.id)


def test_prevalence_rolls_national_estimates_up_to_the_world(analytics: AnalyticsStore, records: Engine) -> None:
    persons = population_for(analytics, 2023)
    result = prevalence(analytics, persons, "Cocaine", 2023)
    figures = {
        (dict(i.figure.dimensions)["level"], dict(i.figure.dimensions)["area"], dict(i.figure.dimensions)["measure"]): i
        for i in result.figures
    }
    west = figures["subregion", "West and Central Africa", "prevalence"].figure
    weighted = (0.5 * persons["GHA"] + 0.7 * persons["NGA"]) / (persons["GHA"] + persons["NGA"])
    assert math.isclose(west.value, weighted, rel_tol=1e-12)
    assert FlagCode.UNCONFIRMED_CONSTANT in west.flag_codes and FlagCode.IMPUTED in west.flag_codes
    covered = figures["global", "World", "population-covered"].figure.value
    reporting = sum(persons[code] for code in ("GHA", "NGA", "KEN", "FRA", "ESP", "USA"))
    assert math.isclose(covered, reporting / sum(row["population"] for row in result.national), rel_tol=1e-12)
    assert any("ESP: range" in note for note in result.notes)
    spain = next(row for row in result.national if row["country"] == "ESP")
    assert (spain["best"], spain["low"], spain["high"]) == (2.4, None, None)
    for key in (("region", "Africa", "users"), ("global", "World", "prevalence")):
        item = figures[key]
        explanation = explain_figure(analytics, records, str(item.id))
        assert explanation.matches and explanation.recomputed.value == item.figure.value


def test_a_drug_without_estimates_names_those_with(analytics: AnalyticsStore) -> None:
    with pytest.raises(BadInput, match="drugs with estimates: Cannabis, Cocaine"):
        prevalence(analytics, population_for(analytics, 2023), "Heroin", 2023)
    with pytest.raises(BadInput, match="no value for 1800"):
        population_for(analytics, 1800)


def test_a_figure_the_data_do_not_hold_is_not_found(analytics: AnalyticsStore, records: Engine) -> None:
    with pytest.raises(NotFound, match=r"no figure seizures\.total/drug_group=Cocaine-type/2030"):
        explain_figure(analytics, records, "seizures.total/drug_group=Cocaine-type/2030")


def test_the_population_is_the_snapshots_read_again_only_when_it_changes(
    analytics: AnalyticsStore, tmp_path: Path
) -> None:
    copy = tmp_path / "analytics"
    shutil.copytree(analytics.directory, copy)
    store = AnalyticsStore(copy)
    try:
        written = pq.read_table(copy / POPULATION)
        assert store.population() is store.population()  # kept in memory while the file stays the same
        doubled = written.set_column(
            written.schema.get_field_index("persons"), "persons", pc.multiply(written["persons"], 2)
        )
        pq.write_table(doubled, copy / "next.parquet")
        (copy / "next.parquet").replace(copy / POPULATION)  # as a refresh writes it: a new file renamed over
        before = population_for(analytics, 2023)
        after = population_for(store, 2023)
        assert after.total["GHA"] == 2 * before.total["GHA"]  # the snapshot's, not the records store's
        assert store.state_key() != analytics.state_key()
        (copy / POPULATION).unlink()
        with pytest.raises(BadInput, match="no population yet: refresh it"):
            population_for(store, 2023)
    finally:
        store.close()


def test_a_year_the_population_lacks_is_named(analytics: AnalyticsStore) -> None:
    with pytest.raises(BadInput, match="the population has no figures for 1800"):
        total_population_for(analytics, 1800)
