"""Trafficking flows of individual seizures submitted through the real service and approved (both engines) equal
an independent computation from the submitted file: legs and whole routes, seizures and kilograms, statuses."""

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from observatory.analytics.seizure_flows import flows_record, seizure_flows
from observatory.analytics.store import AnalyticsStore
from observatory.errors import BadInput
from observatory.settings import Settings
from observatory.stats.flows import FlowOptions, Unit
from tests.stats.stores import SEIZURES, prepared
from tests.stores import BACKENDS, fresh_database_url

CODES = {
    "Colombia": "COL",
    "Panama": "PAN",
    "Netherlands": "NLD",
    "Spain": "ESP",
    "Ecuador": "ECU",
    "Belgium": "BEL",
    "Brazil": "BRA",
    "Portugal": "PRT",
    "Afghanistan": "AFG",
    "Iran (Islamic Republic of)": "IRN",
    "Türkiye": "TUR",
    "Bulgaria": "BGR",
    "Guatemala": "GTM",
    "Mexico": "MEX",
    "United States of America": "USA",
    "USA": "USA",
    "Pakistan": "PAK",
    "United Arab Emirates": "ARE",
    "United Kingdom": "GBR",
    "Morocco": "MAR",
}
#: Kilograms per unit as the reference table gives them (ecstasy tablets: the unconfirmed 0.1 g default); cocaine
#: in tablets has no factor.
KILOGRAMS = {("kg", None): 1.0, ("g", None): 0.001, ("l", None): 1.0, ("tablets", "Ecstasy"): 0.0001}
LABELS = {"Ecstasy": "“Ecstasy”-type substances"}
Key = tuple[str, int, tuple[str, ...]]


def independent(unit: Unit) -> dict[Key, tuple[int, float, int]]:
    """(drug, year, route) → (seizures, kilograms, seizures without kilograms), from the CSV text alone."""
    found: defaultdict[Key, list[float | None]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(SEIZURES)):
        path = [CODES[row["departure_country"]]] if row["departure_country"] else []
        path += [CODES[name.strip()] for name in row["transit_countries"].split(";") if name.strip()]
        path.append(CODES[row["destination_country"] or row["country"]])
        stops = [stop for i, stop in enumerate(path) if i == 0 or path[i - 1] != stop]
        if len(stops) < 2:
            continue
        factor = KILOGRAMS.get((row["unit"], None), KILOGRAMS.get((row["unit"], row["drug"])))
        kilograms = None if factor is None else float(row["quantity"]) * factor
        keys = [tuple(stops)] if unit is Unit.ROUTE else [tuple(pair) for pair in pairwise(stops)]
        for key in keys:
            found[(LABELS.get(row["drug"], row["drug"]), int(row["seizure_date"][:4]), key)].append(kilograms)
    return {
        key: (len(values), math.fsum(v for v in values if v is not None), sum(v is None for v in values))
        for key, values in found.items()
    }


def statuses(weights: dict[Key, tuple[int, float, int]], year: int) -> dict[tuple[str, tuple[str, ...]], str]:
    baseline = {drug for drug, when, _ in weights if when == year - 1}
    result = {}
    for (drug, when, route), (count, _, _) in weights.items():
        if when != year:
            continue
        before = weights.get((drug, year - 1, route))
        status = "no-baseline" if drug not in baseline else "new" if before is None else "continuing"
        if before and count / before[0] >= 2 and count >= 2:
            status = "growing"
        result[(drug, route)] = status
    return result


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalyticsStore]:
    folder = tmp_path_factory.mktemp(f"flows-{request.param}")
    for url in fresh_database_url(request.param, folder):
        settings: Settings = prepared(folder, url, national=False)
        analytics = AnalyticsStore(settings.analytics_dir)
        yield analytics
        analytics.close()


@pytest.mark.parametrize("unit", list(Unit))
def test_the_graph_equals_the_independent_computation(store: AnalyticsStore, unit: Unit) -> None:
    flows = seizure_flows(store, options=FlowOptions(unit))
    ours = {
        (row["drug"], row["year"], tuple(row["stops"])): (row["seizures"], row["kilograms"], row["unconverted"])
        for row in flows.graph.to_pylist()
    }
    expected = independent(unit)
    assert ours.keys() == expected.keys()
    for key, (count, kilograms, unconverted) in expected.items():
        assert ours[key][0] == count and ours[key][2] == unconverted, key
        assert math.isclose(ours[key][1], kilograms, rel_tol=1e-12), key


@pytest.mark.parametrize("unit", list(Unit))
def test_statuses_and_ranks_of_2023_equal_the_independent_computation(store: AnalyticsStore, unit: Unit) -> None:
    flows = seizure_flows(store, options=FlowOptions(unit))
    assert flows.year == 2023
    ours = {(row["drug"], tuple(row["stops"])): row["status"] for row in flows.routes}
    assert ours == statuses(independent(unit), 2023)
    cocaine = [row for row in flows.routes if row["drug"] == "Cocaine hydrochloride"]
    assert [row["rank"] for row in cocaine] == list(range(1, len(cocaine) + 1))
    assert [row["seizures"] for row in cocaine] == sorted((row["seizures"] for row in cocaine), reverse=True)


def test_the_flows_of_a_drug_and_an_earlier_year(store: AnalyticsStore) -> None:
    flows = seizure_flows(store, drugs=["Heroin"], year=2022)
    assert [row["route"] for row in flows.routes] == ["AFG → IRN", "IRN → TUR", "TUR → BGR"]
    assert {row["status"] for row in flows.routes} == {"no-baseline"}


def test_the_record_cites_the_submission_and_the_unconfirmed_thresholds(store: AnalyticsStore) -> None:
    record = flows_record(seizure_flows(store))
    assert record["meta"]["year"] == 2023 and {c["confirmed"] for c in record["meta"]["constants"]} == {False}
    assert {i["id"] for figure in record["data"] for i in figure["inputs"]} == {"individual-seizures/submission-1"}
    assert "1 seizure(s) without a route: fewer than two countries known" in record["meta"]["notes"]
    assert {row["year"] for row in record["graph"]} == {2022, 2023}


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"drugs": ["Khat"]}, "no approved individual seizure of Khat"),
        ({"year": 2015}, "no individual seizure with a route in 2015"),
    ],
)
def test_a_request_for_what_is_not_there_is_refused(
    store: AnalyticsStore, arguments: dict[str, Any], named: str
) -> None:
    with pytest.raises(BadInput) as raised:
        seizure_flows(store, **arguments)
    assert named in raised.value.message
