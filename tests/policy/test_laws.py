"""Legislation seeded from the national schedules, and case law."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine

from observatory.errors import BadInput, Forbidden, NotFound
from observatory.policy import cases, laws
from observatory.policy.cases import NewCase
from observatory.policy.search import search
from tests.policy.conftest import ANALYST, PERU_FOCAL_POINT


def test_one_law_per_act_with_its_scheduled_substances(seeded: Engine) -> None:
    found = {row["code"]: row for row in laws.laws(seeded)}
    assert set(found) == {"us-csa", "cn-controlled-catalogues", "nl-opiumwet"}
    assert (found["us-csa"]["country"], found["us-csa"]["in_force"]) == ("USA", "1971-05-01")
    assert all(row["substances"] > 100 for row in found.values())


@pytest.mark.parametrize(
    ("code", "schedule", "name", "effective"),
    [
        ("us-csa", "Schedule II", "Fentanyl", None),
        ("nl-opiumwet", "List II", "Diazepam", None),
        (
            "cn-controlled-catalogues",
            "Non-medical narcotic & psychotropic supplementary list",
            "Furanylfentanyl",
            "2017-03-01",
        ),
    ],
)
def test_scheduled_substances_carry_their_schedule_and_date(
    seeded: Engine, code: str, schedule: str, name: str, effective: str | None
) -> None:
    scheduled = laws.law(seeded, code, schedule)["scheduled"]
    match = [row for row in scheduled if row["name"].casefold() == name.casefold()]
    assert match and match[0]["effective"] == effective


def test_an_unknown_law_is_not_found(seeded: Engine) -> None:
    with pytest.raises(NotFound):
        laws.law(seeded, "xx-act")


def test_no_case_is_shipped_and_recorded_cases_are_searchable(migrated: Engine) -> None:
    assert cases.cases(migrated) == []
    case = NewCase(
        "PER",
        "Supreme Court",
        date(2019, 4, 2),
        "trafficking",
        ("cocaine",),
        "Appeal on a cocaine trafficking conviction; sentence reduced for the minor role of the courier.",
        "R.N. 1/2019",
        "court site",
    )
    with pytest.raises(Forbidden):
        cases.record_case(
            migrated, PERU_FOCAL_POINT.__class__("fp-col", PERU_FOCAL_POINT.role, frozenset({"COL"})), case
        )
    recorded = cases.record_case(migrated, ANALYST, case)
    assert cases.cases(migrated, "PER") == [recorded]
    assert [hit.kind for hit in search(migrated, "courier sentence", country="PER")] == ["case"]
    with pytest.raises(BadInput, match="future"):
        cases.record_case(migrated, ANALYST, replace(case, decided_on=date(2999, 1, 1)))
