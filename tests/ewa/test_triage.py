"""Alert triage: drafts ranked by severity, near-duplicates grouped, bulk issue and dismissal with a reason (all or
none), the queue paged and filtered, issued alerts public with their history. Python, command line, API, pages."""

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.access.users import create_user
from observatory.cli.ewa import app
from observatory.errors import BadInput, Conflict, Forbidden
from observatory.ewa.alerts import (
    Rule,
    Status,
    Step,
    TriageFilter,
    bulk_triage,
    issue_top,
    triage_queue,
)
from observatory.ewa.alerts.public import issued_alerts
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.ewa_schema import EwaAlert
from tests.ewa.conftest import bearer, drafts_about, own_draft

ANALYST = Principal("triage-analyst", Role.ANALYST)
HTML = {"accept": "text/html"}


def test_drafts_are_ranked_by_potency_and_grouped(migrated: Engine) -> None:
    fentanyl = drafts_about(migrated, "fentanyl", Rule.FIRST_DETECTION, ("USA", "CAN", "MEX"))
    mephedrone = drafts_about(migrated, "mephedrone", Rule.FIRST_DETECTION, ("GBR",))
    lonely = own_draft(migrated)
    groups, total = triage_queue(migrated)
    assert total == 3 and [g["size"] for g in groups] == [3, 1, 1]
    assert {a["id"] for a in groups[0]["alerts"]} == set(fentanyl), "the opioid ranks first, its three drafts one row"
    assert groups[1]["alerts"][0]["id"] == mephedrone[0] and groups[2]["alerts"][0]["id"] == lonely
    assert groups[0]["severity"] > groups[1]["severity"] > 0
    page, _ = triage_queue(migrated, limit=1, offset=1)
    assert page[0]["alerts"][0]["id"] == mephedrone[0]
    usa, _ = triage_queue(migrated, TriageFilter(country="USA"))
    assert [g["size"] for g in usa] == [1]


def test_a_bulk_issue_takes_the_group_and_the_public_sees_who_and_why(migrated: Engine) -> None:
    fentanyl = drafts_about(migrated, "fentanyl", Rule.FIRST_DETECTION, ("USA", "CAN"))
    done = bulk_triage(migrated, [fentanyl[0]], Step.ISSUE, "confirmed by two laboratories", ANALYST)
    assert done["changed"] == 2 and done["ids"] == fentanyl
    public, total = issued_alerts(migrated, ANONYMOUS)
    assert total == 2 and public[0]["history"][-1] == {
        **public[0]["history"][-1],
        "action": "issue",
        "actor": "triage-analyst",
        "note": "confirmed by two laboratories",
    }
    assert triage_queue(migrated)[1] == 0


def test_dismissal_needs_a_reason_and_dismissed_drafts_stay_private(migrated: Engine) -> None:
    alert = own_draft(migrated)
    with pytest.raises(BadInput, match="reason"):
        bulk_triage(migrated, [alert], Step.DISMISS, "  ", ANALYST)
    bulk_triage(migrated, [alert], Step.DISMISS, "a test record", ANALYST)
    assert issued_alerts(migrated, ANONYMOUS)[1] == 0
    dismissed, _ = triage_queue(migrated, TriageFilter(status=Status.DISMISSED))
    assert dismissed[0]["alerts"][0]["id"] == alert


def test_a_bulk_action_is_all_or_none(migrated: Engine) -> None:
    first, second = own_draft(migrated), own_draft(migrated)
    bulk_triage(migrated, [second], Step.ISSUE, "first", ANALYST)
    with pytest.raises(Conflict):
        bulk_triage(migrated, [first, second], Step.ISSUE, "again", ANALYST, whole_groups=False)
    with migrated.connect() as connection:
        assert connection.scalar(select(EwaAlert.status).where(EwaAlert.id == first)) == "draft"
    with pytest.raises(Forbidden):
        bulk_triage(migrated, [first], Step.ISSUE, "why", Principal("p", Role.PROVIDER, frozenset({"USA"})))
    with pytest.raises(BadInput, match="issues or dismisses"):
        bulk_triage(migrated, [first], Step.RETRACT, "why", ANALYST)


