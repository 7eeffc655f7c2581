import pytest
from fastapi.testclient import TestClient


def test_bolivia_resolves_with_its_codes_and_regions(client: TestClient) -> None:
    body = client.get("/api/v1/reference/countries/resolve", params={"name": "Bolivia (Plurinational State of)"}).json()
    (result,) = body["data"]
    assert {k: result[k] for k in ("iso3", "m49", "unodc_region", "unodc_subregion")} == {
        "iso3": "BOL",
        "m49": "068",
        "unodc_region": "Americas",
        "unodc_subregion": "South America",
    }


def test_an_unknown_name_lists_three_candidates(client: TestClient) -> None:
    (result,) = client.get("/api/v1/reference/countries/resolve", params={"name": "Narnia"}).json()["data"]
    assert not result["resolved"] and len(result["error"]["details"]) == 3


def test_conversion_names_its_factor_and_flags_an_unconfirmed_one(client: TestClient) -> None:
    params: dict[str, str | float] = {"quantity": 1000, "unit": "tablets", "drug": "ecstasy"}
    data = client.get("/api/v1/reference/convert", params=params).json()["data"]
    assert data["kilograms"] == pytest.approx(0.1)
    assert not data["confirmed"] and data["flags"][0]["code"] == "unconfirmed-factor"


def test_a_litre_is_a_confirmed_kilogram(client: TestClient) -> None:
    params: dict[str, str | float] = {"quantity": 2.5, "unit": "l", "drug": "Cocaine-type"}
    data = client.get("/api/v1/reference/convert", params=params).json()["data"]
    assert data["kilograms"] == pytest.approx(2.5) and data["confirmed"] and data["flags"] == []


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/reference/convert?quantity=1&unit=parsecs&drug=Heroin", 400, "bad-input"),
        ("/api/v1/reference/convert?quantity=-1&unit=kg&drug=Heroin", 422, "invalid-parameter"),
        ("/api/v1/reference/convert?quantity=1&unit=kg", 422, "invalid-parameter"),
        ("/api/v1/reference/colours", 404, "not-found"),
        ("/api/v1/reference/places/XXX", 404, "not-found"),
        ("/api/v1/reference/places?release=999", 200, None),
        ("/api/v1/reference/countries/resolve?name=France&year=1066", 422, "invalid-parameter"),
    ],
)
def test_bad_reference_requests(client: TestClient, path: str, status: int, code: str | None) -> None:
    response = client.get(path)
    assert response.status_code == status
    if code:
        assert response.json()["error"]["code"] == code
    else:
        assert response.json()["data"] == []


def test_vocabularies_are_listed_with_counts(client: TestClient) -> None:
    data = client.get("/api/v1/reference/vocabularies").json()["data"]
    assert {row["name"]: row["entries"] for row in data}["ungass_chapters"] == 7


@pytest.mark.parametrize("query", ["mephedrone", "4-MMC", "1189805-46-6", "YELGFTGWJGBAQU-UHFFFAOYSA-N"])
def test_a_substance_is_found_by_any_of_its_identifiers(client: TestClient, query: str) -> None:
    data = client.get("/api/v1/reference/substances/find", params={"q": query}).json()["data"]
    assert data["preferred_name"] == "Mephedrone" and data["inchikey"] == "YELGFTGWJGBAQU-UHFFFAOYSA-N"
    assert {"1971 Convention", "US CSA"} <= {control["regime"] for control in data["controls"]}


def test_an_unknown_substance_is_a_400_naming_close_names(client: TestClient) -> None:
    response = client.get("/api/v1/reference/substances/find", params={"q": "mephedrine"})
    assert response.status_code == 400 and "mephedrine" in response.json()["error"]["message"]


def test_population_is_served_from_the_store(client: TestClient) -> None:
    rows = client.get("/api/v1/reference/population", params={"country": ["BOL", "TUR"], "year": 2020}).json()["data"]
    assert [(row["country_iso3"], row["year"]) for row in rows] == [("BOL", 2020), ("TUR", 2020)]
    assert all(row["persons"] > 10_000_000 for row in rows)
