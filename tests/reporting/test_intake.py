from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from observatory.datasets import DEMO_SEIZURES
from observatory.errors import SourceFileError
from observatory.reporting.intake import load_wdr_seizures
from observatory.store.migrate import upgrade
from observatory.store.schema import AnnualSeizure, AuditEvent, SourceFile, Submission

TABLES = (SourceFile, Submission, AnnualSeizure, AuditEvent)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.__tablename__: connection.scalar(select(func.count()).select_from(table)) or 0 for table in TABLES
        }


def test_a_file_is_recorded_whole_with_its_bytes_and_an_audit_event(engine: Engine) -> None:
    upgrade(engine)
    result = load_wdr_seizures(engine, DEMO_SEIZURES, "tester")
    assert (result.rows, result.already_loaded) == (11_274, False)
    assert counts(engine) == {"source_file": 1, "submission": 1, "annual_seizure": 11_274, "audit_event": 1}
    with engine.connect() as connection:
        assert connection.scalar(select(SourceFile.content)) == DEMO_SEIZURES.read_bytes()
        states = dict(
            connection.execute(
                select(AnnualSeizure.value_state, func.count()).group_by(AnnualSeizure.value_state)
            ).all()
        )
        assert states == {"value": 11_198, "missing": 76}
        assert (
            connection.scalar(
                select(func.count()).where(AnnualSeizure.kilograms.is_(None), AnnualSeizure.value_state == "value")
            )
            == 0
        )


def test_the_same_file_is_not_loaded_twice(engine: Engine) -> None:
    upgrade(engine)
    first = load_wdr_seizures(engine, DEMO_SEIZURES, "tester")
    again = load_wdr_seizures(engine, DEMO_SEIZURES, "tester")
    assert again.already_loaded and again.submission_id == first.submission_id
    assert counts(engine)["annual_seizure"] == 11_274


@pytest.mark.parametrize(
    "content", [b"", b"not a workbook", DEMO_SEIZURES.read_bytes()[:50_000]], ids=["empty", "text", "truncated"]
)
def test_a_bad_file_leaves_nothing_behind(engine: Engine, tmp_path: Path, content: bytes) -> None:
    upgrade(engine)
    path = tmp_path / "seizures.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match=r"seizures\.xlsx"):
        load_wdr_seizures(engine, path, "tester")
    assert set(counts(engine).values()) == {0}
