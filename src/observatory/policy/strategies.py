"""National drug strategies coded by policy domain (CDPE Drug Policy Metrics Map), and the implementation
statuses they evidence.

Each completed row of the CDPE file becomes a strategy record. A domain whose priorities cell says something
(not empty, not ``N``) evidences the chapter that ``cdpe_domain_chapters.csv`` maps the domain to: *in progress*
as of the start year when the document gives an implementation period, else *planned* as of its year. Domains
mapped to one chapter give one status, whose evidence quotes each. A row without any year gives no status.
"""

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.policy import vocabulary
from observatory.policy.vocabulary import DatePrecision, Status
from observatory.store.engine import transaction
from observatory.store.policy_schema import Strategy

STRATEGIES_FILE = vocabulary.POLICY_DATA / "cdpe_drug_policy_metrics_nds_policies.csv"
DOMAIN_CHAPTERS_FILE = vocabulary.POLICY_DATA / "cdpe_domain_chapters.csv"
CDPE = "Centre on Drug Policy Evaluation (2018), Drug Policy Metrics Map, nds_policies.csv"
EVIDENCE_CHARACTERS = 600
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NOTHING = {"", "n", "n/a", "na", "none", "no"}
#: CDPE gives years only.
DATE_PRECISION = DatePrecision.YEAR


@dataclass(frozen=True, slots=True)
class StrategyStatus:
    chapter: int
    status: Status
    as_of: date
    evidence: str


@dataclass(frozen=True, slots=True)
class StrategyRecord:
    code: str
    country_iso3: str
    name: str
    year: int | None
    start_year: int | None
    end_year: int | None
    link: str | None
    lead_agency: str | None
    domains: dict[str, dict[str, str]]
    source: str
    statuses: tuple[StrategyStatus, ...] = field(default=())


@cache
def domain_chapters() -> dict[str, int]:
    """CDPE policy domain → UNGASS 2016 chapter, as the data file records it."""
    with DOMAIN_CHAPTERS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["domain"]: vocabulary.chapter_number(int(row["chapter"])) for row in csv.DictReader(handle)}


def read_strategies(path: Path = STRATEGIES_FILE) -> tuple[StrategyRecord, ...]:
    csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    return tuple(_record(number, row) for number, row in rows if row["Completed"].strip() == "Y" and row["ISO"].strip())


def _record(number: int, row: dict[str, str]) -> StrategyRecord:
    domains = {
        domain: {"priorities": _text(row[f"{domain} Priorities"]), "metrics": _text(row[f"{domain} Metrics"])}
        for domain in domain_chapters()
    }
    name = " ".join(row["NDS Name"].split())
    link = row["NDS Link"].strip() or None
    record = StrategyRecord(
        code=f"cdpe-{number}",
        country_iso3=vocabulary.country(row["ISO"]).iso3,
        name=name,
        year=_year(row["NDS Year"]),
        start_year=_year(row["NDS Start Date"]),
        end_year=_year(row["NDS End Date"]),
        link=link,
        lead_agency=" ".join(row["Lead Agency Name"].split()) or None,
        domains={domain: texts for domain, texts in domains.items() if any(texts.values())},
        source=f"{name}" + (f" ({link})" if link else "") + f"; coded in {CDPE}, row {number}",
    )
    return replace(record, statuses=_statuses(record))


def _statuses(record: StrategyRecord) -> tuple[StrategyStatus, ...]:
    if record.start_year is not None:
        status, year = Status.IN_PROGRESS, record.start_year
    elif record.year is not None:
        status, year = Status.PLANNED, record.year
    else:
        return ()
    quotes: defaultdict[int, list[str]] = defaultdict(list)
    for domain, texts in record.domains.items():
        if texts["priorities"]:
            quotes[domain_chapters()[domain]].append(f"{domain} priorities: {_shortened(texts['priorities'])}")
    period = f"{record.start_year}–{record.end_year or '?'}" if record.start_year else str(record.year)
    return tuple(
        StrategyStatus(chapter, status, date(year, 1, 1), f"{record.name} ({period}). " + " | ".join(texts))
        for chapter, texts in sorted(quotes.items())
    )


def _text(cell: str) -> str:
    text = " ".join(cell.split()).strip(" ~")
    return "" if text.casefold() in _NOTHING else text


def _shortened(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARACTERS else text[:EVIDENCE_CHARACTERS].rsplit(" ", 1)[0] + " …"


def _year(cell: str) -> int | None:
    found = _YEAR.search(cell)
    return int(found.group()) if found else None


def load_strategies(session: Session, records: tuple[StrategyRecord, ...]) -> int:
    """Insert or update each strategy by code."""
    existing = {strategy.code: strategy for strategy in session.scalars(select(Strategy))}
    for record in records:
        strategy = existing.get(record.code) or Strategy(code=record.code)
        strategy.country_iso3 = record.country_iso3
        strategy.name = record.name[:512]
        strategy.year, strategy.start_year, strategy.end_year = record.year, record.start_year, record.end_year
        strategy.link = record.link[:1024] if record.link else None
        strategy.lead_agency = record.lead_agency[:512] if record.lead_agency else None
        strategy.domains = record.domains
        strategy.source = record.source[:512]
        session.add(strategy)
    session.flush()
    return len(records)


def strategies(engine: Engine, country: str) -> list[dict[str, Any]]:
    iso3 = vocabulary.country(country).iso3
    query = select(Strategy).where(Strategy.country_iso3 == iso3).order_by(Strategy.year.desc(), Strategy.code)
    with transaction(engine) as session:
        return [as_dict(strategy) for strategy in session.scalars(query)]


def as_dict(strategy: Strategy) -> dict[str, Any]:
    return {
        "code": strategy.code,
        "country": strategy.country_iso3,
        "name": strategy.name,
        "year": strategy.year,
        "start_year": strategy.start_year,
        "end_year": strategy.end_year,
        "link": strategy.link,
        "lead_agency": strategy.lead_agency,
        "domains": strategy.domains,
        "chapters": sorted({domain_chapters()[domain] for domain in strategy.domains}),
        "source": strategy.source,
    }
