"""Legislation: one record per act whose schedules the substance registry holds (``laws.csv``), with every
substance the act schedules, its schedule or list, and the date its control took effect where the source
gives one (China's supplementary list does; the US and Dutch lists give editions only)."""

import csv
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from observatory.errors import NotFound
from observatory.policy import vocabulary
from observatory.reference.substances.registry import SubstanceRegistry
from observatory.store.engine import transaction
from observatory.store.policy_schema import Law, ScheduledSubstance

LAWS_FILE = vocabulary.POLICY_DATA / "laws.csv"
REGISTRY_SOURCE = "substance registry (datasets/substances/SOURCES.md)"


@dataclass(frozen=True, slots=True)
class Scheduled:
    substance_id: str
    substance_name: str
    schedule: str
    effective: date | None
    code: str | None


def load_laws(session: Session, registry: SubstanceRegistry) -> int:
    """Insert or update each act of ``laws.csv`` and replace its scheduled substances from the registry."""
    with LAWS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        law = session.scalar(select(Law).where(Law.code == row["code"])) or Law(code=row["code"])
        law.country_iso3 = vocabulary.country(row["country"]).iso3
        law.title, law.citation, law.edition, law.summary = (
            row["title"],
            row["citation"],
            row["edition"],
            row["summary"],
        )
        law.enacted = date.fromisoformat(row["enacted"]) if row["enacted"] else None
        law.in_force = date.fromisoformat(row["in_force"]) if row["in_force"] else None
        law.source = f"{row['regime']} control facts of the {REGISTRY_SOURCE}"
        session.add(law)
        session.flush()
        session.execute(delete(ScheduledSubstance).where(ScheduledSubstance.law_id == law.id))
        session.add_all(
            ScheduledSubstance(law_id=law.id, **vars_of(item)) for item in scheduled_under(registry, row["regime"])
        )
    return len(rows)


def scheduled_under(registry: SubstanceRegistry, regime: str) -> list[Scheduled]:
    """Every (substance, schedule) the registry's control facts give under ``regime``, once, earliest date kept."""
    found: dict[tuple[str, str], Scheduled] = {}
    for substance in registry.substances:
        for fact in substance.controls:
            if fact.regime != regime:
                continue
            key = (substance.id, fact.schedule)
            item = Scheduled(
                substance.id, substance.preferred_name[:512], fact.schedule[:255], fact.effective, fact.code
            )
            earlier = found.get(key)
            if earlier is None or (
                item.effective and (earlier.effective is None or item.effective < earlier.effective)
            ):
                found[key] = item
    return sorted(found.values(), key=lambda item: (item.schedule, item.substance_name.casefold()))


def vars_of(item: Scheduled) -> dict[str, Any]:
    return {
        "substance_id": item.substance_id[:128],
        "substance_name": item.substance_name,
        "schedule": item.schedule,
        "effective": item.effective,
        "code": item.code[:64] if item.code else None,
    }


def laws(engine: Engine, country: str | None = None) -> list[dict[str, Any]]:
    query = select(Law, func.count(ScheduledSubstance.id)).outerjoin(ScheduledSubstance).group_by(Law.id)
    if country is not None:
        query = query.where(Law.country_iso3 == vocabulary.country(country).iso3)
    with transaction(engine) as session:
        return [{**as_dict(law), "substances": count} for law, count in session.execute(query.order_by(Law.code))]


def law(engine: Engine, code: str, schedule: str | None = None) -> dict[str, Any]:
    """One act with its scheduled substances (only those of ``schedule`` if given)."""
    with transaction(engine) as session:
        found = session.scalar(select(Law).where(Law.code == code))
        if found is None:
            raise NotFound(f"no law {code!r}", [{"field": "code", "value": code}])
        query = select(ScheduledSubstance).where(ScheduledSubstance.law_id == found.id)
        if schedule is not None:
            query = query.where(ScheduledSubstance.schedule == schedule)
        rows = session.scalars(query.order_by(ScheduledSubstance.schedule, ScheduledSubstance.substance_name))
        scheduled = [
            {
                "substance_id": row.substance_id,
                "name": row.substance_name,
                "schedule": row.schedule,
                "effective": row.effective.isoformat() if row.effective else None,
                "code": row.code,
            }
            for row in rows
        ]
        return {**as_dict(found), "scheduled": scheduled}


def as_dict(law: Law) -> dict[str, Any]:
    return {
        "code": law.code,
        "country": law.country_iso3,
        "title": law.title,
        "citation": law.citation,
        "enacted": law.enacted.isoformat() if law.enacted else None,
        "in_force": law.in_force.isoformat() if law.in_force else None,
        "edition": law.edition,
        "summary": law.summary,
        "source": law.source,
    }
