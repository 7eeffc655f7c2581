"""Pages of any data set, the package's or an observatory's own: the list, one data set's fields and served values
(with a CSV download), and the administrators' page that adds a declaration and lists the files that declare none."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from observatory.reporting.catalogue import MAX_DECLARATION_BYTES, add_declaration, require_admin
from observatory.reporting.dataset_values import values_table
from observatory.web.audience import Analytics
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.dataset_api import Catalogue
from observatory.web.deps import Records, reject_unknown_parameters
from observatory.web.params import MAX_INT64

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
PAGE_SIZE = 200
Page = Annotated[int, Query(ge=1, le=MAX_INT64 // PAGE_SIZE)]


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(request: Request, catalogue: Catalogue) -> HTMLResponse:
    context = {"datasets": catalogue.declarations(), "own": catalogue.own()}
    return request.app.state.templates.TemplateResponse(request, "datasets/list.html", context)  # type: ignore[no-any-return]


@router.get("/datasets/{dataset}", response_class=HTMLResponse)
def dataset_page(
    request: Request, catalogue: Catalogue, analytics: Analytics, dataset: str, page: Page = 1
) -> HTMLResponse:
    plan = catalogue.declaration(dataset)
    table = values_table(analytics, plan, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    context = {
        "dataset": plan,
        "origin": catalogue.origin(dataset),
        "table": table,
        "page": page,
        "pages": max(1, -(-table.total // PAGE_SIZE)),
    }
    return request.app.state.templates.TemplateResponse(request, "datasets/dataset.html", context)  # type: ignore[no-any-return]


@router.get("/admin/datasets", response_class=HTMLResponse)
def admin_page(request: Request, catalogue: Catalogue, principal: CurrentPrincipal) -> HTMLResponse:
    require_admin(principal)
    context = {
        "directory": catalogue.directory,
        "own": catalogue.own(),
        "problems": catalogue.problems(),
        "csrf": csrf_token(request),
    }
    return request.app.state.templates.TemplateResponse(request, "datasets/admin.html", context)  # type: ignore[no-any-return]


@router.post("/admin/datasets", response_model=None)
async def admin_upload(
    request: Request,
    records: Records,
    catalogue: Catalogue,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()],
    replace: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    check_csrf(request, csrf)
    require_admin(principal)
    text = await file.read(MAX_DECLARATION_BYTES + 1)
    declared = await run_in_threadpool(add_declaration, records, principal, catalogue, text, replace)
    return RedirectResponse(f"/datasets/{declared.id}", status_code=303)
