"""The application factory: everything the web app needs is built here, from explicit settings."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from observatory import __version__
from observatory.analytics.store import AnalyticsStore
from observatory.analytics.upkeep import Watchdog, ensure_current
from observatory.reporting.catalogue import DatasetCatalogue
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.web import (
    account_api,
    api,
    browser_pages,
    dataset_api,
    dataset_pages,
    ewa_api,
    ewa_pages,
    import_pages,
    map_pages,
    pages,
    policy_api,
    policy_pages,
    practice_attachments,
    profile_pages,
    publication_api,
    reference_api,
    reference_pages,
    reporting_api,
    reporting_pages,
    review_api,
    review_pages,
    sdmx_api,
    session_pages,
    stats_api,
    stats_pages,
    value_pages,
)
from observatory.web.datasets_in_use import DatasetsInUse
from observatory.web.errors import ERROR_RESPONSES, install_error_handlers
from observatory.web.formats import Downloads
from observatory.web.formatting import format_kilograms
from observatory.web.i18n_templates import install_i18n
from observatory.web.language import Language
from observatory.web.nul_guard import RefuseNul
from observatory.web.security_headers import SecurityHeaders, security_headers

WEB = Path(__file__).parent
ROUTERS = (
    api.router,
    reference_api.router,
    reporting_api.router,
    policy_api.router,
    pages.router,
    reference_pages.router,
    reporting_pages.router,
    import_pages.router,
    policy_pages.router,
    stats_api.router,
    ewa_api.router,
    stats_pages.router,
    ewa_pages.router,
    session_pages.router,
    value_pages.router,
    practice_attachments.router,
    account_api.router,
    dataset_api.router,
    dataset_pages.router,
    sdmx_api.router,
    publication_api.router,
    review_api.router,
    review_pages.router,
    browser_pages.api_router,
    browser_pages.router,
    profile_pages.router,
    map_pages.router,
)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.analytics = AnalyticsStore(settings.analytics_dir)
        app.state.records = make_engine(settings.records_url)
        # Derived data: rebuilt on start when missing or stale (after a crash), then watched.
        ensure_current(app.state.records, settings.analytics_dir)
        watchdog = Watchdog(app.state.records, settings.analytics_dir, settings.analytics_check_seconds)
        watchdog.start()
        try:
            yield
        finally:
            watchdog.stop()
            app.state.analytics.close()
            app.state.records.dispose()

    app = FastAPI(
        title="Drug Observatory API",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        # The interactive docs pages load their scripts from a CDN, which offline users cannot reach.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # Every route may answer a client error, always in the one error shape (``web.errors``).
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    app.state.templates.env.filters["kg"] = format_kilograms
    install_i18n(app.state.templates.env)
    # Added before the session middleware, so it runs inside it: the language may come from the session.
    app.add_middleware(Language, secure=settings.cookies_secure)
    # Any table answer of the API as CSV, Parquet or XLSX; country names in filters (``web.formats``).
    app.add_middleware(Downloads)
    # The cookie only carries the id of a server-side session (``access.sessions``), which decides whether it lives;
    # the cookie's own lifetime is the session's absolute timeout.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_key,
        same_site="lax",
        https_only=settings.cookies_secure,
        max_age=settings.session_absolute_hours * 3600,
    )
    app.add_middleware(SecurityHeaders, headers=security_headers(settings, WEB / "templates"))
    app.add_middleware(RefuseNul)
    # The observatory's own data sets (OBSERVATORY_DATASETS_DIR) are in effect for every route, beside the package's.
    app.add_middleware(DatasetsInUse, catalogue=DatasetCatalogue.of(settings))
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    return app