def test_the_demo_issues_the_drafts_ranked_highest(migrated: Engine) -> None:
    drafts_about(migrated, "fentanyl", Rule.FIRST_DETECTION, ("USA", "CAN"))
    drafts_about(migrated, "mephedrone", Rule.FIRST_DETECTION, ("GBR",))
    done = issue_top(migrated, Principal("demo-analyst", Role.ANALYST), 1, "ranked highest by the triage rules")
    assert done["changed"] == 1
    public, _ = issued_alerts(migrated, ANONYMOUS)
    assert "Fentanyl" in public[0]["title"] and public[0]["history"][-1]["actor"] == "demo-analyst"
    again = issue_top(migrated, Principal("demo-analyst", Role.ANALYST), 1, "ranked highest by the triage rules")
    assert again["changed"] == 0, "the demo run again issues nothing more"


def test_the_command_line_lists_and_acts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {"OBSERVATORY_VAR_DIR": str(tmp_path), "OBSERVATORY_DATABASE_URL": ""}
    runner = CliRunner()
    assert runner.invoke(app, ["load", "--json"], env=environment).exit_code == 0
    listed = runner.invoke(app, ["triage", "list", "--limit", "3", "--json"], env=environment)
    assert listed.exit_code == 0, listed.output
    body = json.loads(listed.stdout)
    assert len(body["results"]) == 3 and body["meta"]["total"] > 100
    severities = [group["severity"] for group in body["results"]]
    assert severities == sorted(severities, reverse=True)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(Settings().records_url)
    create_user(engine, "cli-analyst", "a long enough password", Role.ANALYST, ())
    engine.dispose()
    top = body["results"][0]["alerts"][0]["id"]
    issued = runner.invoke(
        app, ["triage", "issue", str(top), "--reason", "checked", "--as", "cli-analyst", "--json"], env=environment
    )
    assert issued.exit_code == 0, issued.output and json.loads(issued.stdout)["changed"] >= 1
    refused = runner.invoke(
        app, ["triage", "dismiss", str(top), "--reason", "x", "--as", "cli-analyst"], env=environment
    )
    assert refused.exit_code == 1 and "cannot be dismissed" in refused.output


def test_the_api_serves_the_queue_to_members_and_acts_for_analysts(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/v1/ewa/triage").status_code == 401
    queue = client.get("/api/v1/ewa/triage", params={"limit": 5, "rule": "analogue"}, headers=bearer(tokens["focal"]))
    assert queue.status_code == 200 and len(queue.json()["results"]) == 5
    assert all(g["alerts"][0]["rule"] == "analogue" for g in queue.json()["results"])
    body = {"ids": [queue.json()["results"][-1]["alerts"][0]["id"]], "step": "dismiss", "reason": ""}
    assert client.post("/api/v1/ewa/triage", json=body, headers=bearer(tokens["analyst"])).status_code == 422
    body["reason"] = "a test dismissal"
    assert client.post("/api/v1/ewa/triage", json=body, headers=bearer(tokens["focal"])).status_code == 403
    done = client.post("/api/v1/ewa/triage", json=body, headers=bearer(tokens["analyst"]))
    assert done.status_code == 200 and done.json()["data"]["changed"] >= 1
    assert (
        client.get("/api/v1/ewa/triage", params={"min_severity": 2}, headers=bearer(tokens["analyst"])).status_code
        == 422
    )
    assert client.get("/api/v1/ewa/issued-alerts").status_code == 200


def test_the_pages(client: TestClient) -> None:
    assert client.get("/ewa/triage", headers=HTML).status_code == 401
    public = client.get("/ewa/alerts", headers=HTML)
    assert public.status_code == 200 and 'id="issued-total"' in public.text
    assert re.search(r"page 1 of \d+", public.text)
