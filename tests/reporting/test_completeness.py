from datetime import date

import pytest
from sqlalchemy import Engine, update

from observatory.access.policy import Principal, Role
from observatory.errors import NotFound
from observatory.reference.release import load_packaged_release
from observatory.reporting.completeness import round_status, rounds
from observatory.reporting.submit import submit_file
from observatory.store.engine import transaction
from observatory.store.migrate import upgrade
from observatory.store.schema import Submission

ADMIN = Principal("root", Role.ADMIN)
ROW = "country,drug_group,drug_subgroup,drug,year,kilograms\n{country},Cocaine-type,Cocaine,Cocaine,{year},1\n"


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    load_packaged_release(engine)
    return engine


def submit(engine: Engine, country: str, year: int, received: str) -> None:
    result = submit_file(
        engine, ADMIN, ROW.format(country=country, year=year).encode(), f"{country}.csv", "annual-seizures"
    )
    with transaction(engine) as session:
        session.execute(
            update(Submission)
            .where(Submission.id == result.submission_id)
            .values(created_at=date.fromisoformat(received))
        )


def test_expected_received_on_time_and_late(store: Engine) -> None:
    submit(store, "Ghana", 2023, "2024-05-01")
    submit(store, "Senegal", 2023, "2024-09-15")
    submit(store, "Senegal", 2023, "2024-10-01")
    submit(store, "Mali", 2022, "2024-05-01")
    status = round_status(store, "annual-seizures", 2023, as_of=date(2025, 1, 1))
    by_country = {c.country_iso3: c for c in status.countries}
    assert status.on_time(by_country["GHA"]) is True
    assert status.on_time(by_country["SEN"]) is False and by_country["SEN"].received_at is not None
    assert by_country["SEN"].received_at.date() == date(2024, 9, 15)
    assert by_country["MLI"].status == "missing"
    summary = status.summary
    assert (summary["received"], summary["on_time"], summary["late"]) == (2, 1, 1)
    assert summary["overdue"] == summary["expected"] - 2 and summary["expected"] > 200


def test_invalid_submissions_do_not_count_as_received(store: Engine) -> None:
    submit(store, "Narnia", 2023, "2024-05-01")
    assert round_status(store, "annual-seizures", 2023).summary["received"] == 0


def test_a_network_round_expects_the_network(store: Engine) -> None:
    status = round_status(store, "treatment", 2024, as_of=date(2025, 1, 1))
    assert len(status.countries) == 16 and status.summary["overdue"] == 0


def test_an_unknown_round_lists_the_known_ones(store: Engine) -> None:
    with pytest.raises(NotFound, match="annual-seizures 2023"):
        round_status(store, "annual-seizures", 1999)
    assert all(r.opens < r.closes for r in rounds())
