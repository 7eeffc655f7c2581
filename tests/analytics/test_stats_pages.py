"""The statistics pages, server-rendered: figures with interval, method and flags, and an explanation page."""

from urllib.parse import quote

from fastapi.testclient import TestClient


def test_the_page_lists_each_drug_group_with_its_trend(client: TestClient) -> None:
    page = client.get("/statistics").text
    assert page.count('<th scope="row">') >= 22, "a row per drug group in the year table and in the summary"
    assert 'data-table="trend-by-group"' in page and 'id="trend-by-group"' in page
    assert "/statistics/explain?id=seizures.cagr/drug_group%3DCocaine-type/2019-2023" in page


def test_a_calculator_shows_its_figure_with_interval_method_and_flags(client: TestClient) -> None:
    page = client.get("/statistics", params={"benchmark": "2,000", "proportion": "0.25", "proportion_low": "0.2"}).text
    assert '<strong class="value">8,000</strong>' in page and "8,000 – 10,000" in page
    assert "Unconfirmed method" in page and "unconfirmed-method" in page


def test_a_calculator_refuses_bad_input_beside_its_form(client: TestClient) -> None:
    response = client.get("/statistics", params={"n1": "100", "n2": "80", "m": "0"})
    assert response.status_code == 200
    assert 'role="alert" id="capture-result"><p>no overlap' in response.text
    assert "must be a number" in client.get("/statistics", params={"benchmark": "many", "proportion": "0.2"}).text


def test_the_explanation_page_recomputes_the_figure(client: TestClient) -> None:
    figure_id = "seizures.total/drug_group=Opioids,region=Europe/2021"
    page = client.get(f"/statistics/explain?id={quote(figure_id)}").text
    assert "the same value as published" in page
    assert "annual-seizures/submission-1</code>, vintage 1" in page


def test_a_misspelt_parameter_is_an_error_page(client: TestClient) -> None:
    response = client.get("/statistics?benchmrk=1", headers={"accept": "text/html"})
    assert response.status_code == 400 and "benchmrk" in response.text
