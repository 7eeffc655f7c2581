"""The import page: a provider's own file taken to a submission in steps a person can follow.

Upload → the platform proposes a mapping (the saved one for this data set and country when there is one) → the
person sets the header row, the column of each field, the drug columns of a wide table, the missing-value markers
and the values the vocabularies do not know (each with its candidates) → "Check" shows the report and the first
rows as they will be stored, recording nothing → "Submit" submits through the mapping, which is kept for next time.
"""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from observatory.access.policy import ANONYMOUS, Action, Principal, require
from observatory.errors import BadInput, Unauthenticated
from observatory.i18n import gettext as _
from observatory.reporting.declaration import Declaration, declaration, declarations
from observatory.reporting.mapping import (
    FileMapping,
    Item,
    Wide,
    WideColumn,
    latest_mapping,
    mapped_reading,
    suggest_mapping,
)
from observatory.reporting.mapping.drafts import Draft, drop_draft, load_draft, save_draft
from observatory.reporting.submit import submit_file
from observatory.reporting.upload_limits import UploadLimits
from observatory.settings import Settings
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
PREVIEW_ROWS = 10


@router.get("/import", response_class=HTMLResponse)
def start_page(request: Request, principal: CurrentPrincipal) -> HTMLResponse:
    _signed_in(principal)
    context = {"principal": principal, "datasets": declarations(), "csrf": csrf_token(request)}
    return request.app.state.templates.TemplateResponse(request, "import/start.html", context)  # type: ignore[no-any-return]


@router.post("/import", response_model=None)
async def upload(
    request: Request,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File()],
    dataset: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    country: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    _signed_in(principal)
    code = country.strip().upper() or None
    declaration(dataset)
    require(principal, Action.UPLOAD, code, dataset)
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise BadInput(f"{file.filename}: larger than the upload limit of {settings.max_upload_bytes:,} bytes")
    token = save_draft(_folder(settings), principal.username, file.filename or "upload", dataset, code, data)
    return RedirectResponse(f"/import/{token}", status_code=303)


@router.get("/import/{token}", response_class=HTMLResponse)
def draft_page(
    request: Request, records: Records, settings: SettingsDep, principal: CurrentPrincipal, token: str
) -> HTMLResponse:
    draft = load_draft(_folder(settings), principal.username, token)
    plan = declaration(draft.dataset)
    proposal = suggest_mapping(draft.data, draft.name, plan, draft.country)
    saved = latest_mapping(records, draft.dataset, draft.country)
    mapping = saved.mapping if saved is not None else proposal.mapping
    return _render(request, draft, plan, mapping, proposal.items, saved.version if saved else None)


@router.post("/import/{token}", response_model=None)
async def draft_form(
    request: Request, records: Records, settings: SettingsDep, principal: CurrentPrincipal, token: str
) -> HTMLResponse | RedirectResponse:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    draft = load_draft(_folder(settings), principal.username, token)
    plan = declaration(draft.dataset)
    proposal = suggest_mapping(draft.data, draft.name, plan, draft.country)
    mapping = mapping_from_form(form, plan)
    if form.get("action") == "submit":
        result = submit_file(
            records,
            principal,
            draft.data,
            draft.name,
            draft.dataset,
            draft.country,
            limits=UploadLimits.of(settings),
            mapping=mapping,
        )
        drop_draft(_folder(settings), token)
        return RedirectResponse(f"/submissions/{result.submission_id}", status_code=303)
    checked = submit_file(
        records, principal, draft.data, draft.name, draft.dataset, draft.country, mapping=mapping, dry_run=True
    )
    return _render(request, draft, plan, mapping, proposal.items, None, checked.report)


def mapping_from_form(form: FormData, plan: Declaration) -> FileMapping:
    """The mapping the person set on the page (field names as ``import/draft.html`` writes them)."""
    headings = [str(v) for v in form.getlist("heading")]
    columns = {h: str(form.get(f"column-{i}")) for i, h in enumerate(headings) if form.get(f"column-{i}")}
    wide_columns = {
        h: WideColumn(fields={"drug": str(form.get(f"wide-{i}"))}, unit=str(form.get(f"wide-{i}-unit")) or None)
        for i, h in enumerate(headings)
        if form.get(f"wide-{i}")
    }
    values: dict[str, dict[str, str]] = {}
    for index, source in enumerate(form.getlist("value-source")):
        target = str(form.get(f"value-{index}") or "")
        if target:
            values.setdefault(str(form.getlist("value-field")[index]), {})[str(source)] = target
    country = str(form.get("constant-country") or "").strip().upper()
    wide = Wide(value_field=plan.elements[0].id, columns=wide_columns) if wide_columns else None
    totals_field, labels = str(form.get("totals-field") or ""), [str(v) for v in form.getlist("totals-label")]
    return FileMapping.model_validate(
        {
            "dataset": plan.id,
            "sheet": str(form.get("sheet") or "") or None,
            "header_row": int(str(form.get("header_row") or 1)),
            "columns": columns,
            "constants": {"country": country} if country and "country" not in columns.values() else {},
            "missing": tuple(m.strip() for m in str(form.get("missing") or "").split(",") if m.strip()),
            "values": values,
            "wide": wide,
            "ignore": tuple(h for h in headings if h and h not in columns and h not in wide_columns),
            "totals": {"field": totals_field, "labels": labels} if totals_field and labels else None,
            "derive": tuple(str(v) for v in form.getlist("derive")),
        }
    )


def _render(
    request: Request,
    draft: Draft,
    plan: Declaration,
    mapping: FileMapping,
    items: tuple[Item, ...],
    saved_version: int | None,
    report: dict[str, Any] | None = None,
) -> HTMLResponse:
    headings, preview = _preview(draft, plan, mapping)
    to_confirm = [item for item in items if item.kind == "value" and item.candidates]
    context = {
        "draft": draft,
        "plan": plan,
        "mapping": mapping,
        "headings": headings,
        "wide_items": [item for item in items if item.kind == "wide"],
        "to_confirm": to_confirm,
        "preview": preview,
        "fields": [field.id for field in plan.all_fields()],
        "report": report,
        "saved_version": saved_version,
        "csrf": csrf_token(request),
    }
    return request.app.state.templates.TemplateResponse(request, "import/draft.html", context)  # type: ignore[no-any-return]


def _preview(draft: Draft, plan: Declaration, mapping: FileMapping) -> tuple[list[str], list[dict[str, Any]]]:
    """The file's headings, and its first records as the mapping reads them (empty if the mapping does not fit)."""
    from observatory.reporting.mapping.apply import headings_of, pick_sheet
    from observatory.reporting.readers import reader_for

    source = reader_for(draft.data, draft.name).read(draft.data, draft.name)
    headings = list(headings_of(pick_sheet(source, mapping), mapping.header_row))
    try:
        reading = mapped_reading(draft.data, draft.name, plan, mapping)
    except BadInput:
        return headings, []
    records = reading.bound.records[:PREVIEW_ROWS]
    return headings, [{"row": record.row, **record.cells} for record in records]


def _folder(settings: Settings) -> Path:
    return settings.var_dir / "imports"


def _signed_in(principal: Principal) -> None:
    if principal == ANONYMOUS:
        raise Unauthenticated(_("sign in to import a file"))
