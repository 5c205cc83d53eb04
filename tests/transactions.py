"""Probes for a transaction left open: whether another writer could proceed at once."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from patron.db.engine import normalise_url


def another_writer_proceeds(database_url: str) -> bool:
    """True when a new connection takes a write lock at once (nothing holds the database's or
    the organization table's write lock), False when it would have to wait."""
    url = sa.engine.make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        conn = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # SQLite has one writer: fails at once while another holds it
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()
        return True
    # PostgreSQL: SHARE conflicts with the ROW EXCLUSIVE lock any open transaction that wrote
    # to the table holds until it ends.
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            try:
                conn.exec_driver_sql("LOCK TABLE organization IN SHARE MODE NOWAIT")
            except sa.exc.OperationalError:
                return False
            finally:
                conn.rollback()
        return True
    finally:
        engine.dispose()
