"""Policy knowledge over the API: catalogue, country implementation, workshops, good practices, laws and cases
(``/api/v1/policy/...``), and search by words and meaning (``/api/v1/search``)."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from observatory.policy import cases, laws, practice_queries, practices, programmes, report, tracker, workshops
from observatory.policy.cases import NewCase
from observatory.policy.practice_queries import PracticeFilter
from observatory.policy.practices import NewPractice
from observatory.policy.search import find
from observatory.policy.workshops import NewWorkshop
from observatory.reference import ungass
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])
Country = Annotated[str | None, Query(description="ISO 3166 alpha-3 code")]
#: A chapter of the UNGASS 2016 outcome document.
ChapterNumber = Annotated[int, Field(ge=1, le=7)]
Chapter = Annotated[ChapterNumber | None, Query(description="UNGASS 2016 chapter")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusIn(Body):
    chapter: ChapterNumber
    status: str = Field(description="not_started, planned, in_progress, implemented or not_applicable")
    as_of: date
    evidence: str
    source: str
    recommendation: str | None = None


class WorkshopIn(Body):
    country: str
    held_on: date
    ministries: list[str]
    chapters: list[ChapterNumber]
    notes: str = ""


class RequestIn(Body):
    request: str
    chapter: ChapterNumber | None = None


class FollowUpIn(Body):
    status: str = Field(description="open, in_progress, completed or declined")
    note: str
    on: date


class PracticeIn(Body):
    title: str
    country: str
    chapter: ChapterNumber
    target_group: str
    description: str
    recommendations: list[str] = []
    sdg_targets: list[str] = []
    setting: str = ""
    results: str = ""
    evaluation_design: str = ""
    evidence_rating: str = "not_rated"
    contacts: str = ""

    def new(self) -> NewPractice:
        values = self.model_dump()
        values |= {"recommendations": tuple(self.recommendations), "sdg_targets": tuple(self.sdg_targets)}
        return NewPractice(**values)


class ReviewIn(Body):
    action: str = Field(description="comment, request_changes, publish or reject")
    comment: str = ""


class CaseIn(Body):
    country: str
    court: str
    decided_on: date
    offence_type: str
    substances: list[str]
    summary: str
    citation: str
    source: str


def _ok(data: Any, **meta: Any) -> dict[str, Any]:
    return {"data": data, "meta": meta}


@router.get("/search")
def search(
    request: Request,
    records: Records,
    settings: SettingsDep,
    q: Annotated[str, Query(description='words, "phrases", prefix*, -excluded; or a question in any language')],
    kind: Annotated[str | None, Query(description="recommendation, programme, strategy, practice, law or case")] = None,
    country: Country = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    mode: Annotated[str, Query(description="hybrid (words and meaning), fulltext or semantic")] = "hybrid",
    understand: Annotated[
        bool, Query(description="read the countries and kinds the query names (false: take it literally)")
    ] = True,
) -> dict[str, Any]:
    """Search recommendations, programmes, strategies, published practices, laws and cases. ``meta.mode`` is the
    mode that ranked the results: full text when the search model is unavailable, with ``meta.note`` saying why.
    ``meta.understood`` is what the query was read to name ("Algeria · strategies": only Algeria's documents,
    strategies first), with ``undo``, the same search taken literally; ``null`` when nothing was read."""
    found = find(
        records, q, kind=kind, country=country, top=top, mode=mode, model=settings.search_model, understand=understand
    )
    understood = None
    if found.understood:
        undo = str(request.url.include_query_params(understand="false"))
        understood = found.understood.as_json() | {"undo": undo}
    meta = {
        "query": q,
        "kind": kind,
        "country": country,
        "mode": found.mode,
        "requested_mode": found.requested,
        "model": found.model,
        "note": found.note,
        "understood": understood,
    }
    return {"results": [asdict(hit) for hit in found.hits], "meta": meta}


@router.get("/policy/chapters")
def chapters() -> dict[str, Any]:
    """The seven chapters of the UNGASS 2016 outcome document, their SDG links and recommendations."""
    data = [
        {
            "number": chapter.number,
            "title": chapter.title,
            "sdg_targets": list(chapter.sdg_targets),
            "sdg_links": [{"code": link.code, "level": str(link.level)} for link in chapter.sdg_links],
            "recommendations": [asdict(r) for r in ungass.recommendations() if r.chapter == chapter.number],
        }
        for chapter in ungass.chapters()
    ]
    return _ok(data)


@router.get("/policy/programmes")
def programme_list(records: Records, chapter: Chapter = None, country: Country = None) -> dict[str, Any]:
    return _ok(programmes.programmes(records, chapter, country))


@router.get("/policy/programmes/{code}")
def programme(records: Records, code: str) -> dict[str, Any]:
    return _ok(programmes.programme(records, code))


@router.get("/policy/summary")
def summary(records: Records) -> dict[str, Any]:
    """For the Commission: countries by status for each chapter and each SDG target or goal."""
    return _ok(report.global_summary(records))


@router.get("/policy/countries/{iso3}")
def country(records: Records, iso3: str) -> dict[str, Any]:
    """A country's status by chapter and SDG target, strategies, workshops, practices, laws and programmes."""
    return _ok(report.country_report(records, iso3))


