"""The early-warning API (``/api/v1/ewa``) over a store holding the shipped sources, on each engine."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.ewa.conftest import FENTANYL, bearer

NEW_OPIOID = "O=C(C1CC1)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1"
SMILES_PROBLEMS = [
    ("not a molecule", "unparseable"),
    ("C(C)(C)(C)(C)C", "valence"),
    ("C" * 5001, "too-many-atoms"),
    ("c1cccc1", "aromaticity"),
]


def error_of(response: Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    return error


def test_similar_substances_come_with_their_control(client: TestClient) -> None:
    response = client.get("/api/v1/ewa/similar", params={"smiles": FENTANYL, "top": 5})
    results = response.json()["results"]
    assert response.status_code == 200 and len(results) == 5
    assert set(results[0]) == {"name", "inchikey", "similarity", "control"}
    assert (results[0]["name"], results[0]["similarity"]) == ("Fentanyl", 1.0)
    assert "1961 Single Convention Schedule I" in results[0]["control"]
    assert results == sorted(results, key=lambda hit: -hit["similarity"])


def test_classification_of_several_structures(client: TestClient) -> None:
    response = client.get("/api/v1/ewa/classify", params={"smiles": ["CNC(C)C(=O)c1ccc(C)cc1", FENTANYL]})
    (mephedrone, fentanyl) = response.json()["results"]
    assert set(mephedrone) == {
        "smiles",
        "in_scope",
        "unodc_group",
        "chemical_family",
        "effect_group",
        "confidence",
        "method",
        "explanation",
        "scope",
    }
    assert mephedrone["in_scope"] is True and mephedrone["scope"] is None
    assert (mephedrone["chemical_family"], mephedrone["unodc_group"]) == ("cathinones", "synthetic_cathinones")
    assert (fentanyl["chemical_family"], fentanyl["effect_group"]) == ("opioids", "opioid")


@pytest.mark.parametrize(("smiles", "reason"), SMILES_PROBLEMS)
def test_bad_structures_are_refused_with_the_reason(client: TestClient, smiles: str, reason: str) -> None:
    for path, params in (
        ("/api/v1/ewa/similar", {"smiles": smiles}),
        ("/api/v1/ewa/classify", {"smiles": ["CCO", smiles]}),
        ("/api/v1/ewa/generic", {"smiles": smiles}),
    ):
        response = client.get(path, params=params)
        error = error_of(response)
        assert response.status_code == 400 and error["code"] == "bad-input", path
        assert reason in response.text


def test_a_substructure_search_and_a_pathological_pattern(client: TestClient) -> None:
    found = client.get("/api/v1/ewa/substructure", params={"smarts": "c1ccccc1C(=O)C(N)C", "max_hits": 3}).json()
    assert len(found["results"]) == 3 and found["meta"]["truncated"] is True and found["results"][0]["atoms"]
    for pattern in ("*" * 12, "[$([$([$(*)])])]", "C" * 60, "C1CC("):
        response = client.get("/api/v1/ewa/substructure", params={"smarts": pattern})
        assert response.status_code == 400 and error_of(response)["code"] == "bad-input", pattern


def test_generic_definitions_highlight_the_core_in_an_svg(client: TestClient) -> None:
    body = client.get("/api/v1/ewa/generic", params={"smiles": FENTANYL, "definition": "fentanyl-analogue"}).json()
    (match,) = body["results"]
    assert match["matched"] and match["atoms"] and match["svg"].startswith("<svg")
    every = client.get("/api/v1/ewa/generic", params={"smiles": FENTANYL}).json()["results"]
    assert every[0]["definition"] == "fentanyl-analogue" and not any(m["matched"] for m in every[1:])
    unknown = client.get("/api/v1/ewa/generic", params={"smiles": FENTANYL, "definition": "nope"})
    assert unknown.status_code == 400 and "fentanyl-analogue" in error_of(unknown)["message"]
    definitions = client.get("/api/v1/ewa/generic/definitions").json()["results"]
    assert {d["id"] for d in definitions} >= {"fentanyl-analogue", "nitazene", "cathinone"}


def test_emergence_by_year_and_group(client: TestClient) -> None:
    by_year = client.get("/api/v1/ewa/emergence", params={"by": "year"}).json()["results"]
    assert by_year[0] == {"year": 2006, "new": 1, "cumulative": 1}
    assert max(by_year, key=lambda row: row["new"])["year"] == 2016
    by_group = client.get("/api/v1/ewa/emergence").json()
    assert by_group["by"] == "group" and {row["nps_group"] for row in by_group["results"]} >= {"synthetic_cannabinoids"}
    assert client.get("/api/v1/ewa/emergence", params={"by": "decade"}).status_code == 400


def test_public_events_keep_case_details_k_anonymous(client: TestClient) -> None:
    body = client.get("/api/v1/ewa/events", params={"kind": "drug_checking", "country": "CHE", "limit": 50}).json()
    assert body["meta"]["total"] > 800 and len(body["results"]) == 50
    for event in body["results"]:
        assert event["latitude"] is None and event["url"] is None and event["date_precision"] == "month"
    first_ids = client.get("/api/v1/ewa/events", params={"source": "slovenia-nfl", "limit": 1}).json()["results"]
    assert first_ids[0]["date"] == "2006-01-27" and first_ids[0]["withheld"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"kind": "rumour"}, "bad-input"),
        ({"country": "Atlantis"}, "unknown-country"),
        ({"sort": "date"}, "unknown-parameter"),
    ],
)
def test_bad_event_filters_get_the_error_shape(client: TestClient, params: dict[str, str], code: str) -> None:
    response = client.get("/api/v1/ewa/events", params=params)
    assert response.status_code == 400 and error_of(response)["code"] == code


def test_a_provider_reports_an_event_with_a_new_structure(client: TestClient, tokens: dict[str, str]) -> None:
    event = {
        "kind": "seizure",
        "occurred_on": "2024-11-05",
        "country": "USA",
        "reference": "case-2024-11-05-a",
        "substances": [{"smiles": NEW_OPIOID, "name": "cyclopropyl-3-fluorofentanyl"}, {"substance": "Xylazine"}],
    }
    assert client.post("/api/v1/ewa/events", json=event).status_code == 401
    created = client.post("/api/v1/ewa/events", json=event, headers=bearer(tokens["provider"]))
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert (data["kind"], data["country"], data["source"], data["reporter"]) == (
        "seizure",
        "USA",
        "reported",
        data["reporter"],
    )
    new, xylazine = data["substances"]
    assert (new["name"], new["nps_group"]) == ("cyclopropyl-3-fluorofentanyl", "other_nps") and xylazine["name"]
    again = client.post("/api/v1/ewa/events", json=event, headers=bearer(tokens["provider"]))
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    elsewhere = client.post("/api/v1/ewa/events", json={**event, "country": "DEU"}, headers=bearer(tokens["provider"]))
    assert elsewhere.status_code == 403


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"substances": [{"smiles": "C1CC"}]}, 400),
        ({"substances": [{"substance": "no such drug at all"}]}, 400),
        ({"substances": [{"substance": "Xylazine", "smiles": "CCO"}]}, 400),
        ({"substances": []}, 422),
        ({"kind": "toxicology", "age": 130}, 400),
        ({"setting": "post_mortem"}, 400),
        ({"kind": "rumour"}, 400),
    ],
)
def test_a_report_that_cannot_be_right_is_refused(
    client: TestClient, tokens: dict[str, str], change: dict[str, object], status: int
) -> None:
    event = {
        "kind": "seizure",
        "occurred_on": "2024-11-05",
        "country": "USA",
        "substances": [{"substance": "Xylazine"}],
    }
    response = client.post("/api/v1/ewa/events", json={**event, **change}, headers=bearer(tokens["provider"]))
    assert response.status_code == status and error_of(response)["code"]


def test_drafts_are_for_the_network_and_issued_public_alerts_for_everyone(
    client: TestClient, tokens: dict[str, str]
) -> None:
    drafts = client.get("/api/v1/ewa/alerts", params={"status": "draft", "rule": "adulterant", "limit": 1},
                        headers=bearer(tokens["focal"])).json()  # fmt: skip
    alert_id = drafts["results"][0]["id"]
    assert drafts["meta"]["total"] > 50 and drafts["results"][0]["audience"] == "public"
    assert client.get(f"/api/v1/ewa/alerts/{alert_id}").status_code == 404
    assert all(a["status"] != "draft" for a in client.get("/api/v1/ewa/alerts").json()["results"])
    workflow = f"/api/v1/ewa/alerts/{alert_id}/workflow"
    assert client.post(workflow, json={"step": "issue"}).status_code == 401
    assert client.post(workflow, json={"step": "issue"}, headers=bearer(tokens["focal"])).status_code == 403
    issued = client.post(workflow, json={"step": "issue", "note": "confirmed"}, headers=bearer(tokens["analyst"]))
    assert issued.status_code == 200 and issued.json()["data"]["alert"]["status"] == "issued"
    public = client.get(f"/api/v1/ewa/alerts/{alert_id}").json()["data"]
    assert public["alert"]["status"] == "issued" and public["events"]
    assert all(event["kind"] != "drug_checking" or event["url"] is None for event in public["events"])
    again = client.post(workflow, json={"step": "issue"}, headers=bearer(tokens["analyst"]))
    assert again.status_code == 409


def test_stages_are_recorded_over_the_api(client: TestClient, tokens: dict[str, str]) -> None:
    drafts = client.get("/api/v1/ewa/alerts", params={"rule": "analogue", "status": "draft", "limit": 1},
                        headers=bearer(tokens["analyst"])).json()["results"]  # fmt: skip
    alert_id, event_on = drafts[0]["id"], drafts[0]["first_event_on"]
    stages = f"/api/v1/ewa/alerts/{alert_id}/stages"
    later = str(int(event_on[:4]) + 1) + event_on[4:]
    recorded = client.post(
        stages, json={"stage": "formal_notification", "reached_on": later}, headers=bearer(tokens["analyst"])
    )
    assert recorded.status_code == 200
    (event, notification) = recorded.json()["data"]["stages"][:2]
    assert event["reached_on"] == event_on and notification["days_from_event"] in (365, 366)
    early = client.post(stages, json={"stage": "initial_report", "reached_on": event_on[:4] + "-01-01"},
                        headers=bearer(tokens["analyst"]))  # fmt: skip
    assert early.status_code == 400 or event_on.endswith("-01-01")
    assert (
        client.post(
            stages, json={"stage": "verdict", "reached_on": later}, headers=bearer(tokens["analyst"])
        ).status_code
        == 400
    )
    times = client.get("/api/v1/ewa/alerts/time-to-stage", headers=bearer(tokens["analyst"])).json()["results"]
    assert times[0]["stage"] == "formal_notification" and times[0]["alerts"] >= 1
