"""Country profiles, maps and the data browser over the demo (both engines), and the map geometry they draw."""

import csv
import io
import math
import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from observatory.analytics.store import MANIFEST
from observatory.reference.geography import place
from observatory.web.map_geometry import cut, project, world
from observatory.web.map_pages import SHADES, breaks
from tests.web.test_error_shape import assert_error_shape

SDMX_CSV = {"accept": "application/vnd.sdmx.data+csv;version=2.0.0"}
DISCLAIMER = "do not imply official endorsement or acceptance by the United Nations"


def test_colombia_profile_has_a_map_and_the_seizures_of_the_api(client: TestClient) -> None:
    page = client.get("/countries/COL")
    assert page.status_code == 200
    html = page.text
    assert '<h1 lang="en">Colombia</h1>' in html and DISCLAIMER in html
    assert re.search(r'<path d="[^"]+" fill="[^"]+" data-iso3="COL"[^>]*class="highlighted"', html)
    api = "/api/v1/seizures?group_by=drug_group,year&country=COL&headline=true"
    rows = client.get(api).json()["data"]
    cocaine = next(row for row in rows if row["drug_group"].startswith("Cocaine") and row["year"] == 2023)
    assert f'data-value="{cocaine["kilograms"]}"' in html
    assert f'href="{api.replace("&", "&amp;")}&amp;format=csv"' in html
    downloaded = list(csv.DictReader(io.StringIO(client.get(f"{api}&format=csv").text)))
    assert len(downloaded) == len(rows)
    for section in ("illicit crop cultivation", "drug prices", "prevalence of drug use"):
        assert section in html.lower()


def test_profile_tables_download_and_match_sdmx(client: TestClient) -> None:
    html = client.get("/countries/COL").text
    link = re.search(r'href="(/api/v1/published/PREVALENCE\?[^"]+)&amp;format=csv"', html)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    rows = client.get(url).json()["data"]
    text = client.get(f"{url}&format=csv").text
    assert len(list(csv.DictReader(io.StringIO(text)))) == len(rows)
    sdmx = client.get("/api/v1/sdmx/rest/data/PREVALENCE/A.COL.........", headers=SDMX_CSV).text
    assert len(list(csv.DictReader(io.StringIO(sdmx)))) == sum(row["observations"] for row in rows)


