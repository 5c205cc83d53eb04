"""create_app(): the HTTP API, its docs and probes, wired to one database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from litestar import Litestar, Request, Response, Router, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme, Server

from patron import __version__, wiring
from patron.config import Settings, parse_rate_limit, parse_trusted_proxies, resolve_secret_key
from patron.db.engine import create_engine
from patron.db.uow import Database
from patron.events.dispatcher import config_from
from patron.http import metrics
from patron.http.clients import TrustedProxies
from patron.http.deps import DEPENDENCIES
from patron.http.docs import DOCS_PATH, swagger_ui, swagger_ui_assets
from patron.http.guards import Authenticator, authorize
from patron.http.openapi import CompletedJsonPlugin, serve_document
from patron.http.problems import EXCEPTION_HANDLERS, document_problems
from patron.http.routes import (
    addresses,
    analytics,
    companies,
    crm,
    customers,
    deals,
    duplicates,
    events,
    exports,
    groups,
    health,
    imports,
    inquiries,
    lifecycle,
    lists,
    loyalty,
    merging,
    newsletter,
    orders,
    organization,
    platform,
    privacy,
    segments,
    staff,
    webhooks,
)
from patron.http.wire import PatronRequest, refuse_control_characters
from patron.worker import Worker

API_PREFIX = "/api/v1"


@get("/openapi.json", include_in_schema=False, sync_to_thread=False)
def openapi_json(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    return serve_document(request)


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Patron",
        version=__version__,
        description=(
            "Customer management API. Authenticate with `Authorization: Bearer <api key>`; "
            "errors are RFC 9457 problem+json with a stable `code`."
        ),
        path=DOCS_PATH,
        render_plugins=[swagger_ui(), CompletedJsonPlugin(path="/openapi.json")],
        servers=[Server(url="/")],
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", description="API key")}
        ),
        security=[{"bearer": []}],
        create_examples=False,
    )


@contextlib.asynccontextmanager
async def _background_work(app: Litestar) -> AsyncIterator[None]:
    """Embedded mode: background work (webhooks, mail) in a task of this process; production runs `patron worker`."""
    if not app.state.settings.embedded_worker:
        yield
        return
    stop = anyio.Event()
    task = asyncio.create_task(Worker.from_settings(app.state.database, app.state.settings).run(stop))
    try:
        yield
    finally:
        # Let the round in hand finish (its deliveries sent and recorded), as `patron worker`
        # does on SIGTERM, but no longer than a delivery may take.
        stop.set()
        with anyio.move_on_after(app.state.settings.webhook_timeout_seconds + 5):
            await asyncio.shield(task)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(settings: Settings | None = None, database: Database | None = None) -> Litestar:
    wiring.wire()
    settings = settings or Settings.from_env()
    # The app disposes only a database it made: one given to it is its caller's (a test's
    # session database, shared by many apps), and disposing it while another holds a
    # connection orphaned that connection, later garbage-collected open.
    owned = database is None
    if database is None:
        database = Database(
            create_engine(settings.database_url, pool_size=settings.db_pool_size), io_threads=settings.db_threads
        )
    metrics.POOL_COLLECTOR.databases.add(database)
    handlers = [
        *platform.ROUTES,
        *organization.ROUTES,
        *staff.ROUTES,
        *customers.ROUTES,
        *exports.ROUTES,
        *privacy.ROUTES,
        *lifecycle.ROUTES,
        *groups.ROUTES,
        *companies.ROUTES,
        *deals.ROUTES,
        *crm.ROUTES,
        *orders.ROUTES,
        *loyalty.ROUTES,
        *addresses.ROUTES,
        *lists.ROUTES,
        *events.ROUTES,
        *newsletter.ROUTES,
        *inquiries.ROUTES,
        *webhooks.ROUTES,
        *imports.ROUTES,
        *duplicates.ROUTES,
        *merging.ROUTES,
        *segments.ROUTES,
        *analytics.ROUTES,
    ]
    for handler in handlers:
        document_problems(handler)
    api = Router(path=API_PREFIX, guards=[authorize], route_handlers=handlers)
    app = Litestar(
        route_handlers=[api, *health.ROUTES, metrics.MetricsController, openapi_json, swagger_ui_assets()],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=PatronRequest,
        before_request=refuse_control_characters,
        request_max_body_size=settings.max_body_bytes,
        middleware=[metrics.PROMETHEUS.middleware],
        openapi_config=_openapi(),
        debug=settings.debug,
        on_shutdown=[database.dispose] if owned else [],
        lifespan=[_background_work],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.secret_key = resolve_secret_key(settings)
    app.state.inquiry_rate_limit = parse_rate_limit(settings.inquiry_rate_limit)
    app.state.newsletter_rate_limit = parse_rate_limit(settings.newsletter_rate_limit)
    app.state.trusted_proxies = TrustedProxies(parse_trusted_proxies(settings.trusted_proxies))
    app.state.dispatch_config = config_from(settings)
    app.state.authenticator = Authenticator(database, ttl_seconds=settings.auth_cache_seconds)
    logging.getLogger("patron").setLevel(logging.INFO)
    return app
