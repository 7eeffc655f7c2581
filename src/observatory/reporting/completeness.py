"""Completeness and timeliness of reporting rounds: per country, expected, received, on time or late.

A round (data set × year, with its opening and closing dates and the countries expected) is data in
``datasets/rounds.csv``. A country has reported when a submission that is neither invalid nor rejected holds
values of that year for it; it reported on time when the first such submission arrived by the closing date.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, func, select, union_all

from observatory.access.policy import network_countries
from observatory.errors import NotFound
from observatory.reference.countries import country_codes
from observatory.store.reporting_schema import Observation
from observatory.store.schema import AnnualSeizure, Submission

ROUNDS = Path(__file__).parent / "datasets" / "rounds.csv"
NOT_RECEIVED = ("invalid", "rejected")


@dataclass(frozen=True, slots=True)
class Round:
    dataset: str
    year: int
    opens: date
    closes: date
    expected: frozenset[str]


@dataclass(frozen=True, slots=True)
class CountryReport:
    country_iso3: str
    received_at: datetime | None

    @property
    def status(self) -> str:
        return "missing" if self.received_at is None else "received"


@dataclass(frozen=True, slots=True)
class RoundStatus:
    round: Round
    countries: tuple[CountryReport, ...]
    as_of: date

    def on_time(self, report: CountryReport) -> bool | None:
        return None if report.received_at is None else report.received_at.date() <= self.round.closes

    @property
    def summary(self) -> dict[str, int | float]:
        received = [c for c in self.countries if c.received_at is not None]
        on_time = sum(1 for c in received if self.on_time(c))
        expected = len(self.countries)
        return {
            "expected": expected,
            "received": len(received),
            "on_time": on_time,
            "late": len(received) - on_time,
            "overdue": expected - len(received) if self.as_of > self.round.closes else 0,
            "completeness": len(received) / expected if expected else 0.0,
        }


@cache
def rounds() -> tuple[Round, ...]:
    with ROUNDS.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Round(
                row["dataset"],
                int(row["year"]),
                date.fromisoformat(row["opens"]),
                date.fromisoformat(row["closes"]),
                _expected(row["expected"]),
            )
            for row in csv.DictReader(handle)
        )


def round_status(engine: Engine, dataset: str, year: int, as_of: date | None = None) -> RoundStatus:
    chosen = next((r for r in rounds() if r.dataset == dataset and r.year == year), None)
    if chosen is None:
        known = ", ".join(f"{r.dataset} {r.year}" for r in rounds())
        raise NotFound(
            f"no reporting round for {dataset} {year}; rounds: {known}", [{"dataset": dataset, "year": year}]
        )
    first = _first_received(engine, dataset, year)
    countries = tuple(CountryReport(code, first.get(code)) for code in sorted(chosen.expected))
    return RoundStatus(chosen, countries, as_of or date.today())


def _first_received(engine: Engine, dataset: str, year: int) -> dict[str, datetime]:
    received = Submission.status.not_in(NOT_RECEIVED)
    generic = (
        select(Observation.country_iso3.label("country"), Submission.created_at)
        .join(Submission, Submission.id == Observation.submission_id)
        .where(Observation.dataset == dataset, Observation.year == year, received)
    )
    typed = (
        select(AnnualSeizure.country_iso3.label("country"), Submission.created_at)
        .join(Submission, Submission.id == AnnualSeizure.submission_id)
        .where(Submission.dataset == dataset, AnnualSeizure.year == year, received)
    )
    both = union_all(generic, typed).subquery()
    query = select(both.c.country, func.min(both.c.created_at)).group_by(both.c.country)
    with engine.connect() as connection:
        return {country: at for country, at in connection.execute(query) if country}


def _expected(spec: str) -> frozenset[str]:
    if spec == "all":
        return country_codes()
    if spec.startswith("network:"):
        return network_countries(spec.removeprefix("network:"))
    return frozenset(code.strip() for code in spec.split(";") if code.strip())
