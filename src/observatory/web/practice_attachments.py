"""Attachments of good practices over the API and from the practice page: list, upload, download."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from observatory.errors import BadInput
from observatory.policy.attachments import attach, attachment_content, attachments
from observatory.web.auth import CurrentPrincipal, check_csrf
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(dependencies=[Depends(reject_unknown_parameters)])


@router.get("/api/v1/policy/practices/{practice_id}/attachments")
def attachment_list(records: Records, principal: CurrentPrincipal, practice_id: Id) -> dict[str, Any]:
    """The practice's attachments: name, kind (from the content), size and SHA-256."""
    found = attachments(records, principal, practice_id)
    return {"data": found, "meta": {"count": len(found)}}


@router.post("/api/v1/policy/practices/{practice_id}/attachments", status_code=201)
async def attachment_upload(
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    practice_id: Id,
    file: Annotated[UploadFile, File(description="PDF, image, office document or UTF-8 text")],
) -> dict[str, Any]:
    """Attach a file to a practice under review; its kind is read from its content, not its name."""
    data = await _read(file, settings.max_attachment_bytes)
    return {"data": attach(records, principal, practice_id, file.filename or "", data, settings.max_attachment_bytes)}


@router.get("/api/v1/policy/practices/{practice_id}/attachments/{attachment_id}", response_class=Response)
def attachment_download(records: Records, principal: CurrentPrincipal, practice_id: Id, attachment_id: Id) -> Response:
    found = attachment_content(records, principal, practice_id, attachment_id)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(found.content, media_type=found.media_type, headers=headers)


@router.post("/policy/practices/{practice_id}/attachments", include_in_schema=False)
async def attachment_form(
    request: Request,
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    practice_id: Id,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()],
) -> RedirectResponse:
    check_csrf(request, csrf)
    data = await _read(file, settings.max_attachment_bytes)
    attach(records, principal, practice_id, file.filename or "", data, settings.max_attachment_bytes)
    return RedirectResponse(f"/policy/practices/{practice_id}#attachments", status_code=303)


async def _read(file: UploadFile, limit: int) -> bytes:
    """At most one byte over the limit is read, so an oversized upload is refused without holding all of it."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{file.filename}: larger than the attachment limit of {limit:,} bytes", [{"limit": limit}])
    return data
