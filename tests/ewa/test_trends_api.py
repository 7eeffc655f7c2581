"""Trends on the API and the pages, over the shipped event sources on each engine."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

HTML = {"accept": "text/html"}


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/ewa/{path}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_spread_counts_each_substance_once_as_new(events_client: TestClient) -> None:
    spread = get(events_client, "spread", by="family", run_years=2)
    total = get(events_client, "spread/substances", limit=1)["meta"]["total"]
    rows = spread["results"]
    assert sum(row["new"] for row in rows if row["group"] == "all") == total
    assert sum(row["new"] for row in rows if row["group"] != "all") == total
    assert set(spread["meta"]["columns"]) == {"new", "reported", "persistent", "countries"}
    assert all(row["persistent"] <= row["reported"] for row in rows)
    years = sorted({row["year"] for row in rows})
    assert years == list(range(years[0], years[-1] + 1)) and years[-1] == 2024


def test_spread_by_unodc_group_is_labelled(events_client: TestClient) -> None:
    rows = get(events_client, "spread", by="group")["results"]
    labels = {row["group"]: row["label"] for row in rows}
    assert labels["synthetic_cannabinoids"] == "Synthetic cannabinoids" and labels["all"] == "All groups"


def test_substances_by_countries_add_up(events_client: TestClient) -> None:
    bands = get(events_client, "spread/countries")["results"]
    substances = get(events_client, "spread/substances", limit=1000)["results"]
    reported = [s for s in substances if s["countries"]]
    assert sum(row["substances"] for row in bands if row["group"] == "all") == len(reported)
    assert sum(row["substances"] for row in bands if row["group"] != "all") == len(reported)
    widest = substances[0]
    assert len(widest["countries"]) == max(len(s["countries"]) for s in substances) >= 10
    assert widest["countries"][0]["first_seen"] == min(c["first_seen"] for c in widest["countries"])
    assert all(c["name"] for c in widest["countries"])


def test_persistence_pooled_and_by_cohort(events_client: TestClient) -> None:
    pooled = get(events_client, "persistence", horizon=3)
    cohorts = get(events_client, "persistence", horizon=3, by_cohort="true")["results"]
    assert [row["years_after"] for row in pooled["results"]] == [1, 2, 3]
    assert pooled["meta"]["observed_until"] == 2018
    for row in pooled["results"]:
        same = [c for c in cohorts if c["years_after"] == row["years_after"]]
        assert row["substances"] == sum(c["substances"] for c in same)
        assert row["still_reported"] == sum(c["still_reported"] for c in same)
    assert max(c["cohort"] + c["years_after"] for c in cohorts) == 2018


def test_group_signals_show_the_method_and_only_alarms_when_asked(events_client: TestClient) -> None:
    every = get(events_client, "signals/groups", by="family")
    alarms = get(events_client, "signals/groups", by="family", alarms_only="true")
    assert every["method"] == "farrington" and every["parameters"]["threshold_method"] == "nbPlugin"
    assert 0 < len(alarms["results"]) < len(every["results"])
    assert all(result["alarm_months"] for result in alarms["results"])
    months = [period for period in alarms["results"][0]["periods"] if period["alarm"]]
    assert months and all(p["observed"] > p["upper_bound"] for p in months)


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("spread", {"by": "decade"}, 400),
        ("spread", {"run_years": 0}, 422),
        ("spread", {"bye": "family"}, 400),
        ("persistence", {"horizon": "five"}, 422),
        ("signals/groups", {"by": "country"}, 400),
    ],
)
def test_bad_parameters_are_refused_with_the_error_shape(
    events_client: TestClient, path: str, params: dict[str, Any], status: int
) -> None:
    response = events_client.get(f"/api/v1/ewa/{path}", params=params)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_the_pages_hold_the_tables_their_charts_are_drawn_from(events_client: TestClient) -> None:
    overview = events_client.get("/ewa", headers=HTML)
    assert overview.status_code == 200 and 'id="group-signals"' in overview.text
    assert "Improved Farrington" in overview.text and 'href="/ewa/trends"' in overview.text
    trends = events_client.get("/ewa/trends", params={"by": "group", "run_years": 4}, headers=HTML)
    for table in ("reported-by-group", "countries-by-group", "spread-totals", "country-bands", "persistence", "widest"):
        assert f'id="{table}"' in trends.text
    assert "Persistent (4+ consecutive years)" in trends.text and "Synthetic cathinones" in trends.text
    refused = events_client.get("/ewa/trends", params={"by": "decade"}, headers=HTML)
    assert refused.status_code == 400 and "<html" in refused.text
