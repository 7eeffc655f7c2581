"""The caller's own account over the API: who am I (and the session's CSRF token), my preferences (language, kinds
of mail: ``PATCH /api/v1/account``), my API tokens."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from observatory.access.policy import Principal
from observatory.access.preferences import UNCHANGED, Preferences, preferences_of, set_preferences
from observatory.access.users import MAX_TOKEN_DAYS, create_token, list_tokens, revoke_token
from observatory.errors import Forbidden, Unauthenticated
from observatory.web.auth import CSRF_HEADER, Credential, CurrentPrincipal, credential, csrf_token, now
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import Id

router = APIRouter(prefix="/api/v1/account", tags=["account"], dependencies=[Depends(reject_unknown_parameters)])


class TokenRequest(BaseModel):
    label: str = Field(min_length=1, max_length=128, description="what the token is for")
    days: int | None = Field(default=None, ge=1, le=MAX_TOKEN_DAYS, description="empty: the server's default")


class PreferencesRequest(BaseModel):
    """What to change; a field left out stays as it was."""

    model_config = ConfigDict(extra="forbid")
    language: str | None = Field(
        default=None, max_length=35, description="ar, zh, en, fr, ru or es; null: the default language"
    )
    mail: dict[str, bool] | None = Field(
        default=None, description="kinds of mail on (true) or off (false): query, submission, deadline"
    )


@router.get("")
def account(request: Request, records: Records, principal: CurrentPrincipal) -> dict[str, Any]:
    """Who the caller is, their language and kinds of mail (on or off); with a session cookie, the CSRF token its
    writes must send as ``X-CSRF-Token``."""
    _known(request)
    return {"data": _account(request, principal, preferences_of(records, principal, principal.username)), "meta": {}}


@router.patch("")
def change_preferences(
    request: Request, records: Records, principal: CurrentPrincipal, body: PreferencesRequest
) -> dict[str, Any]:
    """Change the caller's language and turn kinds of mail on or off (``{"language": "fr", "mail": {"deadline":
    false}}``); an unknown language or kind of mail is a 400 naming what is accepted."""
    _known(request)
    language = body.language if "language" in body.model_fields_set else UNCHANGED
    done = set_preferences(records, principal, principal.username, language=language, mail=body.mail, now=now(request))
    if credential(request) is Credential.SESSION:
        remember_language(request, done)
    return {"data": _account(request, principal, done), "meta": {}}


def remember_language(request: Request, preferences: Preferences) -> None:
    """The session's pages follow the user's language (``web.language``: after ``?lang=`` and its cookie)."""
    if preferences.language:
        request.session["lang"] = preferences.language
    else:
        request.session.pop("lang", None)


def _account(request: Request, principal: Principal, preferences: Preferences) -> dict[str, Any]:
    how = credential(request)
    data: dict[str, Any] = {
        "username": principal.username,
        "role": str(principal.role),
        "countries": sorted(principal.countries),
        "network": principal.network,
        "authenticated_by": str(how),
        "language": preferences.language,
        "mail_language": preferences.reads,
        "email": preferences.email,
        "mail": preferences.mail,
    }
    if how is Credential.SESSION:
        data["csrf_token"] = csrf_token(request)
        data["csrf_header"] = CSRF_HEADER
    return data


@router.get("/tokens")
def tokens(request: Request, records: Records, principal: CurrentPrincipal) -> dict[str, Any]:
    """The caller's API tokens, newest first; never the tokens themselves."""
    _known(request)
    moment = now(request)
    return {"data": [info.shown(moment) for info in list_tokens(records, principal.username)], "meta": {}}


@router.post("/tokens", status_code=201)
def new_token(
    request: Request, records: Records, settings: SettingsDep, principal: CurrentPrincipal, body: TokenRequest
) -> dict[str, Any]:
    """A new token, shown in this answer only. Made from a signed-in session (a token cannot breed tokens)."""
    _known(request)
    if credential(request) is not Credential.SESSION:
        raise Forbidden("API tokens are created from a signed-in session (or `observatory user token create`)")
    moment = now(request)
    days = body.days or settings.api_token_days
    info, token = create_token(records, principal.username, body.label, days=days, actor=principal.username, now=moment)
    return {"data": {**info.shown(moment), "token": token}, "meta": {"shown_once": True}}


@router.delete("/tokens/{token_id}")
def revoke(request: Request, records: Records, principal: CurrentPrincipal, token_id: Id) -> dict[str, Any]:
    """Revoke one of the caller's tokens (revoking a revoked one changes nothing)."""
    _known(request)
    moment = now(request)
    info = revoke_token(records, token_id, actor=principal.username, owner=principal.username, now=moment)
    return {"data": info.shown(moment), "meta": {}}


def _known(request: Request) -> None:
    if credential(request) is Credential.NONE:
        raise Unauthenticated("sign in, or send an API token (Authorization: Bearer <token>)")
