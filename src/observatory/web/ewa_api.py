"""The Early Warning Advisory over the API (``/api/v1/ewa``): structure search and classification, emergence,
events (case details k-anonymised for whoever may not read them in full) and alerts with their case files. The
trend routes (spread, persistence, signals per group) live in ``ewa_trends_api`` and are included here."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from observatory.access.policy import ANONYMOUS, Action, Principal, require
from observatory.errors import BadInput, Unauthenticated
from observatory.ewa.alerts import (
    AlertFilter,
    Audience,
    Change,
    Rule,
    Stage,
    Status,
    Step,
    case_file,
    change_alert,
    find_alerts,
    record_stage,
    time_to_stage,
)
from observatory.ewa.chemistry import generic_definitions, generic_match, similarity_search, substructure_search
from observatory.ewa.events import (
    REPORTED,
    DatePrecision,
    EventFilter,
    EventKind,
    Found,
    NewEvent,
    Sex,
    SubstanceEntry,
    ToxSetting,
    choice,
    event_views,
    events_by_id,
    find_events,
    named_entry,
    one_of,
    record_event,
    structure_entry,
)
from observatory.ewa.events.structure_views import (
    classify_each,
    emergence_rows,
    generic_view,
    hit_view,
    substructure_view,
)
from observatory.reference.geography import place
from observatory.web import ewa_intake_api, ewa_trends_api, ewa_triage_api
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import Count, Id, Stored

router = APIRouter(prefix="/api/v1/ewa", dependencies=[Depends(reject_unknown_parameters)])
Smiles = Annotated[str, Query(min_length=1, description="a structure as SMILES")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[Count, Query()]
MAX_BATCH = 100


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubstanceIn(Body):
    substance: str | None = Field(None, description="a registry name, CAS number, InChIKey or identifier")
    smiles: str | None = Field(None, description="the structure, when the substance may be new")
    name: str | None = Field(None, description="the name of a new structure")
    share: float | None = Field(None, ge=0, le=1)


class EventIn(Body):
    kind: str = Field(description="first_identification, seizure, forensic_sample, toxicology or drug_checking")
    occurred_on: date
    country: str = Field(description="ISO 3166 alpha-3 code")
    substances: list[SubstanceIn] = Field(min_length=1, max_length=50)
    date_precision: str = "day"
    setting: str | None = Field(None, description="for a toxicology case: duid, clinical or post_mortem")
    reference: str | None = Field(None, max_length=128, description="the reporter's own identifier of the event")
    place: str | None = Field(None, max_length=255)
    age: Stored | None = None
    sex: str | None = None
    sold_as: str | None = Field(None, max_length=128)
    misrepresented: bool | None = None
    note: str | None = None


class ChangeIn(Body):
    step: str = Field(description="issue, update or retract")
    note: str | None = Field(None, description="why; required to retract")
    title: str | None = Field(None, max_length=512)
    summary: str | None = None
    audience: str | None = Field(None, description="network or public")


class StageIn(Body):
    stage: str = Field(description="formal_notification, intensive_monitoring, initial_report, risk_assessment, ...")
    reached_on: date
    note: str | None = None


@router.get("/similar")
def similar(smiles: Smiles, top: Annotated[int, Query(ge=1, le=1000)] = 10, threshold: float = 0.0) -> dict[str, Any]:
    """The registry substances most similar to a structure (Morgan radius 2, Tanimoto), with their control."""
    return {"results": [hit_view(hit) for hit in similarity_search(smiles, top, threshold)]}


@router.get("/classify")
def classify(smiles: Annotated[list[str], Query(description="one or more structures as SMILES")]) -> dict[str, Any]:
    """UNODC group, chemical family and effect group of each structure, with confidence and explanation."""
    if len(smiles) > MAX_BATCH:
        raise BadInput(f"at most {MAX_BATCH} structures at a time, not {len(smiles)}", [{"parameter": "smiles"}])
    results = classify_each(smiles)
    failed = [{"index": i, "smiles": r["smiles"], **r["error"]} for i, r in enumerate(results) if "error" in r]
    if failed:
        raise BadInput(f"{len(failed)} of {len(results)} structures failed: {failed[0]['message']}", failed)
    return {"results": results}


@router.get("/substructure")
def substructure(
    smarts: Annotated[str, Query(min_length=1)], max_hits: Annotated[int, Query(ge=1, le=500)] = 500
) -> dict[str, Any]:
    """The registry substances containing a SMARTS pattern (bounded in size and time)."""
    return substructure_view(substructure_search(smarts, max_hits))


@router.get("/generic")
def generic(smiles: Smiles, definition: str | None = None) -> dict[str, Any]:
    """Whether a structure falls under a generic definition (or each), with the core highlighted in an SVG."""
    chosen = [definition] if definition else list(generic_definitions())
    matches = [generic_view(generic_match(smiles, name)) for name in chosen]
    return {"results": sorted(matches, key=lambda match: not match["matched"])}


@router.get("/generic/definitions")
def definitions() -> dict[str, Any]:
    """The generic definitions: core, legal basis, paraphrase and an example."""
    return {
        "results": [
            {"id": d.id, "name": d.name, "basis": d.basis, "text": d.text, "core": d.core, "example": d.example_name}
            for d in generic_definitions().values()
        ]
    }


@router.get("/emergence")
def emergence(by: str = "group") -> dict[str, Any]:
    """New substances first identified per year (Slovenian National Forensic Laboratory list), by ``by``."""
    source = "Slovenian National Forensic Laboratory, dates of first identification (registry classification)"
    return {"by": by, "results": emergence_rows(by), "meta": {"source": source}}


@router.get("/events")
def events(
    records: Records,
    principal: CurrentPrincipal,
    kind: str | None = None,
    country: str | None = None,
    substance: str | None = None,
    source: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Events, oldest first; cases (toxicology, drug checking) k-anonymised unless the caller may read them."""
    wanted = EventFilter(choice(EventKind, kind, "kind"), _country(country), substance, source, since, until)
    found, total = find_events(records, wanted, limit, offset)
    return {"results": event_views(records, found, principal), "meta": {"total": total, "limit": limit}}


