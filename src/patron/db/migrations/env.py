"""Alembic environment: runs on the connection handed in by patron.db.migrate."""

from __future__ import annotations

from alembic import context

from patron.db import models  # noqa: F401  (registers every table)
from patron.db.base import Base
from patron.db.migrate import include_name

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `patron migrate` (patron.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
