"""Interaction, memo and timeline use cases. Never commits: the request owns the unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

import msgspec

from patron.companies import service as companies
from patron.crm import events, rules
from patron.crm import repository as repo
from patron.crm.schemas import (
    InteractionCreate,
    InteractionPage,
    InteractionRead,
    InteractionUpdate,
    MemoCreate,
    MemoPage,
    MemoRead,
    MemoUpdate,
    Timeline,
    TimelineEntry,
)
from patron.customers import service as customers
from patron.db.uow import UnitOfWork
from patron.events import service as event_feed
from patron.identity import service as identity
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import NotFound, ValidationFailed
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


def _text(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed.single(field, Message("field.blank"))
    return text


def _checked(uow: UnitOfWork, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    if "summary" in values:
        values["summary"] = _text(values["summary"], "summary")
    if values.get("outcome") is not None:
        values["outcome"] = values["outcome"].strip() or None
    if values.get("occurred_at") is not None:
        at = values["occurred_at"]
        if at.tzinfo is None:
            raise ValidationFailed.single("occurred_at", Message("field.needs_timezone"))
        values["occurred_at"] = at.astimezone(UTC)
    if values.get("staff_id") is not None:
        try:
            identity.get_staff(uow, principal=principal, staff_id=values["staff_id"])
        except NotFound:
            raise ValidationFailed.single("staff_id", Message("staff.not_in_organization")) from None
    return values


def log_interaction(
    uow: UnitOfWork,
    *,
    principal: Principal,
    data: InteractionCreate,
    customer_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
) -> InteractionRead:
    """Record a call, email, meeting or note with a customer or a company."""
    if customer_id is not None:
        customers.get_customer(uow, principal=principal, customer_id=customer_id)
    if company_id is not None:
        companies.get_company(uow, principal=principal, company_id=company_id)
    values = _checked(uow, principal, msgspec.structs.asdict(data))
    now = clock.now()
    values |= {
        "org_id": principal.org_id,
        "id": uuid7(),
        "customer_id": customer_id,
        "company_id": company_id,
        "staff_id": values["staff_id"] or principal.staff_id,
        "occurred_at": values["occurred_at"] or now,
        "created_at": now,
        "updated_at": now,
    }
    row = repo.insert_interaction(uow.conn, values)
    uow.record(
        events.InteractionLogged(
            principal.org_id, row.id, kind=row.kind, customer_id=customer_id, company_id=company_id
        )
    )
    return row


def list_interactions(
    uow: UnitOfWork,
    *,
    principal: Principal,
    customer_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    limit: int,
    offset: int,
    cursor: str | None,
) -> InteractionPage:
    """A customer's or a company's interactions, newest first."""
    if customer_id is not None:
        customers.get_customer(uow, principal=principal, customer_id=customer_id)
    if company_id is not None:
        companies.get_company(uow, principal=principal, company_id=company_id)
    of = [str(customer_id), str(company_id)]
    page = repo.INTERACTIONS.request(limit=limit, offset=offset, cursor=cursor, filters=of)
    rows, total = repo.interactions_of(uow.conn, principal.org_id, page, customer_id=customer_id, company_id=company_id)
    return page.answer(InteractionPage, rows, total)


def _interaction_or_404(
    uow: UnitOfWork, principal: Principal, interaction_id: uuid.UUID, *, for_update: bool
) -> InteractionRead:
    row = repo.get_interaction(uow.conn, principal.org_id, interaction_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("interaction.not_found"), code="interaction.not_found")
    return row


def get_interaction(uow: UnitOfWork, *, principal: Principal, interaction_id: uuid.UUID) -> InteractionRead:
    """One interaction by id."""
    return _interaction_or_404(uow, principal, interaction_id, for_update=False)


def update_interaction(
    uow: UnitOfWork, *, principal: Principal, interaction_id: uuid.UUID, data: InteractionUpdate
) -> InteractionRead:
    """Correct the fields given."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    row = _interaction_or_404(uow, principal, interaction_id, for_update=True)
    values = _checked(uow, principal, given)
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return row
    written = new_values(changes) | {"updated_at": clock.now()}
    updated = repo.update_interaction(uow.conn, principal.org_id, row.id, written)
    uow.record(events.InteractionUpdated(principal.org_id, row.id, changes=changes_of(changes)))
    return updated


