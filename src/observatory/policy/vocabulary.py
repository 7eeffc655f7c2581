"""The controlled vocabularies of policy records: implementation statuses, practice states, evidence ratings,
target groups, and the checks every service applies to chapters, recommendations, SDG targets and countries."""

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from observatory.datasets import DATASETS
from observatory.errors import BadInput
from observatory.reference import sdg, ungass
from observatory.reference.geography import Place, place

POLICY_DATA = DATASETS / "policy"


class Status(StrEnum):
    """Where a country stands on a chapter or recommendation, as of a date."""

    NOT_STARTED = "not_started"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    NOT_APPLICABLE = "not_applicable"


class DatePrecision(StrEnum):
    DAY = "day"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    label: str
    definition: str = ""


@cache
def evidence_ratings() -> tuple[Term, ...]:
    """The evidence rating scale, best first."""
    rows = sorted(_rows(POLICY_DATA / "evidence_ratings.csv"), key=lambda row: int(row["rank"]))
    return tuple(Term(row["code"], row["label"], row["definition"]) for row in rows)


@cache
def target_groups() -> tuple[Term, ...]:
    return tuple(Term(row["code"], row["label"]) for row in _rows(POLICY_DATA / "target_groups.csv"))


def term(terms: tuple[Term, ...], code: str, field: str) -> Term:
    for known in terms:
        if known.code == code:
            return known
    accepted = [known.code for known in terms]
    raise BadInput(f"unknown {field} {code!r}; accepted: {', '.join(accepted)}", [{"field": field, "value": code}])


def status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        accepted = [str(known) for known in Status]
        raise BadInput(
            f"unknown status {value!r}; accepted: {', '.join(accepted)}", [{"field": "status", "value": value}]
        ) from None


def chapter_number(value: int) -> int:
    return ungass.chapter(value).number


def recommendation_code(code: str, chapter: int) -> str:
    """``code`` if it is a recommendation of ``chapter``."""
    found = {known.code: known for known in ungass.recommendations()}
    known = found.get(code.strip())
    if known is None or known.chapter != chapter:
        accepted = [c for c, r in found.items() if r.chapter == chapter]
        raise BadInput(
            f"{code!r} is not a recommendation of chapter {chapter}; accepted: {', '.join(accepted)}",
            [{"field": "recommendation", "value": code, "accepted": accepted}],
        )
    return known.code


def sdg_target_code(code: str) -> str:
    return sdg.target(code).code


def country(iso3: str) -> Place:
    """The current place with ISO3 code ``iso3`` (any case), or ``UnknownCountry``."""
    return place(iso3)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
