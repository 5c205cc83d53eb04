"""Every query of the access export and the erasure; each starts from the organization's rows.

This domain reads and rewrites the rows of every table that refers to a customer: that is its
purpose (SPEC §13.3: "every record of every table"), and `patron.privacy.coverage` with its
metadata test keeps it complete. Going through each domain's read shapes instead would leave out
the columns those shapes omit, and take ~15 services' round trips for one document. Rows come
back as they are stored (`Record`), every column by name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.models import (
    Address,
    Company,
    CompanyMember,
    Customer,
    CustomerList,
    CustomerListItem,
    CustomerProductRule,
    Deal,
    DuplicateDismissal,
    IdempotencyRecord,
    Inquiry,
    InquiryReply,
    Interaction,
    LoyaltyEntry,
    Memo,
    MergeJournal,
    NewsletterConsent,
    NewsletterSubscriber,
    Order,
    OutboxEvent,
)
from patron.privacy.schemas import Record

customer = table(Customer)
address = table(Address)
order = table(Order)
ledger = table(LoyaltyEntry)
lists = table(CustomerList)
list_item = table(CustomerListItem)
subscriber = table(NewsletterSubscriber)
consent = table(NewsletterConsent)
inquiry = table(Inquiry)
reply = table(InquiryReply)
interaction = table(Interaction)
memo = table(Memo)
deal = table(Deal)
member = table(CompanyMember)
company = table(Company)
restriction = table(CustomerProductRule)
journal = table(MergeJournal)
dismissal = table(DuplicateDismissal)
outbox = table(OutboxEvent)
idempotency = table(IdempotencyRecord)

# Rows of a related table, by the customer column, oldest first where the table keeps an order.
_BY_CUSTOMER: dict[str, tuple[sa.Table, tuple[sa.ColumnElement[Any], ...]]] = {
    "addresses": (address, (address.c.created_at, address.c.id)),
    "orders": (order, (order.c.placed_at, order.c.id)),
    "entries": (ledger, (ledger.c.id,)),
    "lists": (lists, (lists.c.created_at, lists.c.id)),
    "subscriptions": (subscriber, (subscriber.c.created_at, subscriber.c.id)),
    "inquiries": (inquiry, (inquiry.c.created_at, inquiry.c.id)),
    "interactions": (interaction, (interaction.c.occurred_at, interaction.c.id)),
    "memos": (memo, (memo.c.created_at, memo.c.id)),
    "deals": (deal, (deal.c.created_at, deal.c.id)),
    "product_restrictions": (restriction, (restriction.c.kind, restriction.c.product_ref)),
}


def _records(conn: Connection, stmt: sa.Select[Any]) -> list[Record]:
    return [dict(row._mapping) for row in conn.execute(stmt)]


def customer_row(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, for_update: bool) -> Record | None:
    """The customer's row as stored, deleted and erased ones included."""
    stmt = sa.select(customer).where(customer.c.org_id == org_id, customer.c.id == customer_id)
    row = conn.execute(stmt.with_for_update() if for_update else stmt).one_or_none()
    return None if row is None else dict(row._mapping)


def merged_into(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, for_update: bool) -> list[Record]:
    """The customers merged into this one (`merged_into`), oldest first."""
    stmt = (
        sa.select(customer)
        .where(customer.c.org_id == org_id, customer.c.merged_into == customer_id)
        .order_by(customer.c.created_at, customer.c.id)
    )
    return _records(conn, stmt.with_for_update() if for_update else stmt)


def related(conn: Connection, org_id: uuid.UUID, key: str, customer_ids: Sequence[uuid.UUID]) -> list[Record]:
    """The rows of one related table (`_BY_CUSTOMER`'s key) that belong to these customers."""
    found, order_by = _BY_CUSTOMER[key]
    stmt = sa.select(found).where(found.c.org_id == org_id, found.c.customer_id.in_(customer_ids)).order_by(*order_by)
    return _records(conn, stmt)


def lifetime_earned(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(ledger.c.lifetime_points), 0)).where(
        ledger.c.org_id == org_id, ledger.c.customer_id == customer_id
    )
    return int(conn.execute(stmt).scalar_one())


def children(conn: Connection, org_id: uuid.UUID, kind: str, parent_ids: Sequence[uuid.UUID]) -> list[Record]:
    """List items, consents or replies of these lists, subscribers or inquiries."""
    found, parent, order_by = {
        "items": (list_item, list_item.c.list_id, (list_item.c.created_at, list_item.c.id)),
        "consents": (consent, consent.c.subscriber_id, (consent.c.occurred_at, consent.c.id)),
        "replies": (reply, reply.c.inquiry_id, (reply.c.created_at, reply.c.id)),
    }[kind]
    if not parent_ids:
        return []
    stmt = sa.select(found).where(found.c.org_id == org_id, parent.in_(parent_ids)).order_by(*order_by)
    return _records(conn, stmt)


