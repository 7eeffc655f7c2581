"""Submissions over the API: upload, read back, and move through the lifecycle."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile
from pydantic import BaseModel, Field

from observatory.access.policy import Action, require
from observatory.errors import BadInput
from observatory.reporting.completeness import round_status
from observatory.reporting.corrections import audit_trail, correct_value
from observatory.reporting.declaration import declaration, declarations
from observatory.reporting.export import submission_csv
from observatory.reporting.mapping import (
    SavedMapping,
    chosen_mapping,
    latest_mapping,
    mapping_versions,
    saved_mapping,
    suggest_mapping,
)
from observatory.reporting.submissions import list_submissions, observations, submission_detail
from observatory.reporting.submit import submit_file
from observatory.reporting.templates import country_template
from observatory.reporting.upload_limits import UploadLimits
from observatory.reporting.workflow import apply_step
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id, Year

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CorrectionRequest(BaseModel):
    value: float | str | None = Field(
        description="the corrected value: a number (or text, for a text element) checked as a file's cell is, "
        "against the data set's types, bounds and vocabularies; null makes the value missing"
    )
    missing_reason: str | None = Field(default=None, description="not-collected, not-available or confidential")
    reason: str = Field(description="why the value changes; kept in the audit trail")


class StepRequest(BaseModel):
    action: str = Field(description="acknowledge, approve, unapprove, reject, accept, publish or comment")
    comment: str | None = None
    override: str | None = Field(
        default=None,
        description="administrators only: why they approve or publish a submission they uploaded themselves "
        "(four eyes); kept in the audit trail and shown with the step",
    )


@router.get("/datasets")
def datasets() -> dict[str, Any]:
    """The data sets countries report, as declared (elements, dimensions, rules, layouts)."""
    return {"data": [d.model_dump(mode="json") for d in declarations().values()], "meta": {}}


@router.get("/datasets/{dataset}/template", response_class=Response)
def template(records: Records, principal: CurrentPrincipal, dataset: str, country: str, year: Year) -> Response:
    """An Excel template for a country and year, pre-filled with last year's rows (values left to fill)."""
    content = country_template(records, principal, dataset, country, year)
    filename = f"{dataset}-{country.upper()}-{year}.xlsx"
    return Response(content, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.post("/submissions", status_code=201)
async def upload(
    response: Response,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CSV, XLSX, JSON or SDMX file")],
    dataset: Annotated[str, Form()],
    country: Annotated[str | None, Form(description="ISO3: every row must be this country")] = None,
    corrects: Annotated[Id | None, Form(description="id of the published submission this corrects")] = None,
    layout: Annotated[str | None, Form(description="the data set's layout, when a file fits several")] = None,
    mapping: Annotated[
        str | None, Form(description="read the file through a mapping: auto, saved, or the mapping as YAML or JSON")
    ] = None,
    dry_run: Annotated[bool, Form(description="check only: record nothing, not even an invalid submission")] = False,
) -> dict[str, Any]:
    """Upload a file: it is kept, checked and, when it has no error, its values are stored. A dry run answers the
    same report (200) and records nothing."""
    data, name = await _read_upload(file, settings.max_upload_bytes)
    code = _iso3(country)
    chosen = chosen_mapping(records, mapping, data, name, dataset, code)
    limits = None if dry_run else UploadLimits.of(settings)
    result = submit_file(
        records, principal, data, name, dataset, code, corrects, layout or None, limits, chosen, dry_run
    )
    if dry_run:
        response.status_code = 200
    return {
        "data": {
            "submission_id": result.submission_id or None,
            "status": result.status,
            "values_stored": result.values_stored,
            "dry_run": dry_run,
        },
        "report": result.report,
        "meta": {},
    }


async def _read_upload(file: UploadFile, limit: int) -> tuple[bytes, str]:
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{file.filename}: larger than the upload limit of {limit:,} bytes")
    return data, file.filename or "upload"


@router.post("/mappings/suggest")
async def suggest(
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="the file to read (CSV, XLSX, JSON)")],
    dataset: Annotated[str, Form()],
    country: Annotated[str | None, Form(description="ISO3 of a national file")] = None,
) -> dict[str, Any]:
    """A proposed mapping for a file: ``mapping`` holds what is certain (what ``mapping=auto`` applies), ``items``
    every proposal with its confidence, ``to_confirm`` the fuzzy ones with candidates, for a person."""
    code = _iso3(country)
    require(principal, Action.UPLOAD, code, dataset)
    data, name = await _read_upload(file, settings.max_upload_bytes)
    proposal = suggest_mapping(data, name, declaration(dataset), code)
    saved = latest_mapping(records, dataset, code)
    return {"data": proposal.to_json(), "meta": {"saved_version": saved.version if saved else None}}


