"""Bulk intake of event files (``observatory.ewa.intake``): another publication of a loaded drug-checking data
set is matched, not duplicated; names resolve through the registry and its aliases; dates keep their precision;
nothing is half-written and a dry run writes nothing. Python, command line, API and page."""

import csv
import io
import json
import re
import secrets
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from observatory.access.policy import Role
from observatory.access.users import create_user
from observatory.cli.ewa import app
from observatory.errors import BadInput
from observatory.ewa.events import DatePrecision
from observatory.ewa.intake import import_events
from observatory.ewa.intake.dates import read_date
from observatory.store.ewa_schema import EwaEvent
from tests.ewa.conftest import PASSWORD, SHARED, bearer

PILL_TESTS = SHARED / "drug_checking" / "ecstasydata_pill_tests_1996_2018_long.csv"
needs_shared = pytest.mark.skipif(not PILL_TESTS.exists(), reason="the shared data collection is not here")
HEADERS = ["Test date", "Service", "City", "Lat", "Lng", "Link", "Compound", "Percent", "Sold as ecstasy", "Pill name"]


def another_publication(limit: int | None = None) -> bytes:
    """The shared pill-test file as another publication prints it: other headers, no pill id, other URL
    spelling, and every fifth row dated by its year only."""
    with PILL_TESTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*HEADERS, "Batch notes"])
    for number, row in enumerate(rows):
        day = row["date"][:4] if number % 5 == 0 else row["date"]
        link = f"http://www.{row['url']}/"
        writer.writerow(
            [
                day,
                row["source"],
                row["location"],
                row["latitude"],
                row["longitude"],
                link,
                row["substance"],
                row["substance_percentage"],
                row["sold_as_ecstasy"],
                row["name"],
                "",
            ]
        )
    return out.getvalue().encode()


def events_in(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(EwaEvent)) or 0)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_day_a_month_and_a_year_are_read_with_their_precision(day: date) -> None:
    assert read_date(day.isoformat()) == (day, DatePrecision.DAY)
    assert read_date(f"{day.year:04d}-{day.month:02d}") == (day.replace(day=1), DatePrecision.MONTH)
    assert read_date(f"{day.year:04d}") == (date(day.year, 1, 1), DatePrecision.YEAR)


@given(st.text(max_size=12).filter(lambda text: not any(ch.isdigit() for ch in text)))
def test_text_without_digits_is_no_date(text: str) -> None:
    assert read_date(text) is None


@needs_shared
def test_another_publication_of_a_loaded_data_set_is_matched_not_duplicated(loaded: Engine) -> None:
    before = events_in(loaded)
    report = import_events(loaded, another_publication(), kind="drug-checking", mapping="auto")
    assert report["source"] == "ecstasydata" and report["rows"] == 9012
    assert report["unresolved_rows"] / report["rows"] <= 0.05, report["unresolved"]
    assert report["matched_existing"] / report["samples"] >= 0.8 and report["new_events"] == 0
    assert events_in(loaded) == before
    assert report["unknown_columns"] == [{"column": "Batch notes", "suggestions": []}]
    assert report["resolved_by"]["out_of_scope"] > 100, "medicines and cutting agents resolve, as non-NPS"
    unresolved = {name["name"]: name["suggestions"] for name in report["unresolved"]}
    assert "Acetaminophen" not in unresolved and "DXM" not in unresolved and "Levamisole" not in unresolved


SMALL = b"""sample,date,compound,service,location,percent
A-1,2014,DXM,Lab X,"Zurich, Switzerland",
A-1,2014,Caffeine,Lab X,"Zurich, Switzerland",
A-2,2015-06,Acetaminophen,Lab X,Switzerland,40
A-3,2016-02-29,Unobtainium,Lab X,Switzerland,
"""


def test_a_dry_run_writes_nothing_and_an_import_writes_everything_once(migrated: Engine) -> None:
    dry = import_events(migrated, SMALL, kind="toxicology", source="reported", dry_run=True)
    assert (dry["samples"], dry["new_events"], dry["written"], events_in(migrated)) == (3, 3, 0, 0)
    assert [name["name"] for name in dry["unresolved"]] == ["Unobtainium"] and dry["unresolved_rows"] == 1
    assert dry["countries"] == ["CHE"]
    done = import_events(migrated, SMALL, kind="toxicology", source="reported")
    assert done["written"] == 3 and events_in(migrated) == 3
    again = import_events(migrated, SMALL, kind="toxicology", source="reported")
    assert (again["new_events"], again["matched_existing"], again["matched_by"]) == (0, 3, {"record": 3})
    with migrated.connect() as connection:
        stored = dict(connection.execute(select(EwaEvent.source_record, EwaEvent.date_precision)).all())
    assert stored == {"A-1": "year", "A-2": "month", "A-3": "day"}