@router.get("/policy/countries/{iso3}/statuses")
def statuses(records: Records, iso3: str, chapter: Chapter = None) -> dict[str, Any]:
    """Every dated status of the country, newest first."""
    return _ok([asdict(entry) for entry in tracker.history(records, iso3, chapter)])


@router.post("/policy/countries/{iso3}/statuses", status_code=201)
def record_status(records: Records, principal: CurrentPrincipal, iso3: str, body: StatusIn) -> dict[str, Any]:
    entry = tracker.record_status(
        records, principal, iso3, body.chapter, body.status, body.as_of, body.evidence, body.source, body.recommendation
    )
    return _ok(asdict(entry))


@router.post("/policy/workshops", status_code=201)
def add_workshop(records: Records, principal: CurrentPrincipal, body: WorkshopIn) -> dict[str, Any]:
    held = NewWorkshop(body.country, body.held_on, tuple(body.ministries), tuple(body.chapters), body.notes)
    return _ok(workshops.add_workshop(records, principal, held))


@router.post("/policy/workshops/{workshop_id}/requests", status_code=201)
def add_request(records: Records, principal: CurrentPrincipal, workshop_id: Id, body: RequestIn) -> dict[str, Any]:
    return _ok(workshops.add_request(records, principal, workshop_id, body.request, body.chapter))


@router.post("/policy/requests/{request_id}/follow-up")
def follow_up(records: Records, principal: CurrentPrincipal, request_id: Id, body: FollowUpIn) -> dict[str, Any]:
    return _ok(workshops.follow_up(records, principal, request_id, body.status, body.note, body.on))


@router.get("/policy/practices")
def practice_list(
    records: Records,
    chapter: Chapter = None,
    sdg_target: str | None = None,
    region: str | None = None,
    target_group: str | None = None,
    evidence_rating: str | None = None,
    country: Country = None,
) -> dict[str, Any]:
    """Published practices with facet counts (chapter, SDG target, region, target group, evidence rating)."""
    chosen = PracticeFilter(chapter, sdg_target, region, target_group, evidence_rating, country)
    found = practice_queries.published(records, chosen)
    return {"data": found["practices"], "facets": found["facets"], "meta": {"count": len(found["practices"])}}


@router.get("/policy/practices/like/{iso3}")
def like_mine(records: Records, iso3: str) -> dict[str, Any]:
    """Published practices from other countries of the same World Drug Report sub-region."""
    return _ok(practice_queries.like_mine(records, iso3))


@router.get("/policy/practices/{practice_id}")
def practice(records: Records, principal: CurrentPrincipal, practice_id: Id) -> dict[str, Any]:
    return _ok(practices.practice(records, principal, practice_id))


@router.get("/policy/practices/{practice_id}/similar")
def similar(records: Records, practice_id: Id) -> dict[str, Any]:
    return _ok(practice_queries.similar(records, practice_id))


@router.post("/policy/practices", status_code=201)
def submit(records: Records, principal: CurrentPrincipal, body: PracticeIn) -> dict[str, Any]:
    return _ok(practices.submit(records, principal, body.new()))


@router.put("/policy/practices/{practice_id}")
def revise(records: Records, principal: CurrentPrincipal, practice_id: Id, body: PracticeIn) -> dict[str, Any]:
    return _ok(practices.revise(records, principal, practice_id, body.new()))


@router.post("/policy/practices/{practice_id}/review")
def review(records: Records, principal: CurrentPrincipal, practice_id: Id, body: ReviewIn) -> dict[str, Any]:
    return _ok(practices.review(records, principal, practice_id, body.action, body.comment))


@router.get("/policy/laws")
def law_list(records: Records, country: Country = None) -> dict[str, Any]:
    return _ok(laws.laws(records, country))


@router.get("/policy/laws/{code}")
def law(records: Records, code: str, schedule: str | None = None) -> dict[str, Any]:
    return _ok(laws.law(records, code, schedule))


@router.get("/policy/cases")
def case_list(records: Records, country: Country = None) -> dict[str, Any]:
    return _ok(cases.cases(records, country))


@router.post("/policy/cases", status_code=201)
def record_case(records: Records, principal: CurrentPrincipal, body: CaseIn) -> dict[str, Any]:
    new = NewCase(**{**body.model_dump(), "substances": tuple(body.substances)})
    return _ok(cases.record_case(records, principal, new))
