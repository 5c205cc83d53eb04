"""The unit of work: events are written with the commit and vanish with a rollback."""

from __future__ import annotations

import threading
import uuid

import anyio
import pytest
import sqlalchemy as sa

from patron.db.models import OutboxEvent
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM
from tests.transactions import another_writer_proceeds


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


class _Abort(BaseException):
    """Not an Exception, as a cancellation or Ctrl+C is not: the unit must let go on it too."""


def test_a_unit_that_ends_normally_commits_with_its_events(database: Database) -> None:
    in_use = database.connections()[0]
    slug = f"uow-{uuid.uuid4().hex[:8]}"
    with database.unit_of_work(actor=SYSTEM) as uow:
        created = identity.create_organization(
            uow, data=OrganizationCreate(name="U", slug=slug, owner_email="o@u.example")
        )
    assert _events_of(database, created.organization.id) == 2
    assert _organization_named(database, slug)
    assert database.connections()[0] == in_use


@pytest.mark.parametrize("error", [RuntimeError, _Abort])
def test_a_unit_left_by_an_exception_writes_nothing_and_lets_go(
    database: Database, database_url: str, error: type[BaseException]
) -> None:
    in_use = database.connections()[0]
    slug = f"uow-{uuid.uuid4().hex[:8]}"
    org_ids = []

    def write_then_fail() -> None:
        with database.unit_of_work(actor=SYSTEM) as uow:
            data = OrganizationCreate(name="U", slug=slug, owner_email="o@u.example")
            org_ids.append(identity.create_organization(uow, data=data).organization.id)
            assert not another_writer_proceeds(database_url)  # the probe sees a unit holding the lock
            raise error

    with pytest.raises(error):
        write_then_fail()
    assert another_writer_proceeds(database_url)
    assert _events_of(database, org_ids[0]) == 0
    assert not _organization_named(database, slug)
    assert database.connections()[0] == in_use


def test_a_read_only_unit_refuses_events(database: Database) -> None:
    from patron.identity.events import OrganizationUpdated

    uow = database.unit_of_work(actor=SYSTEM, readonly=True)
    with pytest.raises(RuntimeError):
        uow.record(OrganizationUpdated(uuid.uuid4(), uuid.uuid4(), fields=["name"]))


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
    conns = []

    def read_then_fail() -> None:
        with database.unit_of_work(actor=SYSTEM, readonly=True) as reader:
            conns.append(reader.conn)
            reader.conn.execute(sa.text("SELECT * FROM no_such_table"))

    with pytest.raises(sa.exc.DBAPIError):
        read_then_fail()
    [conn] = conns
    assert conn.closed
    again = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        assert again.conn is not conn
        assert again.conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        again.close()


@pytest.mark.parametrize("io_threads", [4, 0])
def test_database_work_runs_inline_on_sqlite_or_without_threads_else_in_a_thread(
    database: Database, io_threads: int
) -> None:
    on_threads = Database(database.engine, io_threads=io_threads)  # the same engine, not disposed here
    caller = threading.get_ident()
    ran_in = anyio.run(on_threads.run, threading.get_ident)
    assert (ran_in == caller) is (database.is_sqlite or io_threads == 0)