@router.get("/mappings")
def mappings(records: Records, principal: CurrentPrincipal, dataset: str, country: str | None = None) -> dict[str, Any]:
    """The saved versions of the mapping for a data set and country (newest last)."""
    code = _iso3(country)
    found = mapping_versions(records, principal, dataset, code)
    return {"data": [_mapping_json(saved) for saved in found], "meta": {"dataset": dataset, "country": code}}


@router.get("/mappings/{mapping_id}")
def mapping_version(records: Records, principal: CurrentPrincipal, mapping_id: Id) -> dict[str, Any]:
    """One saved mapping version (its YAML is in ``data.yaml``)."""
    saved = saved_mapping(records, principal, mapping_id)
    return {"data": _mapping_json(saved), "meta": {}}


def _mapping_json(saved: SavedMapping) -> dict[str, Any]:
    return {
        "id": saved.id,
        "dataset": saved.dataset,
        "country": saved.country,
        "version": saved.version,
        "saved_by": saved.saved_by,
        "mapping": saved.mapping.model_dump(mode="json", exclude_defaults=True),
        "yaml": saved.mapping.to_yaml(),
    }


@router.get("/completeness")
def completeness(records: Records, dataset: str = "annual-seizures", year: Year = 2023) -> dict[str, Any]:
    """Per expected country: received or not, when, and whether by the round's closing date."""
    status = round_status(records, dataset, year)
    data = [
        {"country_iso3": c.country_iso3, "status": c.status, "received_at": c.received_at, "on_time": status.on_time(c)}
        for c in status.countries
    ]
    meta = {"dataset": dataset, "year": year, "opens": status.round.opens, "closes": status.round.closes}
    return {"data": data, "meta": {**meta, **status.summary}}


@router.get("/submissions")
def submissions(
    records: Records, principal: CurrentPrincipal, dataset: str | None = None, status: str | None = None
) -> dict[str, Any]:
    rows = list_submissions(records, principal, dataset, status)
    return {"data": rows, "meta": {"rows": len(rows)}}


@router.get("/submissions/{submission_id}")
def submission(records: Records, principal: CurrentPrincipal, submission_id: Id) -> dict[str, Any]:
    return {"data": submission_detail(records, principal, submission_id), "meta": {}}


@router.get("/submissions/{submission_id}/observations")
def submission_values(records: Records, principal: CurrentPrincipal, submission_id: Id) -> dict[str, Any]:
    rows = observations(records, principal, submission_id)
    return {"data": rows, "meta": {"rows": len(rows)}}


@router.get("/submissions/{submission_id}/values.csv", response_class=Response)
def submission_values_csv(records: Records, principal: CurrentPrincipal, submission_id: Id) -> Response:
    """The stored values as CSV, one line per value with the cell it came from, its state and missing reason."""
    headers = {"Content-Disposition": f'attachment; filename="submission-{submission_id}-values.csv"'}
    return Response(submission_csv(records, principal, submission_id), media_type="text/csv", headers=headers)


@router.post("/submissions/{submission_id}/steps")
def step(
    records: Records, settings: SettingsDep, principal: CurrentPrincipal, submission_id: Id, body: StepRequest
) -> dict[str, Any]:
    """Move a submission one step in its lifecycle (approve, reject with a comment...).

    Who uploaded a submission may not approve or publish it (403 ``four-eyes``), unless an administrator gives the
    reason in ``override``. A submission the caller may not see answers 404, as a missing one."""
    result = apply_step(
        records,
        principal,
        submission_id,
        body.action,
        body.comment,
        analytics=settings.analytics_dir,
        override=body.override,
    )
    return {
        "data": {
            "submission_id": result.submission_id,
            "action": result.action,
            "from": result.from_status,
            "to": result.to_status,
            "locked": result.locked,
            "four_eyes_override": result.override,
        },
        "meta": {},
    }


def _iso3(country: str | None) -> str | None:
    return country.strip().upper() or None if country else None


@router.patch("/observations/{observation_id}")
def correct(
    records: Records, principal: CurrentPrincipal, observation_id: Id, body: CorrectionRequest
) -> dict[str, Any]:
    """Correct one stored value before approval; the change and its reason go to the value-level audit trail.

    The value is checked as a file's cell is (400 naming the field, the value and what is expected); a value the
    caller may not see answers 404, and one whose submission is approved meanwhile 409."""
    done = correct_value(records, principal, observation_id, body.value, body.reason, body.missing_reason)
    return {
        "data": {"observation_id": done.observation_id, "old": done.old, "new": done.new},
        "meta": {"audit": audit_trail(records, principal, observation_id)},
    }
