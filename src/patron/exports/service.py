"""Export use cases: check an export's parameters, then read its customers batch by batch.

Every batch is its own read-only unit of work (run through `Database.run`, so on PostgreSQL
it waits in a thread): memory holds one batch, and no connection is held across a download
that may take minutes.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from patron.customers import service as customers
from patron.customers.query import ListQuery
from patron.customers.schemas import CustomerRead
from patron.db.uow import Database, UnitOfWork
from patron.exports.columns import Column, Row, parse_columns, reader
from patron.identity import service as identity
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Actor, Principal
from patron.newsletter import service as newsletter

# Customers read per unit of work: memory holds one batch. Measured (10 x 10,000 customers, CSV through
# the server, client on the same machine): SQLite 24,000 rows/s, RSS +16 MB; PostgreSQL 20,300 rows/s, +21 MB.
BATCH_SIZE = 2_000
CONSENTS = ("newsletter",)


@dataclass(frozen=True, slots=True)
class Export:
    """A checked export: which customers, which columns, and the file's name without extension."""

    query: ListQuery
    columns: tuple[Column, ...]
    newsletter_only: bool
    name: str


def prepare_export(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    query: ListQuery,
    columns: str | None,
    consent: str | None,
) -> Export:
    """Check the columns and consent of an export of the query's customers (before any byte is sent)."""
    chosen = parse_columns(columns, settings.custom_fields)
    if consent is not None and consent not in CONSENTS:
        raise ValidationFailed.single(
            "consent", Message("export.unknown_consent", value=repr(consent), allowed=", ".join(CONSENTS))
        )
    slug = identity.organization_slug(uow, org_id=principal.org_id)
    name = f"customers-{slug}-{clock.now().date().isoformat()}"
    return Export(query=query, columns=chosen, newsletter_only=consent == "newsletter", name=name)


@dataclass(frozen=True, slots=True)
class _Batch:
    rows: list[Row]
    last: CustomerRead | None
    more: bool


def _read_batch(
    database: Database, actor: Actor, principal: Principal, export: Export, after: CustomerRead | None
) -> _Batch:
    with database.unit_of_work(actor=actor, readonly=True) as uow:
        found = customers.list_after(uow, principal=principal, query=export.query, size=BATCH_SIZE, after=after)
        more = len(found) > BATCH_SIZE
        found = found[:BATCH_SIZE]
        statuses: dict[uuid.UUID, str] = {}
        if export.newsletter_only or any(column.source == "newsletter" for column in export.columns):
            ids = [customer.id for customer in found]
            statuses = newsletter.statuses_of_customers(uow, org_id=principal.org_id, customer_ids=ids)
    kept = [c for c in found if statuses.get(c.id) == "subscribed"] if export.newsletter_only else found
    read = reader(export.columns)
    return _Batch(rows=[read(customer, statuses) for customer in kept], last=found[-1] if found else None, more=more)


async def export_rows(
    database: Database, *, actor: Actor, principal: Principal, export: Export
) -> AsyncIterator[list[Row]]:
    """Every customer of the export as a row of values, in the query's order, a batch at a time."""
    after: CustomerRead | None = None
    while True:
        batch = await database.run(_read_batch, database, actor, principal, export, after)
        if batch.rows:
            yield batch.rows
        if not batch.more:
            return
        after = batch.last
