"""``/ewa/import``: the import page for event files (included by ``ewa_pages``): upload, choose the kind, check
(dry run) or import, and read the report: unresolved names with suggestions, columns left out, samples already
recorded."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from observatory.errors import ObservatoryError
from observatory.ewa.intake import KINDS, import_events
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.ewa_intake_api import authorise, read_upload

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])


@router.get("/ewa/import", response_class=HTMLResponse)
def import_page(request: Request, principal: CurrentPrincipal) -> HTMLResponse:
    context = {"kinds": list(KINDS), "csrf": csrf_token(request), "report": None, "error": None, "principal": principal}
    return request.app.state.templates.TemplateResponse(request, "ewa/import.html", context)  # type: ignore[no-any-return]


@router.post("/ewa/import", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    action: Annotated[str, Form()] = "check",
) -> HTMLResponse:
    check_csrf(request, csrf)
    context: dict[str, Any] = {
        "kinds": list(KINDS),
        "csrf": csrf_token(request),
        "report": None,
        "error": None,
        "principal": principal,
    }
    status = 200
    try:
        data = await read_upload(file, settings.max_upload_bytes, principal)
        report = import_events(records, data, kind=kind, dry_run=True, actor=principal.username)
        authorise(principal, report)
        if action == "import":
            report = import_events(records, data, kind=kind, actor=principal.username)
        context["report"] = report
    except ObservatoryError as error:
        context["error"], status = error.message, error.status
    page: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "ewa/import.html", context, status_code=status
    )
    return page
