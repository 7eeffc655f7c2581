"""Maps: a choropleth of any published selection by country (``/maps``), and the locator map of a country profile.

Drawn on the server as SVG from the shipped Natural Earth shapes (``web.map_geometry``), so the map needs no script,
prints as it shows and has its numbers beside it (the table under every map). Every map carries the United Nations
map disclaimer (``publication/_map.html``).

Classes: up to five quantile classes of the reported values above zero; a reported zero, a value not reported and
no data at all are three other colours, never the lightest class.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from observatory.errors import BadInput
from observatory.i18n import gettext as _
from observatory.i18n import number
from observatory.publication.catalogue import current
from observatory.reference.geography import UnknownCountry, place
from observatory.web.deps import get_analytics
from observatory.web.map_geometry import world
from observatory.web.published_view import aggregate, check_codes, form_codes, key_of, options, selection, years

router = APIRouter(include_in_schema=False)

#: ColorBrewer "Blues" (5 classes): sequential, readable by colour-blind readers and in grey.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
#: A country wider than this (map units) gets the 1:110m shapes on its locator map: the page stays small.
LARGE = 150.0
ZERO, NOT_REPORTED, NO_DATA, HIGHLIGHT = "#fff7bc", "#a3a8ad", "#e4e7eb", "#c2410c"


@dataclass(frozen=True, slots=True)
class Shape:
    iso3: str
    d: str
    fill: str
    title: str
    dashed: bool = False
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class DrawnMap:
    view_box: str
    shapes: list[Shape]
    legend: list[tuple[str, str]]
    label: str


def _name(iso3: str) -> str:
    try:
        return place(iso3).name
    except UnknownCountry:
        return iso3


def breaks(values: list[float], classes: int = len(SHADES)) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes of ``values`` (distinct, ascending)."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = [ordered[min(len(ordered) - 1, (len(ordered) * (i + 1)) // classes - 1)] for i in range(classes)]
    return sorted(set(bounds[:-1]) | {ordered[-1]})


def choropleth(values: dict[str, float | None], unit: str, label: str) -> DrawnMap:
    """The world map with each country's value: ``None`` reported as missing, absent for no data."""
    positive = [value for value in values.values() if value is not None and value > 0]
    upper = breaks(positive)
    shades = SHADES[len(SHADES) - len(upper) :]
    shapes = []
    for iso3, area in world("110m").areas.items():
        value = values.get(iso3)
        fill = _fill(iso3 in values, value, upper, shades)
        shown = (
            _("no data") if iso3 not in values else _("not reported") if value is None else f"{_short(value)} {unit}"
        )
        shapes.append(Shape(iso3, area.d, fill, f"{_name(iso3)}: {shown}", area.dashed))
    legend, low = [], 0.0
    for bound, shade in zip(upper, shades, strict=True):
        legend.append((shade, f"{_short(low)} – {_short(bound)} {unit}"))
        low = bound
    legend += [(ZERO, _("reported zero")), (NOT_REPORTED, _("not reported")), (NO_DATA, _("no data"))]
    return DrawnMap(world("110m").view_box, shapes, legend, label)


def _short(value: float) -> str:
    return number(value, 0 if value >= 10 or value == 0 else 1)


def _fill(known: bool, value: float | None, upper: list[float], shades: tuple[str, ...]) -> str:
    if not known:
        return NO_DATA
    if value is None:
        return NOT_REPORTED
    if value <= 0:
        return ZERO
    return next((shade for bound, shade in zip(upper, shades, strict=True) if value <= bound), shades[-1])


def locator(iso3: str) -> DrawnMap:
    """A map of ``iso3`` and its neighbours, the country highlighted (1:50m, so small countries are drawn; 1:110m
    for a large one)."""
    shapes = world("50m")
    area = shapes.areas.get(iso3)
    if area is None or area.box[2] - area.box[0] > LARGE:
        shapes = world("110m")
    box = shapes.locator_box(iso3)
    x, y, width, height = (float(part) for part in box.split())
    drawn = [
        Shape(code, area.d, HIGHLIGHT if code == iso3 else NO_DATA, _name(code), area.dashed, code == iso3)
        for code, area in shapes.areas.items()
        if area.box[2] >= x and area.box[0] <= x + width and area.box[3] >= y and area.box[1] <= y + height
    ]
    label = _("Locator map: %(name)s") % {"name": _name(iso3)}
    return DrawnMap(box, drawn, [(HIGHLIGHT, _name(iso3))], label)


@router.get("/maps", response_class=HTMLResponse)
def map_page(
    request: Request,
    dataset: Annotated[str, Query()] = "ANNUAL_SEIZURES",
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> HTMLResponse:
    """A choropleth of one year of a published selection, by country, with the same numbers as a table."""
    published = current(get_analytics(request))
    flow_ = selection(dataset).flow
    chosen = form_codes(flow_, list(request.query_params.multi_items()))
    chosen.pop("REF_AREA", None)
    view = selection(dataset, key=key_of(flow_, chosen), group_by=("REF_AREA",))
    table = published.tables[view.flow.id]
    known_years = years(table)
    shown_year = year or (known_years[-1] if known_years else None)
    context: dict[str, Any] = {
        "view": view,
        "flows": {identifier: tables.num_rows for identifier, tables in published.tables.items()},
        "options": options(table, view.flow),
        "picked": chosen,
        "years": known_years,
        "year": shown_year,
        "error": None,
    }
    status = 200
    try:
        dated = selection(dataset, key=view.key or None, start=shown_year, end=shown_year, group_by=("REF_AREA",))
        check_codes(published.tables, dated)
        rows = aggregate(published.tables, dated) if shown_year else []
        context |= {"rows": rows, "view": dated}
        unit = next((row["unit"] for row in rows if row["unit"]), "")
        values = {row["ref_area"]: row["value"] for row in rows}
        context["map"] = choropleth(
            values, unit, _("%(flow)s, %(year)s") % {"flow": view.flow.name, "year": shown_year}
        )
    except BadInput as error:
        context |= {"rows": [], "map": None, "error": error.message}
        status = error.status
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "publication/map.html", context, status_code=status
    )
