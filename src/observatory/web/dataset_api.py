"""Any data set over the API: its declaration, its served values (JSON or CSV), and the administrators' upload of
an observatory's own declaration (``reporting.catalogue``). ``GET /api/v1/datasets`` lists them all
(``web.reporting_api``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from observatory.reporting.catalogue import MAX_DECLARATION_BYTES, DatasetCatalogue, add_declaration, require_admin
from observatory.reporting.dataset_values import values_csv, values_table
from observatory.web.audience import Analytics
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Count

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])


def get_catalogue(settings: SettingsDep) -> DatasetCatalogue:
    return DatasetCatalogue.of(settings)


Catalogue = Annotated[DatasetCatalogue, Depends(get_catalogue)]
Limit = Annotated[int, Query(ge=1, le=10_000, description="values per page")]


@router.get("/datasets/{dataset}")
def dataset_declaration(catalogue: Catalogue, dataset: str) -> dict[str, Any]:
    """A data set's declaration (fields, rules, layouts); ``meta.origin`` says whether the package or the
    observatory's own directory declares it."""
    found = catalogue.declaration(dataset)
    meta = {"origin": catalogue.origin(dataset), "values": f"/api/v1/datasets/{dataset}/values"}
    return {"data": found.model_dump(mode="json"), "meta": meta}


@router.get("/datasets/{dataset}/values")
def dataset_values(
    catalogue: Catalogue, analytics: Analytics, dataset: str, limit: Limit = 1000, offset: Count = 0
) -> dict[str, Any]:
    """The data set's values the caller may see (the public: published ones), a row per value and a column per
    field of the declaration."""
    table = values_table(analytics, catalogue.declaration(dataset), limit, offset)
    return {"data": table.rows, "meta": {"columns": table.columns, "total": table.total, "offset": offset}}


@router.get("/datasets/{dataset}/values.csv", response_class=Response)
def dataset_values_csv(catalogue: Catalogue, analytics: Analytics, dataset: str) -> Response:
    """The same values as CSV, every one of them."""
    text = values_csv(analytics, catalogue.declaration(dataset))
    headers = {"Content-Disposition": f'attachment; filename="{dataset}-values.csv"'}
    return Response(text, media_type="text/csv", headers=headers)


@router.get("/admin/datasets")
def declared_datasets(catalogue: Catalogue, principal: CurrentPrincipal) -> dict[str, Any]:
    """Administrators: the data sets the observatory's directory declares, and each file that declares none, with
    why (file, line, field)."""
    require_admin(principal)
    own = [{"id": d.id, "title": d.title, "file": f"{d.id}.yaml"} for d in catalogue.own().values()]
    problems = [problem.to_json() for problem in catalogue.problems()]
    directory = str(catalogue.directory) if catalogue.directory else None
    return {"data": own, "meta": {"directory": directory, "problems": problems}}


@router.post("/admin/datasets", status_code=201)
async def declare_dataset(
    records: Records,
    catalogue: Catalogue,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="the declaration, YAML (as src/observatory/reporting/datasets)")],
    replace: Annotated[bool, Form(description="replace the directory's declaration of the same id")] = False,
) -> dict[str, Any]:
    """Administrators: add a data set by its declaration, checked, written to the directory and audited."""
    require_admin(principal)
    text = await file.read(MAX_DECLARATION_BYTES + 1)
    declared = await run_in_threadpool(add_declaration, records, principal, catalogue, text, replace)
    return {"data": {"id": declared.id, "title": declared.title, "file": f"{declared.id}.yaml"}, "meta": {}}
