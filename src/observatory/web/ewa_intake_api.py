"""``POST /api/v1/ewa/import``: a laboratory's or drug-checking service's event file, imported in bulk (included
by ``ewa_api``). The same report as ``observatory ewa import --json``."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile

from observatory.access.policy import ANONYMOUS, Action, Principal, allowed, require
from observatory.errors import BadInput, Unauthenticated
from observatory.ewa.intake import import_events
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters

router = APIRouter(dependencies=[Depends(reject_unknown_parameters)])


@router.post("/import")
async def import_file(
    records: Records,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CSV, one row per sample and substance found")],
    kind: Annotated[str, Form(description="drug-checking, toxicology, seizure-lab or first-identification")],
    mapping: Annotated[str, Form(description="'auto' or the text of a YAML mapping")] = "auto",
    source: Annotated[str, Form(description="event source key; empty: inferred from the file's URLs")] = "",
    dry_run: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Import the file's events (all or nothing); a dry run reports and writes nothing. The file is checked
    first, so that who may import it is known from the countries of its events."""
    data = await read_upload(file, settings.max_upload_bytes, principal)
    options: dict[str, Any] = {"kind": kind, "source": source.strip() or None, "mapping": mapping.strip() or "auto"}
    report = import_events(records, data, dry_run=True, actor=principal.username, **options)
    authorise(principal, report)
    if not dry_run:
        report = import_events(records, data, dry_run=False, actor=principal.username, **options)
    return {"data": report}


def authorise(principal: Principal, report: dict[str, Any]) -> None:
    """An analyst (who corrects the network's data) imports any file; a provider or focal point one whose events
    are all in countries it uploads for. ``Forbidden`` otherwise."""
    if allowed(principal, Action.CORRECT, None):
        return
    for country in report["countries"] or [None]:
        require(principal, Action.UPLOAD, country)


async def read_upload(file: UploadFile, limit: int, principal: Principal) -> bytes:
    """The uploaded bytes, for a signed-in principal who may upload; ``BadInput`` over the upload limit."""
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in or send an API token to import early-warning events")
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{file.filename}: larger than the upload limit of {limit:,} bytes", [{"parameter": "file"}])
    return data
