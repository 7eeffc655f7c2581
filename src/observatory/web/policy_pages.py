"""Policy pages: a country's implementation, the progress reports (HTML and PDF), the good practices portal
(list, submission and review forms, CSRF-checked) and search."""

from dataclasses import fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from observatory.access.policy import Role
from observatory.errors import BadInput, Conflict, Forbidden, Unauthenticated
from observatory.i18n import gettext as _
from observatory.policy import attachments, practice_queries, practices, report, vocabulary
from observatory.policy.pdf import html_to_pdf
from observatory.policy.practice_queries import PracticeFilter
from observatory.policy.practices import NewPractice
from observatory.policy.search import Kind, Mode, SearchHit, SearchResults, find
from observatory.reference import ungass
from observatory.web.auth import CurrentPrincipal, check_csrf, csrf_token
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
FORM_ERRORS = (BadInput, Conflict, Forbidden, Unauthenticated)


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    page: HTMLResponse = request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
    return page


def _rendered(request: Request, template: str, context: dict[str, Any]) -> str:
    return str(request.app.state.templates.get_template(template).render(context))


@router.get("/policy/countries/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, records: Records, iso3: str) -> HTMLResponse:
    return _page(request, "policy/country.html", {"report": report.country_report(records, iso3)})


@router.get("/policy/countries/{iso3}/report", response_class=HTMLResponse)
def country_report(request: Request, records: Records, iso3: str) -> HTMLResponse:
    return _page(request, "policy/report.html", {"report": report.country_report(records, iso3)})


@router.get("/policy/countries/{iso3}/report.pdf")
def country_report_pdf(request: Request, records: Records, iso3: str) -> Response:
    found = report.country_report(records, iso3)
    pdf = html_to_pdf(_rendered(request, "policy/report.html", {"report": found}))
    name = f"ungass-progress-{found['country']['iso3']}-{found['generated_on']}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


def _summary_context(records: Records) -> dict[str, Any]:
    return {
        "summary": report.global_summary(records),
        "chapter_label": lambda row: _("Chapter %(number)s") % {"number": row["chapter"]},
        "sdg_label": lambda row: f"SDG {row['code']}",
    }


@router.get("/policy/summary", response_class=HTMLResponse)
def summary(request: Request, records: Records) -> HTMLResponse:
    return _page(request, "policy/summary.html", _summary_context(records))


@router.get("/policy/summary.pdf")
def summary_pdf(request: Request, records: Records) -> Response:
    pdf = html_to_pdf(_rendered(request, "policy/summary.html", _summary_context(records)))
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="cnd.pdf"'})


@router.get("/policy/practices", response_class=HTMLResponse)
def practice_list(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    chapter: Annotated[int | None, Query(ge=1, le=7)] = None,
    sdg_target: str | None = None,
    region: str | None = None,
    target_group: str | None = None,
    evidence_rating: str | None = None,
    country: str | None = None,
    like: str | None = None,
) -> HTMLResponse:
    chosen = PracticeFilter(chapter, sdg_target, region, target_group, evidence_rating, country)
    found = practice_queries.published(records, chosen)
    shown = practice_queries.like_mine(records, like) if like else found["practices"]
    context = {
        "practices": shown,
        "facets": found["facets"],
        "chosen": {name: str(value) if value is not None else None for name, value in _filter_values(chosen).items()},
        "like": like.upper() if like else None,
        "queue": practices.review_queue(records, principal) if principal.role is not Role.PUBLIC else [],
    }
    return _page(request, "policy/practices.html", context)


def _filter_values(chosen: PracticeFilter) -> dict[str, Any]:
    return {field.name: getattr(chosen, field.name) for field in fields(chosen)}


def _form_context(request: Request, principal: CurrentPrincipal, form: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "csrf": csrf_token(request),
        "form": form,
        "chapters": ungass.chapters(),
        "target_groups": vocabulary.target_groups(),
        "ratings": vocabulary.evidence_ratings(),
        "signed_in": principal.role is not Role.PUBLIC,
        "action": "/policy/practices",
        "practice_id": None,
        "error": None,
        **extra,
    }


EMPTY_FORM = {"chapter": "1", "target_group": "general_population", "evidence_rating": "not_rated"}


@router.get("/policy/practices/new", response_class=HTMLResponse)
def new_practice(request: Request, principal: CurrentPrincipal) -> HTMLResponse:
    form = dict.fromkeys(_FIELDS, "") | EMPTY_FORM
    return _page(request, "policy/practice_form.html", _form_context(request, principal, form))


@router.post("/policy/practices", response_model=None)
async def submit_practice(request: Request, records: Records, principal: CurrentPrincipal) -> Response:
    form = await request.form()
    check_csrf(request, _field(form, "csrf"))
    values = {name: _field(form, name) for name in _FIELDS}
    try:
        created = practices.submit(records, principal, _practice(values))
    except FORM_ERRORS as exc:
        context = _form_context(request, principal, values, error=exc.message)
        return _page(request, "policy/practice_form.html", context, status=exc.status)
    return RedirectResponse(f"/policy/practices/{created['id']}", status_code=303)


@router.get("/policy/practices/{practice_id}", response_class=HTMLResponse)
def practice_page(request: Request, records: Records, principal: CurrentPrincipal, practice_id: Id) -> HTMLResponse:
    found = practices.practice(records, principal, practice_id)
    similar = practice_queries.similar(records, practice_id) if found["status"] == "published" else []
    context = {"practice": found, "csrf": csrf_token(request), "similar": similar, "user": principal.username}
    context["attachments"] = attachments.attachments(records, principal, practice_id)
    return _page(request, "policy/practice.html", context)


@router.post("/policy/practices/{practice_id}/review", response_model=None)
def review_practice(
    request: Request,
    records: Records,
    principal: CurrentPrincipal,
    practice_id: Id,
    csrf: Annotated[str, Form()],
    action: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        practices.review(records, principal, practice_id, action, comment)
    except FORM_ERRORS as exc:
        found = practices.practice(records, principal, practice_id)
        context: dict[str, Any] = {"practice": found, "csrf": csrf_token(request), "error": exc.message}
        context |= {"user": principal.username, "attachments": attachments.attachments(records, principal, practice_id)}
        return _page(request, "policy/practice.html", context, status=exc.status)
    return RedirectResponse(f"/policy/practices/{practice_id}", status_code=303)


@router.get("/policy/practices/{practice_id}/revise", response_class=HTMLResponse)
def revise_form(request: Request, records: Records, principal: CurrentPrincipal, practice_id: Id) -> HTMLResponse:
    found = practices.practice(records, principal, practice_id)
    form = {name: _shown(found.get(name, "")) for name in _FIELDS} | {"country": found["country"]}
    action = f"/policy/practices/{practice_id}/revise"
    context = _form_context(request, principal, form, action=action, practice_id=practice_id)
    return _page(request, "policy/practice_form.html", context)


@router.post("/policy/practices/{practice_id}/revise", response_model=None)
async def revise_practice(request: Request, records: Records, principal: CurrentPrincipal, practice_id: Id) -> Response:
    form = await request.form()
    check_csrf(request, _field(form, "csrf"))
    values = {name: _field(form, name) for name in _FIELDS}
    try:
        practices.revise(records, principal, practice_id, _practice(values))
    except FORM_ERRORS as exc:
        action = f"/policy/practices/{practice_id}/revise"
        context = _form_context(request, principal, values, error=exc.message, action=action, practice_id=practice_id)
        return _page(request, "policy/practice_form.html", context, status=exc.status)
    return RedirectResponse(f"/policy/practices/{practice_id}", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    records: Records,
    settings: SettingsDep,
    q: str = "",
    kind: str = "",
    country: str = "",
    mode: str = "hybrid",
    understand: bool = True,
) -> HTMLResponse:
    found: SearchResults | None = None
    error = None
    if q.strip():
        try:
            found = find(
                records,
                q,
                kind=kind or None,
                country=country or None,
                top=20,
                mode=mode,
                model=settings.search_model,
                understand=understand,
            )
        except BadInput as exc:
            error = exc.message
    context = {
        "q": q,
        "kind": kind,
        "country": country,
        "mode": mode,
        "understand": understand,
        "kinds": list(Kind),
        "modes": list(Mode),
        "found": found,
        "hits": found.hits if found else None,
        "error": error,
        "literal_url": str(request.url.include_query_params(understand="false")),
        "understood_url": str(request.url.remove_query_params("understand")),
    }
    return _page(request, "policy/search.html", context | {"link": _link}, status=400 if error else 200)


def _link(hit: SearchHit) -> str:
    links = {
        Kind.PRACTICE: f"/policy/practices/{hit.id}",
        Kind.PROGRAMME: f"/api/v1/policy/programmes/{hit.id}",
        Kind.LAW: f"/api/v1/policy/laws/{hit.id}",
        Kind.RECOMMENDATION: "/api/v1/policy/chapters",
    }
    if hit.kind in links:
        return links[hit.kind]
    return f"/policy/countries/{hit.country}" if hit.country else "/api/v1/policy/cases"


_FIELDS = [field.name for field in fields(NewPractice)]


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _practice(values: dict[str, str]) -> NewPractice:
    chapter = values["chapter"].strip()
    if not chapter.isdigit():
        raise BadInput(f"chapter {chapter!r} is not a number", [{"field": "chapter"}])
    return NewPractice(
        title=values["title"],
        country=values["country"],
        chapter=int(chapter),
        target_group=values["target_group"],
        description=values["description"],
        recommendations=_split(values["recommendations"]),
        sdg_targets=_split(values["sdg_targets"]),
        setting=values["setting"],
        results=values["results"],
        evaluation_design=values["evaluation_design"],
        evidence_rating=values["evidence_rating"],
        contacts=values["contacts"],
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
