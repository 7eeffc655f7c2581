"""Completeness and timeliness of reporting rounds: per country, expected, received, on time or late.

A round (data set × year, with its opening and closing dates and the countries expected) is data in
``datasets/rounds.csv``. Its ``expected`` cell is ``universe`` (the reporting universe of
``reference.reporting_universe``: UN Member States, non-member States and the territories the ARQ covers, never
Antarctica), ``network:NAME`` (a reporting network such as WENDU), or ISO3 codes separated by ``;``.

A country has reported when a submission that is neither invalid nor rejected holds values of that year for it; it
reported on time when the first such submission arrived by the closing date. Values for a place the round does not
expect are kept apart (``unexpected``), never dropped and never counted in the completeness.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, func, select

from observatory.access.policy import network_countries
from observatory.errors import NotFound
from observatory.reference.countries import country_codes
from observatory.reference.reporting_universe import unconfirmed_codes, universe_codes
from observatory.reference.tables import cell_error, read_table
from observatory.store.reporting_schema import Observation
from observatory.store.schema import Submission

ROUNDS = Path(__file__).parent / "datasets" / "rounds.csv"
COLUMNS = ("dataset", "year", "opens", "closes", "expected", "note")
NOT_RECEIVED = ("invalid", "rejected")
UNIVERSE = "universe"
NETWORK = "network:"


@dataclass(frozen=True, slots=True)
class Round:
    dataset: str
    year: int
    opens: date
    closes: date
    expected: frozenset[str]
    #: Expected places whose membership of the reporting universe is unconfirmed.
    unconfirmed: frozenset[str] = frozenset()


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
    #: Places outside the expected ones that sent values of the round's year (counted nowhere else).
    unexpected: tuple[CountryReport, ...] = ()

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
            "unconfirmed": len(self.round.unconfirmed),
            "unexpected": len(self.unexpected),
        }


@cache
def rounds() -> tuple[Round, ...]:
    return read_rounds(ROUNDS)


def read_rounds(path: Path) -> tuple[Round, ...]:
    """The rounds of a file laid out as ``rounds.csv``; a bad cell is refused with its row and column."""
    found = []
    for number, row in read_table(path, COLUMNS, exact=True):
        try:
            year = int(row["year"])
        except ValueError:
            raise cell_error(path, number, "year", row["year"], "expected a year such as 2024") from None
        opens, closes = (_date(path, number, row, column) for column in ("opens", "closes"))
        if closes < opens:
            raise cell_error(path, number, "closes", row["closes"], f"the round closes before it opens ({opens})")
        expected = _expected(path, number, row["expected"])
        unconfirmed = unconfirmed_codes() & expected if row["expected"] == UNIVERSE else frozenset()
        found.append(Round(row["dataset"], year, opens, closes, expected, unconfirmed))
    return tuple(found)


def round_status(engine: Engine, dataset: str, year: int, as_of: date | None = None) -> RoundStatus:
    chosen = next((r for r in rounds() if r.dataset == dataset and r.year == year), None)
    if chosen is None:
        known = ", ".join(f"{r.dataset} {r.year}" for r in rounds())
        raise NotFound(
            f"no reporting round for {dataset} {year}; rounds: {known}", [{"dataset": dataset, "year": year}]
        )
    first = _first_received(engine, dataset, year)
    countries = tuple(CountryReport(code, first.get(code)) for code in sorted(chosen.expected))
    unexpected = tuple(CountryReport(code, at) for code, at in sorted(first.items()) if code not in chosen.expected)
    return RoundStatus(chosen, countries, as_of or date.today(), unexpected)


def _first_received(engine: Engine, dataset: str, year: int) -> dict[str, datetime]:
    """Per country, when the first submission that is neither invalid nor rejected with its values arrived."""
    query = (
        select(Observation.country_iso3, func.min(Submission.created_at))
        .join(Submission, Submission.id == Observation.submission_id)
        .where(
            Observation.dataset == dataset,
            Observation.year == year,
            Observation.country_iso3.is_not(None),
            Submission.status.not_in(NOT_RECEIVED),
        )
        .group_by(Observation.country_iso3)
    )
    with engine.connect() as connection:
        return {country: at for country, at in connection.execute(query) if country}


def _date(path: Path, number: int, row: dict[str, str], column: str) -> date:
    try:
        return date.fromisoformat(row[column])
    except ValueError:
        raise cell_error(path, number, column, row[column], "expected a date such as 2025-06-30") from None


def _expected(path: Path, number: int, spec: str) -> frozenset[str]:
    if spec == UNIVERSE:
        return universe_codes()
    if spec.startswith(NETWORK):
        members = network_countries(spec.removeprefix(NETWORK))
        if not members:
            raise cell_error(path, number, "expected", spec, "no such network, or it has no members")
        return members
    codes = frozenset(code.strip() for code in spec.split(";") if code.strip())
    unknown = sorted(codes - country_codes())
    if not codes or unknown:
        reason = f"not codes of current places: {unknown}" if unknown else "no place expected"
        raise cell_error(
            path, number, "expected", spec, f"{reason}; give {UNIVERSE!r}, {NETWORK}NAME or ISO3 codes separated by ';'"
        )
    return codes