def test_bad_files_and_mappings_are_refused_with_a_reason(migrated: Engine) -> None:
    with pytest.raises(BadInput, match="date"):
        import_events(migrated, b"when,compound\n2014,MDMA\n", kind="drug-checking", source="reported")
    mapped = import_events(
        migrated,
        b"when,compound\n2014,MDMA\n",
        kind="drug-checking",
        source="reported",
        mapping="columns:\n  when: date\n",
        dry_run=True,
    )
    assert mapped["new_events"] == 1
    with pytest.raises(BadInput, match="unknown field"):
        import_events(migrated, SMALL, kind="toxicology", source="reported", mapping="columns:\n  sample: colour\n")
    with pytest.raises(BadInput, match="kind"):
        import_events(migrated, SMALL, kind="pills", source="reported")
    with pytest.raises(BadInput, match="UTF-8"):
        import_events(migrated, b"\xff\xfe\x00", kind="toxicology", source="reported")
    assert events_in(migrated) == 0


@needs_shared
def test_the_command_line_imports_a_file_and_reports(tmp_path: Path) -> None:
    environment = {"OBSERVATORY_VAR_DIR": str(tmp_path), "OBSERVATORY_DATABASE_URL": ""}
    assert CliRunner().invoke(app, ["load", "--no-alerts", "--json"], env=environment).exit_code == 0
    path = tmp_path / "publication.csv"
    path.write_bytes(another_publication())
    result = CliRunner().invoke(
        app, ["import", str(path), "--kind", "drug-checking", "--mapping", "auto", "--json"], env=environment
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"rows", "new_events", "matched_existing", "unresolved_rows", "unresolved"} <= set(report)
    assert report["matched_existing"] / report["samples"] >= 0.8
    refused = CliRunner().invoke(app, ["import", str(path), "--kind", "pills"], env=environment)
    assert refused.exit_code == 1 and "kind must be one of" in refused.output


@needs_shared
def test_the_api_imports_for_an_analyst_or_the_countries_own_provider(
    client: TestClient, tokens: dict[str, str]
) -> None:
    files = {"file": ("publication.csv", another_publication(300), "text/csv")}
    form = {"kind": "drug-checking", "dry_run": "true"}
    assert client.post("/api/v1/ewa/import", files=files, data=form).status_code == 401
    response = client.post("/api/v1/ewa/import", files=files, data=form, headers=bearer(tokens["analyst"]))
    assert response.status_code == 200, response.text
    report = response.json()["data"]
    assert report["dry_run"] and report["written"] == 0 and report["matched_existing"] == report["samples"]
    bad = client.post("/api/v1/ewa/import", files=files, data={"kind": "x"}, headers=bearer(tokens["analyst"]))
    assert bad.status_code == 400 and bad.json()["error"]["code"]
    own = client.post("/api/v1/ewa/import", files=files, data=form, headers=bearer(tokens["provider"]))
    assert own.status_code == 200, "these 300 rows are all tests made in the USA, the provider's country"
    swiss = {"file": ("swiss.csv", SMALL, "text/csv")}
    other = client.post("/api/v1/ewa/import", files=swiss, data=form, headers=bearer(tokens["provider"]))
    assert other.status_code == 403, "a provider for the USA may not import events of another country"


def test_the_import_page_offers_the_form(client: TestClient) -> None:
    page = client.get("/ewa/import", headers={"accept": "text/html"})
    assert page.status_code == 200 and 'id="import-form"' in page.text and "drug-checking" in page.text


def test_a_signed_in_analyst_checks_a_file_on_the_import_page(client: TestClient, loaded: Engine) -> None:
    username = f"ewa-import-{secrets.token_hex(3)}"
    create_user(loaded, username, PASSWORD, Role.ANALYST, ())
    form = client.get("/login", headers={"accept": "text/html"}).text
    login = {"username": username, "password": PASSWORD, "csrf": _csrf(form)}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    csrf = _csrf(client.get("/ewa/import", headers={"accept": "text/html"}).text)
    files = {"file": ("small.csv", SMALL, "text/csv")}
    data = {"kind": "toxicology", "csrf": csrf, "action": "check"}
    page = client.post("/ewa/import", files=files, data=data, headers={"accept": "text/html"})
    assert page.status_code == 200 and 'id="import-report"' in page.text and "Unobtainium" in page.text
    assert 'id="written">0<' in page.text, "a check writes nothing"
    bad = client.post("/ewa/import", files=files, data={**data, "kind": "pills"}, headers={"accept": "text/html"})
    assert bad.status_code == 400 and 'id="import-error"' in bad.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)