@pytest.mark.parametrize("name", ["Colombia", "170", "CO"])
def test_country_names_redirect_to_the_iso3_profile(client: TestClient, name: str) -> None:
    response = client.get(f"/countries/{name}", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/countries/COL"


def test_unknown_country_is_404(client: TestClient) -> None:
    response = client.get("/countries/XXX", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown-country"


def test_country_list_and_right_to_left(client: TestClient) -> None:
    assert 'href="/countries/COL"' in client.get("/countries").text
    assert 'dir="rtl"' in client.get("/countries/COL?lang=ar").text


def test_published_api_sums_as_sdmx(client: TestClient) -> None:
    answer = client.get("/api/v1/published/ANNUAL_SEIZURES?group_by=REF_AREA&start=2023&end=2023").json()
    assert answer["meta"]["summed"] is True and answer["meta"]["group_by"] == ["REF_AREA"]
    text = client.get("/api/v1/sdmx/rest/data/ANNUAL_SEIZURES/all?startPeriod=2023&endPeriod=2023", headers=SDMX_CSV)
    total = math.fsum(float(row["OBS_VALUE"] or 0) for row in csv.DictReader(io.StringIO(text.text)))
    assert math.fsum(row["value"] or 0 for row in answer["data"]) == pytest.approx(total, rel=1e-9)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/api/v1/published/ANNUAL_SEIZURES?group_by=REF_AREA&start=2023&end=2023&format=csv").text
            )
        )
    )
    assert [row["ref_area"] for row in csv_rows] == [row["ref_area"] for row in answer["data"]]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/published/ANNUAL_SEIZURES?key=A.XXX...", 400, "unknown-code"),
        ("/api/v1/published/ANNUAL_SEIZURES?key=A.COL", 400, "sdmx-syntax"),
        ("/api/v1/published/ANNUAL_SEIZURES?group_by=COLOUR", 400, "unknown-dimension"),
        ("/api/v1/published/PREVALENCE?group_by=REF_AREA", 400, "not-additive"),
        ("/api/v1/published/NOPE", 404, "unknown-dataflow"),
        ("/api/v1/published/ANNUAL_SEIZURES?format=pdf", 400, "bad-input"),
        ("/data?colour=blue", 400, "unknown-parameter"),
        ("/data?dataset=NOPE", 404, "unknown-dataflow"),
    ],
)
def test_bad_selections_are_4xx(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == status
    assert_error_shape(response.json())
    assert response.json()["error"]["code"] == code


def test_data_browser_shows_table_map_and_downloads(client: TestClient) -> None:
    html = client.get("/data?dataset=ANNUAL_SEIZURES&group_by=REF_AREA&DRUG_GROUP=COCAINE-TYPE&start=2021").text
    assert 'id="selection-map"' in html and DISCLAIMER in html and 'table class="numbers" id="selection"' in html
    for name in ("csv", "xlsx", "parquet"):
        link = "/api/v1/published/ANNUAL_SEIZURES?key=..COCAINE-TYPE..&amp;group_by=REF_AREA&amp;start=2021"
        assert f'href="{link}&amp;format={name}"' in html
    assert 'href="/api/v1/sdmx/rest/data/ANNUAL_SEIZURES/..COCAINE-TYPE..?startPeriod=2021' in html
    xlsx = client.get("/api/v1/published/ANNUAL_SEIZURES?key=A..COCAINE-TYPE..&group_by=REF_AREA&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_several_codes_in_the_downloads(client: TestClient) -> None:
    html = client.get("/data?dataset=ANNUAL_SEIZURES&group_by=REF_AREA&REF_AREA=COL&REF_AREA=PER").text
    link = re.search(r'href="(/api/v1/published/ANNUAL_SEIZURES\?key=[^"]+)&amp;format=csv"', html)
    assert link is not None and "%2B" in link.group(1)
    rows = client.get(link.group(1).replace("&amp;", "&")).json()["data"]
    assert {row["ref_area"] for row in rows} == {"COL", "PER"}


def test_a_selection_that_does_not_add_up_says_so_on_the_page(client: TestClient) -> None:
    response = client.get("/data?dataset=PREVALENCE&group_by=REF_AREA")
    assert response.status_code == 400 and "do not add up" in response.text
    assert client.get("/data?dataset=PREVALENCE&REF_AREA=COL").status_code == 200


def test_world_map(client: TestClient) -> None:
    html = client.get("/maps?dataset=ANNUAL_SEIZURES&DRUG_GROUP=COCAINE-TYPE&year=2023").text
    assert html.count("<path ") == len(world("110m").areas) and DISCLAIMER in html
    assert 'data-iso3="COL"' in html and 'href="/countries/COL"' in html
    assert client.get("/maps?dataset=PREVALENCE").status_code == 400


def test_shipped_shapes_are_known_places() -> None:
    for scale in ("110m", "50m"):
        shapes = world(scale)
        assert {"COL", "CHN", "SRB", "XKX", "ESH"} <= set(shapes.areas)
        for code in shapes.areas:
            assert place(code).iso3 == code
    assert "SGP" in world("50m").areas


def test_equal_earth_projection_and_antimeridian_cut() -> None:
    assert project(0, 0) == pytest.approx((500, 0))
    assert project(-180, 0)[0] == pytest.approx(0, abs=1e-3) and project(180, 0)[0] == pytest.approx(1000)
    ring = [(170.0, 10.0), (-170.0, 10.0), (-170.0, 20.0), (170.0, 20.0), (170.0, 10.0)]
    parts = cut(ring)
    assert len(parts) == 2
    assert all(all(-180 <= lon <= 180 for lon, _ in part) for part in parts)
    assert {round(max(lon for lon, _ in part)) for part in parts} == {180, -170}


@given(st.lists(st.floats(min_value=0.001, max_value=1e9, allow_nan=False), min_size=1, max_size=300))
def test_breaks_are_ascending_and_end_at_the_maximum(values: list[float]) -> None:
    bounds = breaks(values)
    assert bounds == sorted(set(bounds)) and bounds[-1] == max(values) and len(bounds) <= len(SHADES)


def test_updated_after_keeps_observations_received_later(client: TestClient) -> None:
    manifest = pq.read_table(client.app.state.settings.analytics_dir / MANIFEST).to_pylist()  # type: ignore[attr-defined]
    seizures = [row for row in manifest if row["dataset"] == "annual-seizures" and row["status"] == "published"]
    newest = max(datetime.fromisoformat(row["created_at"]) for row in seizures)
    url = "/api/v1/sdmx/rest/data/ANNUAL_SEIZURES/all?startPeriod=2023&endPeriod=2023"
    everything = client.get(url, headers=SDMX_CSV).text
    before = quote((newest - timedelta(seconds=1)).isoformat())
    earlier = client.get(f"{url}&updatedAfter={before}", headers=SDMX_CSV)
    assert earlier.status_code == 200 and len(earlier.text) <= len(everything)
    assert client.get(f"{url}&updatedAfter=2000-01-01", headers=SDMX_CSV).text == everything
    later = client.get(f"{url}&updatedAfter={quote(newest.isoformat())}", headers={"accept": "application/json"})
    assert later.status_code == 404 and later.json()["error"]["code"] == "no-results"
    bad = client.get(f"{url}&updatedAfter=yesterday", headers={"accept": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "sdmx-syntax"


def test_profile_as_pdf(client: TestClient) -> None:
    response = client.get("/countries/COL/profile.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'href="/countries/COL/profile.pdf"' in client.get("/countries/COL").text
