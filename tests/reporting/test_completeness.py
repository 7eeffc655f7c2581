from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from observatory.access.policy import Principal, Role
from observatory.errors import NotFound, SourceFileError
from observatory.reference.release import load_packaged_release
from observatory.reference.reporting_universe import Kind, reporting_universe, universe_codes
from observatory.reporting.completeness import read_rounds, round_status, rounds
from observatory.reporting.submit import submit_file
from observatory.store.engine import transaction
from observatory.store.migrate import upgrade
from observatory.store.schema import Submission

ADMIN = Principal("root", Role.ADMIN)
#: One row; its kilograms, the day of the year it was received, make each file a new upload (a file is taken once).
ROW = (
    "country,drug_group,drug_subgroup,drug,year,kilograms\n{country},Cocaine-type,Cocaine,Cocaine,{year},{kilograms}\n"
)
HEADER = "dataset,year,opens,closes,expected,note\n"


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def submit(engine: Engine, country: str, year: int, received: str, status: str | None = None) -> None:
    kilograms = date.fromisoformat(received).timetuple().tm_yday
    data = ROW.format(country=country, year=year, kilograms=kilograms).encode()
    result = submit_file(engine, ADMIN, data, f"{country}.csv", "annual-seizures")
    changes: dict[str, object] = {"created_at": date.fromisoformat(received)}
    if status is not None:
        changes["status"] = status
    with transaction(engine) as session:
        session.execute(update(Submission).where(Submission.id == result.submission_id).values(**changes))


def test_expected_received_on_time_and_late(store: Engine) -> None:
    submit(store, "Ghana", 2023, "2024-05-01")
    submit(store, "Senegal", 2023, "2024-09-15")
    submit(store, "Senegal", 2023, "2024-10-01")
    submit(store, "Mali", 2022, "2024-05-01")
    status = round_status(store, "annual-seizures", 2023, as_of=date(2025, 1, 1))
    by_country = {c.country_iso3: c for c in status.countries}
    rows = [
        (code, by_country[code].status, status.on_time(by_country[code]), by_country[code].received_at)
        for code in ("GHA", "SEN", "MLI")
    ]
    assert [(code, state, on_time) for code, state, on_time, _ in rows] == [
        ("GHA", "received", True),
        ("SEN", "received", False),
        ("MLI", "missing", None),
    ]
    assert rows[1][3] is not None and rows[1][3].date() == date(2024, 9, 15)
    summary = status.summary
    assert (summary["received"], summary["on_time"], summary["late"]) == (2, 1, 1)
    assert summary["expected"] == len(universe_codes()) == 201
    assert summary["overdue"] == summary["expected"] - 2 and summary["unexpected"] == 0


@pytest.mark.parametrize(
    ("status", "received"),
    [
        ("invalid", False),
        ("rejected", False),
        ("submitted", True),
        ("validated", True),
        ("approved", True),
        ("published", True),
        ("superseded", True),
    ],
)
def test_only_submissions_neither_invalid_nor_rejected_count(store: Engine, status: str, received: bool) -> None:
    submit(store, "Ghana", 2023, "2024-05-01", status)
    assert round_status(store, "annual-seizures", 2023).summary["received"] == int(received)


def test_a_file_that_fails_validation_counts_for_nobody(store: Engine) -> None:
    submit(store, "Narnia", 2023, "2024-05-01")
    assert round_status(store, "annual-seizures", 2023).summary["received"] == 0


def test_the_universe_is_not_iso_3166(store: Engine) -> None:
    members = reporting_universe()
    kinds = {kind: sorted(m.iso3 for m in members if m.kind is kind) for kind in Kind}
    assert len(kinds[Kind.MEMBER_STATE]) == 193
    assert kinds[Kind.NON_MEMBER_STATE] == ["PSE", "VAT"]
    assert kinds[Kind.TERRITORY] == ["ABW", "BMU", "GIB", "HKG", "MAC", "PRI"]
    assert sorted(m.iso3 for m in members if not m.confirmed) == ["ABW", "BMU", "PRI"]
    status = round_status(store, "annual-seizures", 2023, as_of=date(2025, 1, 1))
    expected = {c.country_iso3 for c in status.countries}
    assert expected == universe_codes() and status.round.unconfirmed == {"ABW", "BMU", "PRI"}
    assert {"ATA", "TWN", "XKX", "BVT", "HMD", "UMI"}.isdisjoint(expected)
    assert {"HKG", "MAC", "USA", "CHN"} <= expected


def test_values_for_a_place_not_expected_are_kept_apart(store: Engine) -> None:
    submit(store, "Antarctica", 2023, "2024-05-01")
    submit(store, "Ghana", 2023, "2024-05-01")
    status = round_status(store, "annual-seizures", 2023, as_of=date(2025, 1, 1))
    assert [(c.country_iso3, c.status) for c in status.unexpected] == [("ATA", "received")]
    assert "ATA" not in {c.country_iso3 for c in status.countries}
    assert (status.summary["received"], status.summary["unexpected"]) == (1, 1)


def test_a_network_round_expects_the_network(store: Engine) -> None:
    status = round_status(store, "treatment", 2024, as_of=date(2025, 1, 1))
    assert len(status.countries) == 16 and status.summary["overdue"] == 0
    assert status.round.unconfirmed == frozenset()


def test_an_unknown_round_lists_the_known_ones(store: Engine) -> None:
    with pytest.raises(NotFound, match="annual-seizures 2023"):
        round_status(store, "annual-seizures", 1999)
    assert all(r.opens < r.closes for r in rounds())


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("x,20x3,2024-01-01,2024-06-30,universe,", "year", "expected a year"),
        ("x,2023,2024-13-01,2024-06-30,universe,", "opens", "expected a date"),
        ("x,2023,2024-06-30,2024-01-01,universe,", "closes", "closes before it opens"),
        ("x,2023,2024-01-01,2024-06-30,all,", "expected", "not codes of current places: ['all']"),
        ("x,2023,2024-01-01,2024-06-30,GHA;ZZZ,", "expected", "not codes of current places: ['ZZZ']"),
        ("x,2023,2024-01-01,2024-06-30,;,", "expected", "no place expected"),
        ("x,2023,2024-01-01,2024-06-30,network:NOWHERE,", "expected", "no such network"),
    ],
)
def test_a_bad_round_is_refused_with_its_cell(tmp_path: Path, row: str, column: str, reason: str) -> None:
    path = tmp_path / "rounds.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=f"row 2, column '{column}'") as raised:
        read_rounds(path)
    assert reason in raised.value.message


@pytest.mark.parametrize(
    ("expected", "size", "member"),
    [("GHA; SEN", 2, "SEN"), ("network:WENDU", 16, "MRT"), ("universe", 201, "MAC")],
)
def test_a_round_expects_what_its_cell_says(tmp_path: Path, expected: str, size: int, member: str) -> None:
    path = tmp_path / "rounds.csv"
    path.write_text(HEADER + f"x,2023,2024-01-01,2024-06-30,{expected},\n", encoding="utf-8")
    (chosen,) = read_rounds(path)
    assert len(chosen.expected) == size and member in chosen.expected and "ATA" not in chosen.expected
