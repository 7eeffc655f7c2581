"""Finding published practices: filters with facet counts (chapter, SDG target, region, target group, evidence
rating), practices from countries like mine (the same World Drug Report sub-region) and similar practices."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from observatory.errors import NotFound
from observatory.policy import vocabulary
from observatory.policy.practices import PracticeStatus, as_dict
from observatory.policy.search.documents import Kind
from observatory.policy.search.query import STOP_WORDS, SearchSyntaxError
from observatory.policy.search.service import search
from observatory.reference.geography import Place
from observatory.store.engine import transaction
from observatory.store.policy_schema import Practice

FACETS = ("chapter", "sdg_target", "region", "target_group", "evidence_rating")


@dataclass(frozen=True, slots=True)
class PracticeFilter:
    chapter: int | None = None
    sdg_target: str | None = None
    region: str | None = None
    target_group: str | None = None
    evidence_rating: str | None = None
    country: str | None = None


def published(engine: Engine, chosen: PracticeFilter | None = None) -> dict[str, Any]:
    """Published practices matching every filter given, and for each facet the counts of its values among the
    practices matching the other filters."""
    rows = _published(engine)
    tests = _tests(chosen or PracticeFilter())
    facets = {
        facet: _counts(facet, [row for row in rows if all(test(row) for name, test in tests.items() if name != facet)])
        for facet in FACETS
    }
    matching = [row for row in rows if all(test(row) for test in tests.values())]
    return {"practices": matching, "facets": facets}


def like_mine(engine: Engine, country: str) -> list[dict[str, Any]]:
    """Published practices of other countries in ``country``'s World Drug Report sub-region (M49 sub-region when
    the WDR does not place it)."""
    mine = vocabulary.country(country)
    return [
        row for row in _published(engine) if row["country"] != mine.iso3 and _subregion(row["country"]) == _area(mine)
    ]


def similar(engine: Engine, practice_id: int, top: int = 5) -> list[dict[str, Any]]:
    """Other published practices whose text best matches this one's title and chapter, by full-text rank."""
    rows = {row["id"]: row for row in _published(engine)}
    if practice_id not in rows:
        raise NotFound(f"no published practice {practice_id}", [{"field": "id", "value": practice_id}])
    words = [word for word in rows[practice_id]["title"].split() if word.casefold() not in STOP_WORDS]
    try:
        hits = search(engine, " ".join(words), kind=str(Kind.PRACTICE), top=top + 1)
    except SearchSyntaxError:
        return []
    return [rows[int(hit.id)] for hit in hits if int(hit.id) != practice_id and int(hit.id) in rows][:top]


def _published(engine: Engine) -> list[dict[str, Any]]:
    query = select(Practice).where(Practice.status == str(PracticeStatus.PUBLISHED)).order_by(Practice.id.desc())
    with transaction(engine) as session:
        return [{**as_dict(row), "region": region(row.country_iso3)} for row in session.scalars(query)]


def region(iso3: str) -> str:
    place = vocabulary.country(iso3)
    return place.unodc_region or place.region_name


def _area(place: Place) -> str:
    return place.unodc_subregion or place.subregion_name


def _subregion(iso3: str) -> str:
    return _area(vocabulary.country(iso3))


def _tests(chosen: PracticeFilter) -> dict[str, Callable[[dict[str, Any]], bool]]:
    tests: dict[str, Callable[[dict[str, Any]], bool]] = {}
    if chosen.chapter is not None:
        number = vocabulary.chapter_number(chosen.chapter)
        tests["chapter"] = lambda row: row["chapter"] == number
    if chosen.sdg_target:
        target = vocabulary.sdg_target_code(chosen.sdg_target)
        tests["sdg_target"] = lambda row: target in row["sdg_targets"]
    if chosen.region:
        wanted = chosen.region
        tests["region"] = lambda row: row["region"] == wanted
    if chosen.target_group:
        group = vocabulary.term(vocabulary.target_groups(), chosen.target_group, "target_group").code
        tests["target_group"] = lambda row: row["target_group"] == group
    if chosen.evidence_rating:
        rating = vocabulary.term(vocabulary.evidence_ratings(), chosen.evidence_rating, "evidence_rating").code
        tests["evidence_rating"] = lambda row: row["evidence_rating"] == rating
    if chosen.country:
        iso3 = vocabulary.country(chosen.country).iso3
        tests["country"] = lambda row: row["country"] == iso3
    return tests


def _counts(facet: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    values: Counter[Any] = Counter()
    for row in rows:
        values.update(row["sdg_targets"] if facet == "sdg_target" else [row[facet]])
    return [
        {"value": value, "count": count} for value, count in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
