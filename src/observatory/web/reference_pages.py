"""The reference page: the current release, its vocabularies, and the country and conversion look-ups."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from observatory.errors import BadInput, Conflict
from observatory.reference import release, units
from observatory.reference.lookup import convert_quantity, find_substance, resolve_countries
from observatory.reference.vocabularies import VOCABULARIES
from observatory.web.deps import Records, reject_unknown_parameters

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])


@router.get("/reference", response_class=HTMLResponse)
def reference_page(
    request: Request,
    records: Records,
    country: Annotated[str | None, Query()] = None,
    quantity: Annotated[str | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    drug: Annotated[str | None, Query()] = None,
    substance: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    latest = release.latest_release(records)
    counts = release.vocabulary_counts(records, latest.id) if latest else {}
    context: dict[str, Any] = {
        "release": latest,
        "vocabularies": [(name, v.description, counts.get(name, 0)) for name, v in VOCABULARIES.items()],
        "units": units.units(),
        "form": {
            "country": country or "",
            "quantity": quantity or "",
            "unit": unit or "",
            "drug": drug or "",
            "substance": substance or "",
        },
        "resolution": resolve_countries([country])[0] if country else None,
        "conversion": None,
        "conversion_error": None,
        "substance": None,
        "substance_error": None,
    }
    if substance:
        try:
            context["substance"] = find_substance(substance)
        except (BadInput, Conflict) as exc:
            context["substance_error"] = exc.message
    if quantity and unit and drug:
        try:
            context["conversion"] = convert_quantity(_number(quantity), unit, drug)
        except BadInput as exc:
            context["conversion_error"] = exc.message
    return request.app.state.templates.TemplateResponse(request, "reference.html", context)  # type: ignore[no-any-return]


def _number(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError as exc:
        raise BadInput(f"quantity {text!r} is not a number", [{"field": "quantity", "value": text}]) from exc
