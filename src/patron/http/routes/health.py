"""Liveness and readiness probes (no authentication, no data)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from litestar import Request, Response

from patron.db.uow import Database
from patron.http.routing import get


@get("/healthz", tags=["operations"], summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", tags=["operations"], summary="The database answers")
async def readyz(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    database: Database = request.app.state.database

    def ping() -> None:
        with database.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    try:
        await database.run(ping)
    except Exception as exc:  # noqa: BLE001  (any failure means not ready)
        return Response({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
    return Response({"status": "ok"})


ROUTES = [healthz, readyz]
