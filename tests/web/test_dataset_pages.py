"""An observatory's own data set, end to end in the browser: an administrator uploads its declaration (a broken file
of the directory is listed as a problem), a focal point submits a file for it, another approves it, an analyst
accepts and publishes it, and the public finds its values on the data set's page, as CSV and in the API."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from observatory.access.policy import Role
from observatory.access.users import create_token, create_user
from observatory.demo import initialise
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web.app import create_app
from tests.stores import settings_fixture
from tests.web.conftest import SCREENSHOTS
from tests.web.server import served
from tests.web.test_reporting_browser import PASSWORD

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "drug-related-crime.yaml"
DATASET = "drug-related-crime"
GHANA = """country,year,offence,sex,persons,source
Ghana,2023,Drug possession/use,Male,1520,Ghana Police Service
Ghana,2023,Drug trafficking,Female,=2+3,Ghana Police Service
Ghana,2023,Drug trafficking,Male,410,Ghana Police Service
"""


def _initialise(settings: Settings) -> None:
    initialise(settings).dispose()


initialised = settings_fixture("own-datasets", _initialise)


@pytest.fixture(scope="module")
def own_settings(initialised: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("own-datasets")
    (folder / "half-written.yaml").write_text("id: half-written\ntitle: [unclosed\n")
    return initialised.model_copy(update={"datasets_dir": folder})


def user(settings: Settings, role: Role, countries: list[str]) -> str:
    username = f"{role}-{uuid.uuid4().hex[:6]}"
    engine = make_engine(settings.records_url)
    create_user(engine, username, PASSWORD, role, countries)
    engine.dispose()
    return username


@pytest.fixture(scope="module")
def base_url(own_settings: Settings) -> Iterator[str]:
    with served(create_app(own_settings)) as url:
        yield url


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submissions")


def step(page: Page, action: str, status: str) -> None:
    page.get_by_label("Action", exact=True).select_option(action)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#status")).to_have_text(status)


@pytest.mark.browser
def test_declare_submit_approve_publish_and_find_it(page: Page, base_url: str, own_settings: Settings) -> None:
    admin = user(own_settings, Role.ADMIN, [])
    sign_in(page, base_url, admin)
    page.goto(base_url + "/admin/datasets")
    expect(page.locator("#problems")).to_contain_text("half-written.yaml")
    expect(page.locator("#problems")).to_contain_text("not valid YAML at line 3")
    page.get_by_label("Declaration (YAML)").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drug-related crime")
    expect(page.locator("#origin")).to_have_text("this observatory")
    expect(page.locator("#fields")).to_contain_text("Drug possession/use")
    expect(page.locator("#no-values")).to_be_visible()

    sign_in(page, base_url, user(own_settings, Role.FOCAL_POINT, ["GHA"]))
    upload = Path(own_settings.var_dir) / "ghana-crime-2023.csv"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text(GHANA)
    page.get_by_label("Data set", exact=True).select_option(DATASET)
    page.get_by_label("Country (ISO3", exact=False).fill("GHA")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Check and submit").click()
    expect(page.locator("#status")).to_have_text("invalid")  # "=2+3" is not a count
    page.goto(base_url + "/submissions")
    upload.write_text(GHANA.replace("=2+3", "35"))
    page.get_by_label("Data set", exact=True).select_option(DATASET)
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Check and submit").click()
    expect(page.locator("#status")).to_have_text("validated")
    submission = page.url

    sign_in(page, base_url, user(own_settings, Role.FOCAL_POINT, ["GHA"]))
    page.goto(submission)
    step(page, "approve", "approved")
    sign_in(page, base_url, user(own_settings, Role.ANALYST, []))
    page.goto(submission)
    step(page, "accept", "accepted")
    step(page, "publish", "published")

    page.context.clear_cookies()
    page.goto(base_url + "/datasets")
    page.get_by_role("link", name="Drug-related crime").click()
    expect(page.locator("#value-count")).to_have_text("3")
    expect(page.locator("#values")).to_contain_text("Drug trafficking")
    expect(page.locator("#values")).to_contain_text("410")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "own-dataset.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#csv").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0].startswith("submission_id,vintage,country,year,offence,sex,element,value") and len(lines) == 4

    listed = page.request.get(base_url + "/api/v1/datasets").json()["data"]
    assert DATASET in [d["id"] for d in listed]
    one = page.request.get(base_url + f"/api/v1/datasets/{DATASET}").json()
    assert one["data"]["title"] == "Drug-related crime" and one["meta"]["origin"] == "directory"
    values = page.request.get(base_url + f"/api/v1/datasets/{DATASET}/values?limit=2").json()
    assert values["meta"]["total"] == 3 and len(values["data"]) == 2


@pytest.fixture(scope="module")
def client(own_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(own_settings), raise_server_exceptions=False) as client:
        yield client


def token_of(settings: Settings, role: Role) -> dict[str, str]:
    username = user(settings, role, ["GHA"] if role is Role.FOCAL_POINT else [])
    engine = make_engine(settings.records_url)
    _, token = create_token(engine, username, "test")
    engine.dispose()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_refuses_what_it_must_with_a_clear_error(client: TestClient, own_settings: Settings) -> None:
    text = EXAMPLE.read_bytes().replace(b"id: drug-related-crime", b"id: api-crime")
    files = {"file": ("api-crime.yaml", text, "text/yaml")}
    anonymous = client.post("/api/v1/admin/datasets", files=files)
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "unauthenticated")
    focal_point = client.post("/api/v1/admin/datasets", files=files, headers=token_of(own_settings, Role.FOCAL_POINT))
    assert focal_point.status_code == 403
    admin = token_of(own_settings, Role.ADMIN)
    broken = {"file": ("x.yaml", text.replace(b"type: integer", b"type: counting"), "text/yaml")}
    refused = client.post("/api/v1/admin/datasets", files=broken, headers=admin)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "bad-declaration")
    assert refused.json()["error"]["details"][0]["field"] == "elements[0].type"
    taken = {"file": ("p.yaml", text.replace(b"id: api-crime", b"id: prevalence"), "text/yaml")}
    assert client.post("/api/v1/admin/datasets", files=taken, headers=admin).status_code == 409
    added = client.post("/api/v1/admin/datasets", files=files, headers=admin)
    assert added.status_code == 201, added.text
    assert added.json()["data"] == {"id": "api-crime", "title": "Drug-related crime", "file": "api-crime.yaml"}
    own = client.get("/api/v1/admin/datasets", headers=admin).json()
    assert "api-crime" in [d["id"] for d in own["data"]]
    assert [p["file"] for p in own["meta"]["problems"]] == ["half-written.yaml"]
    assert own["meta"]["problems"][0]["line"] == 3
    assert client.get("/api/v1/admin/datasets").status_code == 401
    unknown = client.get("/api/v1/datasets/no-such-thing")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown-dataset")
    assert client.get("/api/v1/datasets/api-crime/values.csv").text.startswith("submission_id,")
    assert json.loads(client.get("/api/v1/datasets/api-crime/values").text)["meta"]["total"] == 0
