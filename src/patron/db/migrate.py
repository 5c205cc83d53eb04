"""Bring a database to the newest schema with Alembic (the only way the schema changes)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"

# Search indexes the migrations create outside the models, because they exist on one
# database only: SQLite's FTS5 table (and its shadow tables), PostgreSQL's trigram index.
UNMODELLED = {"table": ("customer_fts",), "index": ("ix_customer_search_text",)}


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate filter: compare the models, not the database-specific search indexes."""
    return name is None or not name.startswith(UNMODELLED.get(type_, ()))


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(slug)s")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (developer tool)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
