"""Dependencies of the routes, named so that route signatures read as what they need."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from observatory.analytics.store import AnalyticsStore
from observatory.errors import UnknownParameter
from observatory.i18n import gettext as _
from observatory.settings import Settings


def get_analytics(request: Request) -> AnalyticsStore:
    store: AnalyticsStore = request.app.state.analytics
    return store


def get_records(request: Request) -> Engine:
    engine: Engine = request.app.state.records
    return engine


Records = Annotated[Engine, Depends(get_records)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


#: Query parameters every route takes: the language of the answer (``web.language``).
EVERY_ROUTE = frozenset({"lang"})


async def reject_unknown_parameters(request: Request) -> None:
    """A misspelt query parameter is an error, not a silently ignored filter."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = sorted(_query_parameter_names(route.dependant) | EVERY_ROUTE)
    unknown = sorted(set(request.query_params) - set(accepted))
    if unknown:
        raise UnknownParameter(
            _("unknown query parameter %(name)s; accepted: %(accepted)s")
            % {"name": repr(unknown[0]), "accepted": ", ".join(accepted) or _("none")},
            [{"parameter": name, "accepted": accepted} for name in unknown],
        )


def _query_parameter_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_parameter_names(dependency)
    return names
