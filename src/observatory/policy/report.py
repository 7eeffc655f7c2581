"""The progress reports: one per country (status by chapter and SDG target, strategies, workshops, practices,
laws, programmes) and the global summary for the Commission on Narcotic Drugs. Both are data; the web layer
renders them as HTML, and ``policy.pdf`` prints that HTML to PDF."""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from observatory.policy import laws, practice_queries, programmes, strategies, tracker, vocabulary, workshops
from observatory.policy.tracker import StatusEntry
from observatory.policy.vocabulary import Status
from observatory.reference import sdg, ungass
from observatory.store.engine import transaction
from observatory.store.policy_schema import ImplementationStatus

#: Most advanced first: an SDG target takes the most advanced status of the chapters linked to it.
ADVANCEMENT = (Status.IMPLEMENTED, Status.IN_PROGRESS, Status.PLANNED, Status.NOT_STARTED, Status.NOT_APPLICABLE)


def country_report(engine: Engine, country: str) -> dict[str, Any]:
    place = vocabulary.country(country)
    current = tracker.current_by_chapter(engine, place.iso3)
    chapters = [
        {"number": chapter.number, "title": chapter.contents_title, "status": _status(current[chapter.number])}
        for chapter in ungass.chapters()
    ]
    return {
        "country": {
            "iso3": place.iso3,
            "name": place.name,
            "region": place.unodc_region,
            "subregion": place.unodc_subregion,
        },
        "generated_on": date.today().isoformat(),
        "chapters": chapters,
        "status_counts": dict(Counter(str(entry.status) if entry else "none" for entry in current.values())),
        "sdg": _sdg_rollup({number: entry.status for number, entry in current.items() if entry is not None}),
        "strategies": strategies.strategies(engine, place.iso3),
        "workshops": workshops.workshops(engine, place.iso3),
        "practices": practice_queries.published(engine, practice_queries.PracticeFilter(country=place.iso3))[
            "practices"
        ],
        "laws": laws.laws(engine, place.iso3),
        "programmes": programmes.programmes(engine, country=place.iso3),
        "statuses": [{"label": str(status), "title": status.replace("_", " ")} for status in ADVANCEMENT],
    }


def global_summary(engine: Engine) -> dict[str, Any]:
    """Countries by status for each chapter and for each SDG target or goal the chapters link to."""
    summary = tracker.global_summary(engine)
    latest: dict[str, dict[int, Status]] = {}
    query = select(ImplementationStatus.country_iso3, ImplementationStatus.chapter, ImplementationStatus.status)
    with transaction(engine) as session:
        ordered = query.order_by(ImplementationStatus.as_of.desc(), ImplementationStatus.id.desc())
        for iso3, chapter, status in session.execute(ordered):
            latest.setdefault(iso3, {}).setdefault(chapter, Status(status))
    sdg_counts: dict[str, Counter[str]] = {}
    titles: dict[str, dict[str, Any]] = {}
    for statuses in latest.values():
        for row in _sdg_rollup(statuses):
            titles[row["code"]] = row
            if row["status"] is not None:
                sdg_counts.setdefault(row["code"], Counter())[row["status"]] += 1
    sdg_rows = [
        {**titles[code], "counts": {str(s): sdg_counts.get(code, Counter())[str(s)] for s in ADVANCEMENT}}
        for code in titles
    ]
    return {
        **summary,
        "generated_on": date.today().isoformat(),
        "sdg": sdg_rows,
        "statuses": [{"label": str(status), "title": status.replace("_", " ")} for status in ADVANCEMENT],
    }


def _status(entry: StatusEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    shown = str(entry.as_of.year) if entry.date_precision == "year" else entry.as_of.isoformat()
    return {
        "status": str(entry.status),
        "as_of": shown,
        "recommendation": entry.recommendation,
        "evidence": entry.evidence,
        "source": entry.source,
    }


def _sdg_rollup(statuses: dict[int, Status]) -> list[dict[str, Any]]:
    """One row per SDG target or goal linked to a chapter, with the most advanced status of its chapters."""
    rows: dict[str, dict[str, Any]] = {}
    for chapter in ungass.chapters():
        for link in chapter.sdg_links:
            row = rows.setdefault(
                link.code,
                {"code": link.code, "level": str(link.level), "title": _title(link), "chapters": [], "status": None},
            )
            row["chapters"].append(chapter.number)
    for row in rows.values():
        known = [statuses[number] for number in row["chapters"] if number in statuses]
        best = min(known, key=ADVANCEMENT.index) if known else None
        row["status"] = str(best) if best is not None else None
    return sorted(rows.values(), key=lambda row: _code_order(row["code"]))


def _code_order(code: str) -> list[tuple[int, int, str]]:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split(".")]


def _title(link: ungass.SdgLink) -> str:
    entry = sdg.catalogue().entry(link.level, link.code)
    return entry.short_title_en or entry.titles.en
