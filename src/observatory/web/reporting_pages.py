"""Pages of country reporting: the submissions list with its upload form, and one submission's page."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from observatory.access.policy import ANONYMOUS, Action, allowed
from observatory.errors import BadInput, Unauthenticated
from observatory.reference.geography import places
from observatory.reporting.completeness import round_status, rounds
from observatory.reporting.declaration import declarations
from observatory.reporting.submissions import list_submissions, submission_detail
from observatory.reporting.submit import submit_file
from observatory.reporting.upload_limits import UploadLimits
from observatory.reporting.validation.report import report_summary
from observatory.reporting.workflow import STEPS, apply_step
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import MAX_ID, Id, Year

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
#: How many problems a page of a report's full list shows.
PROBLEMS_PAGE = 200


@router.get("/submissions", response_class=HTMLResponse)
def submissions_page(request: Request, records: Records, principal: CurrentPrincipal) -> HTMLResponse:
    context = {
        "principal": principal,
        "signed_in": principal != ANONYMOUS,
        "submissions": list_submissions(records, principal),
        "datasets": declarations(),
        "csrf": csrf_token(request),
    }
    return request.app.state.templates.TemplateResponse(request, "submissions.html", context)  # type: ignore[no-any-return]


@router.post("/submissions", response_model=None)
async def upload_form(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File()],
    dataset: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    country: Annotated[str, Form()] = "",
    layout: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in to submit data")
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise BadInput(f"{file.filename}: larger than the upload limit of {settings.max_upload_bytes:,} bytes")
    code = country.strip().upper() or None
    result = submit_file(
        records,
        principal,
        data,
        file.filename or "upload",
        dataset,
        code,
        layout=layout or None,
        limits=UploadLimits.of(settings),
    )
    return RedirectResponse(f"/submissions/{result.submission_id}", status_code=303)


@router.get("/completeness", response_class=HTMLResponse)
def completeness_page(
    request: Request, records: Records, dataset: str = "annual-seizures", year: Year = 2023
) -> HTMLResponse:
    status = round_status(records, dataset, year)
    names = {place.iso3: place.name for place in places()}
    context = {"status": status, "names": names, "rounds": rounds(), "selected": (dataset, year)}
    return request.app.state.templates.TemplateResponse(request, "completeness.html", context)  # type: ignore[no-any-return]


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def submission_page(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    submission_id: Id,
    problems: Annotated[int, Query(ge=1, le=MAX_ID, description="the page of the full list of problems")] = 1,
) -> HTMLResponse:
    """A submission: its report's summary (what to fix, by code, column and value), then every problem, a page of
    ``PROBLEMS_PAGE`` at a time, then the next step and the history."""
    submission = submission_detail(records, principal, submission_id)
    report = submission["report"] or {}
    every = [*report.get("errors", []), *report.get("warnings", [])]
    pages = max(1, -(-len(every) // PROBLEMS_PAGE))
    page = min(problems, pages)
    context = {
        "principal": principal,
        "submission": submission,
        "summary": report_summary(report),
        "problems": every[(page - 1) * PROBLEMS_PAGE : page * PROBLEMS_PAGE],
        "problems_page": {"number": page, "pages": pages, "size": PROBLEMS_PAGE, "total": len(every)},
        "steps": [name for name in STEPS if name != "comment"],
        "may_override": allowed(principal, Action.OVERRIDE_FOUR_EYES, None),
        "csrf": csrf_token(request),
    }
    return request.app.state.templates.TemplateResponse(request, "submission.html", context)  # type: ignore[no-any-return]


@router.post("/submissions/{submission_id}/steps")
def step_form(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    submission_id: Id,
    action: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    override: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    apply_step(
        records,
        principal,
        submission_id,
        action,
        comment or None,
        analytics=settings.analytics_dir,
        override=override or None,
    )
    return RedirectResponse(f"/submissions/{submission_id}", status_code=303)
