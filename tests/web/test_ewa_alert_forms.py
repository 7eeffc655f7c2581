"""The workflow forms of an alert's case file page: who sees them, what a step does, what is refused."""

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.access.users import create_user
from observatory.ewa.alerts import Audience, Change, Step, change_alert
from observatory.settings import Settings
from observatory.store.engine import make_engine
from tests.ewa.conftest import own_draft

PASSWORD = "a long enough password"
HTML = {"accept": "text/html"}


@pytest.fixture
def records(demo_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(demo_settings.records_url)
    yield engine
    engine.dispose()


def account(engine: Engine, role: Role, countries: tuple[str, ...] = ()) -> str:
    username = f"ewa-{role}-{uuid.uuid4().hex[:6]}"
    create_user(engine, username, PASSWORD, role, countries)
    return username


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, username: str) -> str:
    """Sign ``client`` in; the CSRF token of the new session."""
    form = client.get("/login", headers=HTML).text
    login = {"username": username, "password": PASSWORD, "csrf": csrf_of(form)}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    return csrf_of(client.get("/ewa/search", headers=HTML).text)


def test_the_public_sees_an_issued_alert_without_the_forms(client: TestClient, records: Engine) -> None:
    alert = own_draft(records, Audience.PUBLIC)
    change_alert(records, alert, Change(Step.ISSUE), Principal("analyst", Role.ANALYST))
    page = client.get(f"/ewa/alerts/{alert}", headers=HTML)
    assert page.status_code == 200 and ">issued<" in page.text
    assert 'id="alert-actions"' not in page.text and 'name="csrf"' not in page.text.split("<main")[1]


@pytest.mark.parametrize(("role", "forms"), [(Role.FOCAL_POINT, False), (Role.ANALYST, True)])
def test_only_who_may_publish_sees_the_forms(client: TestClient, records: Engine, role: Role, forms: bool) -> None:
    alert = own_draft(records, Audience.NETWORK)
    sign_in(client, account(records, role, ("SVN",) if role is Role.FOCAL_POINT else ()))
    page = client.get(f"/ewa/alerts/{alert}", headers=HTML)
    assert page.status_code == 200 and ('id="alert-actions"' in page.text) is forms
    if forms:
        assert 'id="issue-form"' in page.text and 'id="retract-form"' in page.text
        assert 'id="update-form"' not in page.text


def test_an_analyst_issues_updates_and_the_history_keeps_each_step(client: TestClient, records: Engine) -> None:
    alert, analyst = own_draft(records, Audience.NETWORK), account(records, Role.ANALYST)
    csrf = sign_in(client, analyst)
    issued = client.post(
        f"/ewa/alerts/{alert}/workflow", data={"step": "issue", "audience": "public", "csrf": csrf}, headers=HTML
    )
    assert issued.status_code == 200 and 'id="alert-status">issued<' in issued.text
    assert 'id="update-form"' in issued.text and 'id="issue-form"' not in issued.text
    updated = client.post(
        f"/ewa/alerts/{alert}/workflow",
        data={"step": "update", "title": "A better title", "note": "reworded", "csrf": csrf},
        headers=HTML,
    )
    assert "<h1>A better title</h1>" in updated.text and "reworded" in updated.text
    history = updated.text.split('id="alert-history"')[1].split("</table>")[0]
    assert [step in history for step in ("draft", "issue", "update")] == [True] * 3 and history.count(analyst) == 2


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"step": "retract"}, 400, "a retraction needs the reason"),
        ({"step": "update", "note": "nothing"}, 409, "a draft alert cannot be updated"),
        ({"step": "publish"}, 400, "step must be one of"),
        ({"step": "issue", "audience": "everyone"}, 400, "audience must be one of"),
    ],
)
def test_a_refused_step_is_shown_beside_the_forms(
    client: TestClient, records: Engine, data: dict[str, str], status: int, message: str
) -> None:
    alert = own_draft(records, Audience.NETWORK)
    csrf = sign_in(client, account(records, Role.ANALYST))
    page = client.post(f"/ewa/alerts/{alert}/workflow", data={**data, "csrf": csrf}, headers=HTML)
    assert page.status_code == status and 'id="form-error"' in page.text and message in page.text
    assert 'id="alert-status">draft<' in page.text


def test_stages_are_recorded_in_order(client: TestClient, records: Engine) -> None:
    alert = own_draft(records, Audience.NETWORK)
    csrf = sign_in(client, account(records, Role.ANALYST))
    url = f"/ewa/alerts/{alert}/stages"
    recorded = client.post(url, data={"stage": "initial_report", "reached_on": "2020-04-06", "csrf": csrf})
    stages = recorded.text.split('id="case-stages"')[1].split("</table>")[0]
    assert recorded.status_code == 200 and "2020-04-06" in stages and ">35<" in stages
    early = client.post(url, data={"stage": "formal_notification", "reached_on": "2020-05-01", "csrf": csrf})
    assert early.status_code == 400 and "cannot come after initial report" in early.text
    bad_date = client.post(url, data={"stage": "risk_assessment", "reached_on": "06/04/2020", "csrf": csrf})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text


def test_forms_without_the_session_token_or_a_session_are_refused(client: TestClient, records: Engine) -> None:
    alert = own_draft(records, Audience.NETWORK)
    anonymous = client.post(f"/ewa/alerts/{alert}/workflow", data={"step": "issue", "csrf": "x"}, headers=HTML)
    assert anonymous.status_code == 403
    sign_in(client, account(records, Role.ANALYST))
    forged = client.post(f"/ewa/alerts/{alert}/workflow", data={"step": "issue", "csrf": "forged"}, headers=HTML)
    assert forged.status_code == 403
    provider = TestClient(client.app)
    csrf = sign_in(provider, account(records, Role.PROVIDER, ("SVN",)))
    refused = provider.post(f"/ewa/alerts/{alert}/workflow", data={"step": "issue", "csrf": csrf}, headers=HTML)
    assert refused.status_code == 403
