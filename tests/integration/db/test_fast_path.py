"""The read/write fast path (patron.db.fast) answers what SQLAlchemy's path answers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import msgspec
import pytest
import sqlalchemy as sa

from patron.customers import query as list_query
from patron.customers import repository
from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate
from patron.db import fast
from patron.db.base import UTCDateTime
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import CustomFieldDefinition, OrganizationCreate, OrganizationSettings
from patron.kernel.errors import Conflict
from patron.kernel.tenancy import SYSTEM, Principal, Role


def _principal(database: Database) -> Principal:
    uow = database.unit_of_work(actor=SYSTEM)
    slug = f"fast-{uuid.uuid4().hex[:8]}"
    data = OrganizationCreate(name="Fast", slug=slug, owner_email="o@fast.example", region="VN")
    created = identity.create_organization(uow, data=data)
    uow.commit()
    return Principal(created.organization.id, uuid.uuid4(), Role.OWNER, None)


SETTINGS = OrganizationSettings(
    region="VN",
    custom_fields={"shoe_size": CustomFieldDefinition(type="integer"), "vip_since": CustomFieldDefinition(type="date")},
)


def _create(database: Database, principal: Principal, data: CustomerCreate) -> uuid.UUID:
    uow = database.unit_of_work(actor=principal.actor)
    try:
        [(customer, _)] = customers.create_customers(
            uow, principal=principal, settings=SETTINGS, data=[data], batch=False
        )
    except BaseException:
        uow.rollback()  # or the write lock stays held (SQLite) and the next test waits on it
        raise
    uow.commit()
    return customer.id


def test_fast_read_equals_the_sqlalchemy_read(database: Database) -> None:
    principal = _principal(database)
    data = CustomerCreate(
        email="lan@fast.example",
        first_name="Lan",
        last_name="Nguyễn",
        birthday=date(1990, 4, 12),
        phone="0912 345 678",
        other_emails=["lan.work@fast.example"],
        tags=["vip", "b2b"],
        custom_fields={"shoe_size": 38, "vip_since": "2024-05-01"},
        is_merchant=True,
    )
    customer_id = _create(database, principal, data)
    uow = database.unit_of_work(actor=principal.actor, readonly=True)
    try:
        fast = customers.get_customer(uow, principal=principal, customer_id=customer_id)
        row = repository.get(uow.conn, principal.org_id, customer_id)
        assert row is not None
        assert fast == row
        assert msgspec.json.encode(fast) == msgspec.json.encode(row)
        assert fast.created_at.utcoffset() is not None
        assert fast.custom_fields == {"shoe_size": 38, "vip_since": "2024-05-01"}
        query = list_query.parse(filters=[], sort=None, q="nguyen", limit=25, offset=0, cursor=None)
        [listed] = customers.list_customers(uow, principal=principal, query=query).items
        assert msgspec.json.encode(listed) == msgspec.json.encode(fast)
    finally:
        uow.close()


def test_fast_read_of_a_deleted_customer_equals_the_sqlalchemy_read(database: Database) -> None:
    principal = _principal(database)
    customer_id = _create(
        database, principal, CustomerCreate(email="gone@fast.example", first_name="Gone", is_guest=True)
    )
    uow = database.unit_of_work(actor=principal.actor)
    customers.delete_customer(uow, principal=principal, customer_id=customer_id)
    uow.commit()
    uow = database.unit_of_work(actor=principal.actor, readonly=True)
    try:
        fast = customers.get_customer(uow, principal=principal, customer_id=customer_id)
        row = repository.get(uow.conn, principal.org_id, customer_id)
        assert row is not None
        assert fast.deleted_at is not None
        assert fast.is_guest is True
        assert msgspec.json.encode(fast) == msgspec.json.encode(row)
    finally:
        uow.close()


def test_a_create_that_loses_the_race_for_an_email_answers_409(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-check misses a registration committed meanwhile; the unique index still refuses it."""
    principal = _principal(database)
    _create(database, principal, CustomerCreate(email="race@fast.example", first_name="Race"))
    monkeypatch.setattr(repository, "find_by_emails", lambda *args: [])
    with pytest.raises(Conflict) as raised:
        _create(database, principal, CustomerCreate(email="race@fast.example", first_name="Race"))
    assert raised.value.code == "customer.email_taken"


def test_datetimes_are_bound_as_sqlalchemy_binds_them(database: Database) -> None:
    """A datetime the fast path binds is stored in the form `Connection.execute` stores (SQLite keeps
    text, compared as text: "10:00:00" and "10:00:00.000000" would be different moments)."""
    moment = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    probe = sa.select(sa.bindparam("at", type_=UTCDateTime()).label("at"))
    with database.engine.connect() as conn:
        through_sqlalchemy = conn.execute(sa.select(sa.cast(probe.scalar_subquery(), sa.String)), {"at": moment})
        expected = through_sqlalchemy.scalar_one()
        [row] = fast.Prepared(sa.select(sa.cast(probe.scalar_subquery(), sa.String).label("at"))).rows(
            conn, {"at": moment}
        )
        conn.rollback()
    assert row["at"] == expected