@router.post("/events", status_code=201)
def report_event(records: Records, principal: CurrentPrincipal, body: EventIn) -> dict[str, Any]:
    """Record one event; the substance is a registry substance or a structure (new substances are classified)."""
    _signed_in(principal)
    country = _country(body.country)
    require(principal, Action.UPLOAD, country)
    entries = [_substance(item) for item in body.substances]
    event = NewEvent(
        source=REPORTED,
        record=body.reference or "",
        kind=one_of(EventKind, body.kind, "kind"),
        occurred_on=body.occurred_on,
        found=tuple(
            Found(entry.key, item.substance or item.name or entry.name, item.share)
            for entry, item in zip(entries, body.substances, strict=True)
        ),
        country=country,
        date_precision=one_of(DatePrecision, body.date_precision, "date_precision"),
        setting=choice(ToxSetting, body.setting, "setting"),
        place=body.place,
        age=body.age,
        sex=choice(Sex, body.sex, "sex"),
        sold_as=body.sold_as,
        misrepresented=body.misrepresented,
        reporter=principal.username,
        note=body.note,
    )
    event_id = record_event(records, event, entries, principal.username)
    with Session(records) as session:
        stored = events_by_id(session, [event_id])
    return {"data": event_views(records, stored, principal)[0]}


@router.get("/alerts")
def alerts(
    records: Records,
    principal: CurrentPrincipal,
    status: str | None = None,
    rule: str | None = None,
    country: str | None = None,
    substance: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The alerts the caller may see: all to network members, issued public alerts to everyone."""
    wanted = AlertFilter(choice(Status, status, "status"), choice(Rule, rule, "rule"), _country(country), substance)
    found, total = find_alerts(records, principal, wanted, limit, offset)
    return {"results": found, "meta": {"total": total, "limit": limit}}


@router.get("/alerts/time-to-stage")
def stage_times(records: Records, principal: CurrentPrincipal) -> dict[str, Any]:
    """Per EU early-warning stage: alerts that reached it, and days from the event (median, shortest, longest)."""
    return {"results": time_to_stage(records, principal)}


@router.get("/alerts/{alert_id}")
def alert(records: Records, principal: CurrentPrincipal, alert_id: Id) -> dict[str, Any]:
    """An alert's case file: the alert, its substance, stages with dates, workflow history and events."""
    return {"data": case_file(records, alert_id, principal)}


@router.post("/alerts/{alert_id}/workflow")
def change(records: Records, principal: CurrentPrincipal, alert_id: Id, body: ChangeIn) -> dict[str, Any]:
    """Issue, update or retract an alert (analysts)."""
    _signed_in(principal)
    step = one_of(Step, body.step, "step")
    audience = choice(Audience, body.audience, "audience")
    change_alert(records, alert_id, Change(step, body.note, body.title, body.summary, audience), principal)
    return {"data": case_file(records, alert_id, principal)}


@router.post("/alerts/{alert_id}/stages")
def stage(records: Records, principal: CurrentPrincipal, alert_id: Id, body: StageIn) -> dict[str, Any]:
    """Record the date an alert's case reached an EU early-warning stage (analysts)."""
    _signed_in(principal)
    record_stage(records, alert_id, one_of(Stage, body.stage, "stage"), body.reached_on, principal, body.note)
    return {"data": case_file(records, alert_id, principal)}


def _substance(item: SubstanceIn) -> SubstanceEntry:
    if (item.substance is None) == (item.smiles is None):
        raise BadInput("give each substance either 'substance' (a registry name or identifier) or 'smiles'")
    return structure_entry(item.smiles, item.name) if item.smiles else named_entry(item.substance or "")


def _country(code: str | None) -> str | None:
    return place(code).iso3 if code else None


def _signed_in(principal: Principal) -> None:
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in or send an API token to change early-warning data")


router.include_router(ewa_trends_api.router)
router.include_router(ewa_intake_api.router)
router.include_router(ewa_triage_api.router)
