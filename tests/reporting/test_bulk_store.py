"""Values stored in bulk (SQLite ``executemany``, PostgreSQL ``COPY``) are the rows the row-by-row reading gives."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from observatory.access.policy import Principal, Role
from observatory.bench.seizure_import import generate_csv
from observatory.reference.release import load_packaged_release
from observatory.reporting.declaration import declaration
from observatory.reporting.observation_table import COLUMNS, observation_rows
from observatory.reporting.submit import submit_file
from observatory.reporting.validation import check_file
from observatory.store.migrate import upgrade
from observatory.store.reporting_schema import Observation
from tests.reporting.test_csv_columns import GOOD, text

ADMIN = Principal("root", Role.ADMIN)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def stored(engine: Engine, submission: int) -> list[dict[str, object]]:
    columns = [getattr(Observation, name) for name in COLUMNS if name != "submission_id"]
    query = select(*columns).where(Observation.submission_id == submission).order_by(Observation.id)
    with engine.connect() as connection:
        return [row._asdict() for row in connection.execute(query)]


def expected(data: bytes, dataset: str) -> list[dict[str, object]]:
    outcome = check_file(data, "file.csv", declaration(dataset), columns=False)
    rows = [
        row
        for checked in outcome.checked()
        for row in observation_rows(declaration(dataset), checked, 0).table().to_pylist()
    ]
    for row in rows:
        row.pop("submission_id")
        row["dimensions"] = json.loads(str(row["dimensions"]))
    return rows


@pytest.mark.parametrize(
    ("name", "dataset"),
    [("good", "individual-seizures"), ("generated", "individual-seizures"), ("deaths", "drug-deaths")],
)
def test_bulk_stored_values_are_the_rows_read_row_by_row(
    store: Engine, tmp_path: Path, name: str, dataset: str
) -> None:
    data = {
        "good": text(GOOD).encode(),
        "generated": generate_csv(tmp_path / "ids.csv", 3_000).read_bytes() if name == "generated" else b"",
        "deaths": b'Country,Year,Number\nKenya,2015,"1,203"\nGhana,2015,0\nTogo,2015,..\n',
    }[name]
    result = submit_file(store, ADMIN, data, f"{name}.csv", dataset)
    assert result.report["errors"] == []
    found = stored(store, result.submission_id)
    assert len(found) == result.values_stored > 0
    assert found == expected(data, dataset)