def delete_interaction(uow: UnitOfWork, *, principal: Principal, interaction_id: uuid.UUID) -> None:
    """Delete an interaction."""
    row = _interaction_or_404(uow, principal, interaction_id, for_update=True)
    repo.delete_interaction(uow.conn, principal.org_id, row.id)
    uow.record(events.InteractionDeleted(principal.org_id, row.id, kind=row.kind))


def add_memo(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, data: MemoCreate) -> MemoRead:
    """A staff note on the customer, written by the caller."""
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    body = _text(data.body, "body")
    now = clock.now()
    row = repo.insert_memo(
        uow.conn,
        {
            "org_id": principal.org_id,
            "id": uuid7(),
            "customer_id": customer.id,
            "author_id": principal.staff_id,
            "body": body,
            "created_at": now,
            "updated_at": now,
        },
    )
    uow.record(events.MemoAdded(principal.org_id, row.id, customer_id=customer.id))
    return row


def list_memos(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> MemoPage:
    """The customer's memos, newest first."""
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    page = repo.MEMOS.request(limit=limit, offset=offset, cursor=cursor, filters=[str(customer.id)])
    return page.answer(MemoPage, *repo.memos_of(uow.conn, principal.org_id, customer.id, page))


def _memo_or_404(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, memo_id: uuid.UUID) -> MemoRead:
    row = repo.get_memo(uow.conn, principal.org_id, customer_id, memo_id, for_update=True)
    if row is None:
        raise NotFound(Message("memo.not_found"), code="memo.not_found")
    return row


def update_memo(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, memo_id: uuid.UUID, data: MemoUpdate
) -> MemoRead:
    """Rewrite a memo."""
    row = _memo_or_404(uow, principal, customer_id, memo_id)
    body = _text(data.body, "body")
    if body == row.body:
        return row
    updated = repo.update_memo(uow.conn, principal.org_id, row.id, {"body": body, "updated_at": clock.now()})
    uow.record(events.MemoUpdated(principal.org_id, row.id, customer_id=customer_id))
    return updated


def delete_memo(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, memo_id: uuid.UUID) -> None:
    """Delete a memo."""
    row = _memo_or_404(uow, principal, customer_id, memo_id)
    repo.delete_memo(uow.conn, principal.org_id, row.id)
    uow.record(events.MemoDeleted(principal.org_id, row.id, customer_id=customer_id))


def timeline(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> Timeline:
    """The customer's interactions, memos and domain events merged, newest first."""
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    page = rules.TIMELINE.request(limit=limit, offset=offset, cursor=cursor, filters=[str(customer.id)])
    # Each source from the cursor on; one more than the page tells whether another page follows.
    window = offset + limit + 1
    conn, org_id = uow.conn, principal.org_id
    after = page.after
    interactions = repo.interactions_before(
        conn, org_id, customer.id, rules.resume_after("interaction", after), limit=window
    )
    memos = repo.memos_before(conn, org_id, customer.id, rules.resume_after("memo", after), limit=window)
    feed = event_feed.newest_for_subject(
        uow, principal=principal, subject_id=customer.id, limit=window, before=rules.resume_after("event", after)
    )
    merged = rules.merge_newest_first(
        [
            ("interaction", ((r.occurred_at, r.id, r) for r in interactions)),
            ("memo", ((r.created_at, r.id, r) for r in memos)),
            ("event", ((e.occurred_at, e.id, e) for e in feed)),
        ],
        offset=offset,
        limit=limit + 1,
    )
    entries: list[TimelineEntry] = []
    for source, item in merged[:limit]:
        if source == "interaction":
            entries.append(TimelineEntry("interaction", item.occurred_at, item.id, interaction=item))
        elif source == "memo":
            entries.append(TimelineEntry("memo", item.created_at, item.id, memo=item))
        else:
            entries.append(TimelineEntry("event", item.occurred_at, item.id, event=item))
    next_cursor = None
    if len(merged) > limit and entries:
        last = entries[-1]
        next_cursor = rules.TIMELINE.cursor([last.at, rules.place(last.kind), last.id], filters=page.filters)
    total = repo.count_for_customer(conn, org_id, customer.id) + event_feed.count_for_subject(
        uow, principal=principal, subject_id=customer.id
    )
    return Timeline(items=entries, total=total, limit=limit, offset=offset, next_cursor=next_cursor)
