"""The schema is tenant-partitionable and the migrations match the models, on both databases."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate
from patron.db import migrate
from patron.db.base import Base
from patron.db.engine import create_engine
from patron.db.migrate import include_name
from patron.db.models import TENANT_OWNED
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate, OrganizationSettings
from patron.kernel.tenancy import SYSTEM, Principal, Role


def test_every_key_of_a_tenant_owned_table_includes_org_id() -> None:
    problems: list[str] = []
    tenant_tables = {model.__table__.name for model in TENANT_OWNED}
    for table in Base.metadata.sorted_tables:
        if table.name == "organization":
            continue
        if table.name not in tenant_tables:
            problems.append(f"{table.name} is not registered as tenant-owned")
            continue
        if "org_id" not in table.primary_key.columns:
            problems.append(f"{table.name}: primary key lacks org_id")
        if next(iter(table.primary_key.columns)).name != "org_id":
            problems.append(f"{table.name}: org_id is not the first primary-key column")
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint) and "org_id" not in constraint.columns:
                problems.append(f"{table.name}: unique constraint {constraint.name} lacks org_id")
            if isinstance(constraint, sa.ForeignKeyConstraint):
                referred = constraint.referred_table.name
                if referred != "organization" and "org_id" not in constraint.columns:
                    problems.append(f"{table.name}: foreign key {constraint.name} lacks org_id")
        for index in table.indexes:
            if index.unique and "org_id" not in index.columns:
                problems.append(f"{table.name}: unique index {index.name} lacks org_id")
    assert problems == []


def test_every_table_is_known_to_the_tenancy_check() -> None:
    names = {t.name for t in Base.metadata.sorted_tables}
    assert names == {"organization"} | {m.__table__.name for m in TENANT_OWNED}


def test_migrations_produce_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database: Database, backend: str) -> None:
    if backend != "sqlite":
        return
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_migrations_form_one_line() -> None:
    """One head: a fork would leave the order of migrations to chance (the search index must
    be created after any migration that rebuilds the customer table on SQLite)."""
    from alembic.script import ScriptDirectory

    from patron.db.migrate import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_migrations_import_nothing_of_patron() -> None:
    """A migration is frozen in time: what it does must not change when the application does."""
    versions = Path(migrate.MIGRATIONS) / "versions"
    imported: list[str] = []
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported += [f"{path.name}: {alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.append(f"{path.name}: {node.module}")
    assert len(imported) > 6
    assert [i for i in imported if i.split(": ")[1].split(".")[0] == "patron"] == []


def test_migrations_go_down_and_up_again_with_customers(empty_database_url: str) -> None:
    database = Database(create_engine(empty_database_url, pool_size=2))
    try:
        migrate.upgrade(database.engine)
        with database.unit_of_work(actor=SYSTEM) as uow:
            data = OrganizationCreate(name="M", slug="migrated", owner_email="o@m.example", region="VN")
            created = identity.create_organization(uow, data=data)
        principal = Principal(
            org_id=created.organization.id, staff_id=created.owner.id, role=Role.OWNER, api_key_id=None
        )
        with database.unit_of_work(actor=principal.actor) as uow:
            customer = CustomerCreate(
                email="Thu.Dang@m.example", first_name="Đặng", last_name="Nguyễn Thu", phone="+84912345678"
            )
            customers.create_customers(
                uow, principal=principal, settings=OrganizationSettings(), data=[customer], batch=False
            )

        migrate.downgrade(database.engine, "c8e0aa84fc8c")  # before the search text
        migrate.upgrade(database.engine)
        with database.engine.connect() as conn:
            # Backfilled by the migration's own copy of the folding of its day.
            assert conn.execute(sa.text("SELECT search_text FROM customer")).scalar_one() == (
                " dang nguyen thu c 000001 m example 84912345678 0912345678"
            )

        migrate.downgrade(database.engine, "base")
        with database.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(database.engine)
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()


def test_stored_loyalty_settings_are_brought_within_the_bounds(empty_database_url: str) -> None:
    database = Database(create_engine(empty_database_url, pool_size=2))
    try:
        migrate.upgrade(database.engine, "5d2f8b1c9e63")  # before the bounds
        with database.unit_of_work(actor=SYSTEM) as uow:
            data = OrganizationCreate(name="B", slug="bounded", owner_email="o@b.example")
            org_id = identity.create_organization(uow, data=data).organization.id
        hostile = {
            "enabled": True,
            "earn_amount": 1,
            "earn_points": 4_611_686_018_427_387_904,
            "tiers": {"bronze": 0, "g" * 50: 10**30, **{f"t{i}": 100 + i for i in range(25)}},
        }
        organization = sa.table("organization", sa.column("id", sa.Uuid()), sa.column("settings", sa.JSON()))
        with database.engine.begin() as conn:
            settings = conn.execute(sa.select(organization.c.settings)).scalar_one()
            stored = {**settings, "loyalty": hostile}
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("UPDATE organization SET settings = CAST(:s AS jsonb)"), {"s": json.dumps(stored)})
            else:
                conn.execute(sa.update(organization).values(settings=stored))
        migrate.upgrade(database.engine)
        with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
            loyalty = identity.load_settings(uow.conn, org_id).loyalty
        assert (loyalty.earn_amount, loyalty.earn_points) == (1, 1)
        assert len(loyalty.tiers) == 20
        assert all(len(name) <= 40 for name in loyalty.tiers)
        assert loyalty.tiers["bronze"] == 0
        assert max(loyalty.tiers.values()) <= 10**18
    finally:
        database.dispose()
