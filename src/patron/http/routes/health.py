"""Liveness and readiness probes (no authentication, no data)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec

from patron.db.errors import DatabaseUnavailable
from patron.db.uow import Database
from patron.http.problems import PROBLEM_JSON, ProblemDetails, handle_patron_error
from patron.http.routing import get
from patron.kernel.tenancy import SYSTEM

log = logging.getLogger("patron.http")


@get("/healthz", tags=["operations"], summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _schema_version(database: Database) -> str | None:
    # A real statement on a table, through a unit of work like a request's: `SELECT 1` on a
    # fresh connection said ready while the connections requests use were dead.
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        version: str | None = uow.conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        return version


@get(
    "/readyz",
    tags=["operations"],
    summary="The database answers",
    responses={
        503: ResponseSpec(
            data_container=ProblemDetails,
            description="The database cannot be reached (`database.unavailable`, with Retry-After)",
            media_type=PROBLEM_JSON,
        )
    },
)
async def readyz(request: Request[Any, Any, Any]) -> Response[Any]:
    database: Database = request.app.state.database
    try:
        version = await database.run(_schema_version, database)
    except Exception as exc:  # noqa: BLE001  (any failure means not ready)
        if not isinstance(exc, DatabaseUnavailable):
            log.warning("not ready: %s", exc)
        return handle_patron_error(request, DatabaseUnavailable())
    if version is None:
        return handle_patron_error(request, DatabaseUnavailable())
    return Response({"status": "ok"})


ROUTES = [healthz, readyz]