def memberships(conn: Connection, org_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]) -> list[Record]:
    """Company memberships of these customers, with the company's name."""
    stmt = (
        sa.select(member, company.c.name.label("company_name"))
        .join(company, sa.and_(company.c.org_id == member.c.org_id, company.c.id == member.c.company_id))
        .where(member.c.org_id == org_id, member.c.customer_id.in_(customer_ids))
        .order_by(member.c.joined_at)
    )
    return _records(conn, stmt)


def journals(conn: Connection, org_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]) -> list[Record]:
    """Merge journals naming one of these customers as survivor or as a source."""
    # `source_ids` is a JSON list of id strings; a journal per merge is few rows per organization.
    named = [sa.cast(journal.c.source_ids, sa.Text).like(f"%{customer_id}%") for customer_id in customer_ids]
    stmt = (
        sa.select(journal)
        .where(journal.c.org_id == org_id, sa.or_(journal.c.survivor_id.in_(customer_ids), *named))
        .order_by(journal.c.created_at, journal.c.id)
    )
    return _records(conn, stmt)


def dismissals(conn: Connection, org_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]) -> list[Record]:
    stmt = (
        sa.select(dismissal)
        .where(
            dismissal.c.org_id == org_id,
            sa.or_(dismissal.c.low_id.in_(customer_ids), dismissal.c.high_id.in_(customer_ids)),
        )
        .order_by(dismissal.c.created_at)
    )
    return _records(conn, stmt)


def events_of(conn: Connection, org_id: uuid.UUID, subject_ids: Iterable[uuid.UUID]) -> list[Record]:
    """Outbox events about these subjects, in feed order (ix_outbox_event_org_id_subject_id)."""
    subjects = list(dict.fromkeys(subject_ids))
    found: list[Record] = []
    for start in range(0, len(subjects), 500):
        stmt = sa.select(outbox).where(
            outbox.c.org_id == org_id, outbox.c.subject_id.in_(subjects[start : start + 500])
        )
        found.extend(_records(conn, stmt))
    found.sort(key=lambda event: int(event["seq"]))
    return found


def idempotent_answers_naming(conn: Connection, org_id: uuid.UUID, marks: Sequence[str]) -> list[Record]:
    """The organization's stored idempotent answers whose body holds one of `marks` (record ids).

    The bodies are searched by the database (no index can: a scan of the organization's answers,
    which the retention window keeps to a few thousand), so only the matches travel.
    """
    if not marks:
        return []
    body = idempotency.c.response_body
    found: list[sa.ColumnElement[bool]] = []
    for n, mark in enumerate(dict.fromkeys(marks)):
        param = sa.bindparam(f"mark_{n}", mark.encode(), type_=sa.LargeBinary)
        if conn.dialect.name == "sqlite":
            found.append(sa.func.instr(body, param) > 0)
        else:
            # position(bytea IN bytea) has no SQLAlchemy function form
            clause = sa.text(f"position(:mark_{n} IN idempotency_record.response_body) > 0").bindparams(param)
            found.append(sa.and_(clause))
    stmt = sa.select(idempotency.c.api_key_id, idempotency.c.key, body).where(
        idempotency.c.org_id == org_id, sa.or_(*found)
    )
    return _records(conn, stmt)


# Writes of the erasure.

_KEYS: dict[str, tuple[sa.Column[Any], ...]] = {
    "customer": (customer.c.id,),
    "address": (address.c.id,),
    "customer_list": (lists.c.id,),
    "customer_list_item": (list_item.c.id,),
    "newsletter_subscriber": (subscriber.c.id,),
    "newsletter_consent": (consent.c.id,),
    "inquiry": (inquiry.c.id,),
    "inquiry_reply": (reply.c.id,),
    "interaction": (interaction.c.id,),
    "memo": (memo.c.id,),
    "deal": (deal.c.id,),
    "loyalty_entry": (ledger.c.id,),
    "merge_journal": (journal.c.id,),
    "outbox_event": (outbox.c.seq,),
    "idempotency_record": (idempotency.c.api_key_id, idempotency.c.key),
}


def rewrite(conn: Connection, org_id: uuid.UUID, table_name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write new values into rows of one table; each row names its key columns and the values to set.

    Rows setting the same columns go as one executemany: an erasure rewrites a few hundred event rows.
    """
    keys = _KEYS[table_name]
    target = keys[0].table
    key_names = {column.name for column in keys}
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in rows:
        changed = tuple(sorted(name for name in values if name not in key_names))
        if changed:
            params = {f"k_{name}": values[name] for name in key_names}
            params.update({f"v_{name}": values[name] for name in changed})
            batches.setdefault(changed, []).append({"k_org_id": org_id, **params})
    for changed, params_list in batches.items():
        stmt = (
            sa.update(target)
            .where(target.c.org_id == sa.bindparam("k_org_id"), *(c == sa.bindparam(f"k_{c.name}") for c in keys))
            .values({name: sa.bindparam(f"v_{name}") for name in changed})
        )
        conn.execute(stmt, params_list)
