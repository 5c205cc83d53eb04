"""The unit of work: events are written with the commit and vanish with a rollback."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from patron.db.models import OutboxEvent
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM


def _events_of(database: Database, org_id: uuid.UUID) -> int:
    table = OutboxEvent.__table__
    with database.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(table.c.org_id == org_id)).scalar_one())


def test_commit_writes_the_change_and_its_events_together(database: Database) -> None:
    uow = database.unit_of_work(actor=SYSTEM)
    slug = f"uow-{uuid.uuid4().hex[:8]}"
    created = identity.create_organization(uow, data=OrganizationCreate(name="U", slug=slug, owner_email="o@u.example"))
    uow.commit()
    assert _events_of(database, created.organization.id) == 2


def test_rollback_drops_the_change_and_its_events(database: Database) -> None:
    uow = database.unit_of_work(actor=SYSTEM)
    slug = f"uow-{uuid.uuid4().hex[:8]}"
    created = identity.create_organization(uow, data=OrganizationCreate(name="U", slug=slug, owner_email="o@u.example"))
    uow.rollback()
    assert _events_of(database, created.organization.id) == 0
    with database.engine.connect() as conn:
        assert not conn.execute(sa.text("SELECT 1 FROM organization WHERE slug = :s"), {"s": slug}).first()


def test_a_read_only_unit_refuses_events(database: Database) -> None:
    from patron.identity.events import OrganizationUpdated

    uow = database.unit_of_work(actor=SYSTEM, readonly=True)
    with pytest.raises(RuntimeError):
        uow.record(OrganizationUpdated(uuid.uuid4(), uuid.uuid4(), {}))


def _organization_named(database: Database, slug: str) -> bool:
    reader = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        return (
            reader.conn.execute(sa.text("SELECT 1 FROM organization WHERE slug = :s"), {"s": slug}).first() is not None
        )
    finally:
        reader.commit()


def test_a_kept_reader_sees_every_write_committed_before_its_next_unit(database: Database) -> None:
    slug = f"uow-{uuid.uuid4().hex[:8]}"
    assert not _organization_named(database, slug)
    writer = database.unit_of_work(actor=SYSTEM)
    identity.create_organization(writer, data=OrganizationCreate(name="U", slug=slug, owner_email="o@u.example"))
    uncommitted = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        # not yet committed: another connection does not see it
        assert (
            uncommitted.conn.execute(sa.text("SELECT 1 FROM organization WHERE slug = :s"), {"s": slug}).first() is None
        )
    finally:
        uncommitted.close()
    writer.commit()
    assert _organization_named(database, slug)
    assert database.connections()[1] >= 1  # the reader was kept


def test_a_reader_that_failed_is_not_kept(database: Database) -> None:
    _organization_named(database, "warm")  # at least one reader kept
    reader = database.unit_of_work(actor=SYSTEM, readonly=True)
    conn = reader.conn
    with pytest.raises(sa.exc.DBAPIError):
        conn.execute(sa.text("SELECT * FROM no_such_table"))
    reader.rollback()
    assert conn.closed
    again = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        assert again.conn is not conn
        assert again.conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        again.close()
