"""Every registered event, written to the outbox by a unit of work, reads back as the same event."""

from __future__ import annotations

import uuid

import msgspec
import sqlalchemy as sa

from patron import event_types
from patron.db.models import OutboxEvent
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM
from tests.event_samples import sample_event


def test_every_event_reads_back_from_the_outbox_as_it_was_recorded(database: Database) -> None:
    uow = database.unit_of_work(actor=SYSTEM)
    slug = f"events-{uuid.uuid4().hex[:8]}"
    org_id = identity.create_organization(
        uow, data=OrganizationCreate(name="E", slug=slug, owner_email="o@e.example")
    ).organization.id
    recorded = [
        sample_event(cls, optional=optional, org_id=org_id)
        for cls in event_types.REGISTRY.values()
        for optional in (True, False)
    ]
    for event in recorded:
        uow.record(event)
    uow.commit()

    outbox = OutboxEvent.__table__
    with database.engine.connect() as conn:
        rows = conn.execute(
            sa.select(outbox.c.type, outbox.c.org_id, outbox.c.subject_id, outbox.c.data)
            .where(outbox.c.org_id == org_id)
            .order_by(outbox.c.seq)
        ).all()[-len(recorded) :]
    read = [
        msgspec.convert(
            {**row.data, "org_id": str(row.org_id), "subject_id": str(row.subject_id)},
            event_types.REGISTRY[row.type],
        )
        for row in rows
    ]
    assert read == recorded
