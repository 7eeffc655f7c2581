"""Country profiles: ``/countries`` lists the countries with published figures, ``/countries/{ISO3}`` shows one.

A profile has a locator map, seizures by drug group and year (headline figures under the WDR conventions, as the
seizures page shows them), then every other published data set that holds the country (prevalence, treatment, drug
deaths, people who inject drugs, cultivation, prices, purity), each as a chart with its numbers one click away and
its table downloadable (CSV, XLSX, Parquet through the API's ``format=``, and SDMX), and links to the country's
policy pages; ``/countries/{ISO3}/profile.pdf`` prints it. ``/countries/Colombia`` or ``/countries/170``
redirect to ``/countries/COL``.
"""

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from observatory.analytics.seizures import SeizureQuery, seizure_totals
from observatory.errors import NotFound
from observatory.i18n import gettext as _
from observatory.policy.pdf import html_to_pdf
from observatory.publication.catalogue import current
from observatory.publication.flows import flows
from observatory.reference.geography import Place, UnknownCountry, place
from observatory.web.audience import Analytics
from observatory.web.deps import get_analytics, reject_unknown_parameters
from observatory.web.map_pages import locator
from observatory.web.params import country_codes
from observatory.web.pivot import pivot_by_year
from observatory.web.published_view import Row as TableRow
from observatory.web.published_view import (
    YearTable,
    aggregate,
    default_group_by,
    pivot,
    selected,
    selection,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
SEIZURES = "ANNUAL_SEIZURES"
STATIC = Path(__file__).parent / "static"
STYLES = (STATIC / "css" / "site.css", STATIC / "publication" / "publication.css")
CHARTS = STATIC / "js" / "small-multiples.js"
#: On paper there is nothing to click: once the charts are drawn, every table is shown too.
OPEN_NUMBERS = ';document.querySelectorAll("details").forEach(function (d) { d.open = true; });'

#: Most rows of a figure drawn as small multiples (the table holds them all).
CHART_ROWS = 24


class UnknownProfile(NotFound):
    code = "unknown-country"


def _place(text: str) -> Place:
    try:
        return place(text)
    except UnknownCountry as error:
        raise UnknownProfile(f"no country or area {text!r}", [{"value": text}]) from error


def _seizures(analytics: Any, iso3: str) -> YearTable:
    """Headline kilograms seized by drug group and year (the seizures page's figure, for one country)."""
    query = SeizureQuery(("drug_group", "year"), {"country": (iso3,)}, headline=True)
    by_group = pivot_by_year(seizure_totals(analytics, query).to_pylist(), "drug_group")
    rows = [TableRow((row.label,), dict(row.values), dict(row.missing)) for row in by_group.rows]
    return YearTable((_("Drug group"),), by_group.years, rows, "kg")


def _figures(tables: dict[str, Any], iso3: str) -> list[dict[str, Any]]:
    """Every published flow but seizures that holds ``iso3``: its table by varying dimension and year."""
    made = []
    for identifier, found in flows().items():
        if identifier == SEIZURES or not found.key_dimensions.count("REF_AREA"):
            continue
        key = ".".join(iso3 if name == "REF_AREA" else "" for name in found.key_dimensions)
        view = selection(identifier, key=key)
        if selected(tables, view).num_rows == 0:
            continue
        grouping = tuple(name for name in default_group_by(tables, view) if name != "REF_AREA")
        view = selection(identifier, key=key, group_by=grouping)
        names = {dimension.id: dimension.name for dimension in found.dimensions}
        table = pivot(aggregate(tables, view), grouping, tuple(names[name] for name in grouping) or (_("All"),))
        made.append({"id": identifier.lower(), "flow": found, "view": view, "table": table})
    return made


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> HTMLResponse:
    """The countries and areas with published figures, by region."""
    tables = current(get_analytics(request)).tables
    codes = set()
    for table in tables.values():
        if "REF_AREA" in table.column_names:
            codes |= set(table["REF_AREA"].to_pylist())
    places = sorted((_known(code) for code in codes if _known(code)), key=lambda found: found.name)  # type: ignore[union-attr]
    regions: dict[str, list[Place]] = {}
    for found in places:
        assert found is not None
        regions.setdefault(found.unodc_region or found.region_name or _("Other"), []).append(found)
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "publication/countries.html", {"regions": dict(sorted(regions.items()))}
    )


def _known(code: str) -> Place | None:
    try:
        return place(code)
    except UnknownCountry:
        return None


def _context(request: Request, analytics: Any, found: Place) -> dict[str, Any]:
    tables = current(get_analytics(request)).tables
    return {
        "place": found,
        "locator": locator(found.iso3),
        "seizures": _seizures(analytics, found.iso3),
        "seizures_api": f"/api/v1/seizures?group_by=drug_group,year&country={found.iso3}&headline=true",
        "seizures_sdmx": f"/api/v1/sdmx/rest/data/{SEIZURES}/A.{found.iso3}...",
        "figures": _figures(tables, found.iso3),
        "chart_rows": CHART_ROWS,
    }


@router.get("/countries/{country}", response_class=HTMLResponse, response_model=None)
def profile_page(request: Request, analytics: Analytics, country: str) -> Response:
    """One country's published figures."""
    iso3 = country_codes([("country", country)])[0][1]
    if iso3 != country:
        return RedirectResponse(f"/countries/{iso3}", status_code=307)
    context = _context(request, analytics, _place(iso3))
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "publication/profile.html", context
    )


@router.get("/countries/{country}/profile.pdf", response_model=None)
def profile_pdf(request: Request, analytics: Analytics, country: str) -> Response:
    """The profile printed on A4 by the server's Chromium (``policy.pdf``): charts drawn, numbers shown."""
    found = _place(country_codes([("country", country)])[0][1])
    context = _context(request, analytics, found) | {"styles": "\n".join(path.read_text() for path in STYLES)}
    html = str(request.app.state.templates.get_template("publication/profile_print.html").render(context))
    script = CHARTS.read_text(encoding="utf-8") + OPEN_NUMBERS
    pdf = html_to_pdf(html.replace("</body>", f"<script>{script}</script></body>"))
    name = f"profile-{found.iso3}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
