"""Alembic environment: runs on the connection handed in by patron.db.migrate."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from patron.db import models  # noqa: F401  (registers every table)
from patron.db.base import Base, UTCDateTime
from patron.db.migrate import include_name

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `patron migrate` (patron.db.migrate)")


def render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes UTCDateTime as the column type it creates: a migration imports
    nothing of patron, so a later change to the application cannot change what it did."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    render_item=render_item,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
