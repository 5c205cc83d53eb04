"""A unique violation reaches callers as `UniqueViolation` naming the constraint, on both
databases and whichever path ran the statement."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.errors import UniqueViolation
from patron.db.fast import Prepared
from patron.db.models import Customer, Organization
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel import clock
from patron.kernel.ids import uuid7
from patron.kernel.tenancy import SYSTEM

_organization = table(Organization)
_customer = table(Customer)
_INSERT_CUSTOMER = Prepared(sa.insert(_customer))


def _org(database: Database) -> uuid.UUID:
    uow = database.unit_of_work(actor=SYSTEM)
    data = OrganizationCreate(name="Errors", slug=f"errors-{uuid.uuid4().hex[:8]}", owner_email="o@errors.example")
    created = identity.create_organization(uow, data=data)
    uow.commit()
    return created.organization.id


def _customer_row(org_id: uuid.UUID, number: str, email: str) -> dict[str, Any]:
    now = clock.now()
    return {
        **{c.name: None for c in _customer.c},
        "org_id": org_id,
        "id": uuid7(),
        "customer_number": number,
        "email": email,
        "is_guest": False,
        "is_merchant": False,
        "is_favorite": False,
        "locale": "en",
        "status": "active",
        "tier": "free",
        "credit": 0,
        "points_balance": 0,
        "lifetime_points": 0,
        "orders_count": 0,
        "total_spent": 0,
        "other_emails": [],
        "other_phones": [],
        "tags": [],
        "custom_fields": {},
        "search_text": "",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _by_execute(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(sa.insert(_customer), [row])


def _by_fast_path(conn: Connection, row: dict[str, Any]) -> None:
    _INSERT_CUSTOMER.execute(conn, [row])


@pytest.mark.parametrize("insert", [_by_execute, _by_fast_path], ids=["execute", "fast path"])
@pytest.mark.parametrize(
    ("second", "constraint"),
    [
        (("C-2", "taken@errors.example"), "uq_customer_org_id_registered_email"),
        (("C-1", "other@errors.example"), "uq_customer_org_id_customer_number"),
    ],
    ids=["partial unique index", "unique constraint"],
)
def test_a_unique_violation_names_its_constraint(
    database: Database,
    insert: Callable[[Connection, dict[str, Any]], None],
    second: tuple[str, str],
    constraint: str,
) -> None:
    org_id = _org(database)
    with database.engine.connect() as conn:
        insert(conn, _customer_row(org_id, "C-1", "taken@errors.example"))
        with pytest.raises(UniqueViolation) as raised:
            insert(conn, _customer_row(org_id, *second))
        conn.rollback()
    assert raised.value.constraint == constraint
    assert isinstance(raised.value, sa.exc.IntegrityError)  # callers catching those still do


def test_a_primary_key_and_a_single_column_constraint(database: Database) -> None:
    org_id = _org(database)
    with database.engine.connect() as conn:
        existing = conn.execute(sa.select(_organization).where(_organization.c.id == org_id)).one()._asdict()
        with pytest.raises(UniqueViolation) as by_key:
            conn.execute(sa.insert(_organization), [{**existing, "slug": f"other-{org_id.hex[:8]}"}])
        conn.rollback()
        with pytest.raises(UniqueViolation) as by_slug:
            conn.execute(sa.insert(_organization), [{**existing, "id": uuid.uuid4()}])
        conn.rollback()
    assert by_key.value.constraint == "pk_organization"
    assert by_slug.value.constraint == "uq_organization_slug"


def test_other_integrity_errors_stay_integrity_errors(database: Database) -> None:
    with database.engine.connect() as conn:
        with pytest.raises(sa.exc.IntegrityError) as raised:
            _INSERT_CUSTOMER.execute(conn, [_customer_row(uuid.uuid4(), "C-1", "nobody@errors.example")])
        conn.rollback()
    assert not isinstance(raised.value, UniqueViolation)
