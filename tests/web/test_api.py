import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.wdr_table import DRUG_GROUP, REGION, YEAR, independent_totals


@pytest.mark.parametrize(
    ("group_by", "columns"), [("drug_group,year", (DRUG_GROUP, YEAR)), ("region,year", (REGION, YEAR))]
)
def test_seizure_totals_equal_the_workbook_summed_independently(
    client: TestClient, group_by: str, columns: tuple[int, ...]
) -> None:
    response = client.get("/api/v1/seizures", params={"group_by": group_by})
    assert response.status_code == 200
    body = response.json()
    names = group_by.split(",")
    ours = {tuple(row[name] for name in names): row["kilograms"] for row in body["data"]}
    expected = independent_totals(*columns)
    assert ours.keys() == expected.keys()
    assert all(math.isclose(ours[key], value, rel_tol=1e-12) for key, value in expected.items())
    assert body["meta"]["unit"] == "kg" and body["meta"]["rows"] == len(expected)
    assert body["meta"]["snapshot"], "the figures name the snapshot they come from"


def test_filters_combine(client: TestClient) -> None:
    params: dict[str, Any] = {
        "group_by": "country,year",
        "drug_group": ["Cocaine-type", "Opioids"],
        "year": [2022, 2023],
        "region": "Americas",
    }
    rows = client.get("/api/v1/seizures", params=params).json()["data"]
    assert rows and {row["year"] for row in rows} == {2022, 2023}
    assert set(rows[0]) == {"country_iso3", "country", "year", "kilograms", "records", "missing_records"}


def test_dimensions_list_the_accepted_values(client: TestClient) -> None:
    body = client.get("/api/v1/seizures/dimensions").json()
    assert "Cocaine-type" in body["data"]["drug_group"] and body["meta"]["years"] == [2019, 2023]


@pytest.mark.parametrize(
    ("query", "status", "code", "named"),
    [
        ("group_by=colour", 400, "bad-input", "colour"),
        ("drug_group=Cocaine", 400, "bad-input", "Cocaine-type"),
        ("year=1999", 400, "bad-input", "2019–2023"),
        ("year=twenty", 422, "invalid-parameter", "twenty"),
        ("grup_by=region", 400, "unknown-parameter", "group_by"),
        ("country=Narnia", 400, "bad-input", "Narnia"),
    ],
)
def test_bad_requests_get_a_4xx_naming_the_value(
    client: TestClient, query: str, status: int, code: str, named: str
) -> None:
    response = client.get(f"/api/v1/seizures?{query}")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and named in error["message"]


def test_openapi_is_served_under_the_api_prefix(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/seizures" in spec["paths"]


def test_completeness_counts_the_demo_countries(client: TestClient) -> None:
    body = client.get("/api/v1/completeness", params={"dataset": "annual-seizures", "year": 2023}).json()
    received = {row["country_iso3"] for row in body["data"] if row["status"] == "received"}
    assert len(received) == body["meta"]["received"] and "COM" in received
    assert body["meta"]["expected"] == len(body["data"]) > body["meta"]["received"]


def test_completeness_of_an_unknown_round_is_a_404(client: TestClient) -> None:
    response = client.get("/api/v1/completeness", params={"dataset": "annual-seizures", "year": 1990})
    assert response.status_code == 404 and "annual-seizures 2023" in response.json()["error"]["message"]
