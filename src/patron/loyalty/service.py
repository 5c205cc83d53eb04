"""Points ledger use cases. Never commits: the request owns the unit of work.

Every change appends one ledger entry and moves the customer's balance (and tier) by
the same amount in the same transaction, so the balance always equals the sum of
the entries. Awards and reversals exist at most once per order: the ledger's unique
index decides, not a read-then-write check.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import sqlalchemy as sa

from patron.customers import service as customers
from patron.customers.schemas import CustomerRead
from patron.db.uow import UnitOfWork
from patron.identity.schemas import LoyaltySettings
from patron.kernel import clock
from patron.kernel.errors import Conflict, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.loyalty import events, rules
from patron.loyalty import repository as repo
from patron.loyalty.schemas import AdjustCreate, EntryKind, LedgerEntryRead, PointsRead, RedeemCreate

INSUFFICIENT_POINTS = "loyalty.insufficient_points"


def _entry(org_id: uuid.UUID, customer_id: uuid.UUID, kind: EntryKind, points: int, **extra: Any) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "id": uuid7(),
        "customer_id": customer_id,
        "kind": kind,
        "points": points,
        "lifetime_points": extra.pop("lifetime_points", 0),
        "shortfall": extra.pop("shortfall", 0),
        "order_id": extra.pop("order_id", None),
        "reason": extra.pop("reason", None),
        "created_at": clock.now(),
    }


def _sync_tier(uow: UnitOfWork, org_id: uuid.UUID, customer_id: uuid.UUID, settings: LoyaltySettings) -> None:
    """Recompute lifetime points (kept on the customer for segments) and the tier from them; the caller
    holds the customer row lock."""
    lifetime = repo.sync_lifetime_points(uow.conn, org_id, customer_id)
    repo.set_tier(uow.conn, org_id, customer_id, rules.tier_for(lifetime, settings.tiers))


def resync_customer(uow: UnitOfWork, *, org_id: uuid.UUID, customer_id: uuid.UUID, settings: LoyaltySettings) -> int:
    """Set the balance to the ledger's sum and the tier to the lifetime points; the new balance.

    For entries moved between customers (a merge and its undo); the caller holds the row lock.
    """
    balance = repo.set_balance_to_ledger(uow.conn, org_id, customer_id)
    _sync_tier(uow, org_id, customer_id, settings)
    return balance


def _writable_customer(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID) -> CustomerRead:
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    if customer.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")
    return customer


def award_for_order(
    uow: UnitOfWork,
    *,
    org_id: uuid.UUID,
    settings: LoyaltySettings,
    order_id: uuid.UUID,
    customer_id: uuid.UUID,
    total: int,
) -> LedgerEntryRead | None:
    """Award the points a paid order earns, once per order; None when it earns none or has them already."""
    points = rules.earned_points(total, settings)
    if points <= 0:
        return None
    values = _entry(org_id, customer_id, "award", points, lifetime_points=points, order_id=order_id)
    row = repo.insert_once_per_order(uow.conn, values)
    if row is None:
        return None
    balance = repo.add_to_balance(uow.conn, org_id, customer_id, points)
    _sync_tier(uow, org_id, customer_id, settings)
    uow.record(events.PointsAwarded(org_id, customer_id, order_id=order_id, points=points, balance=balance))
    return row


def reverse_for_order(
    uow: UnitOfWork, *, org_id: uuid.UUID, settings: LoyaltySettings, order_id: uuid.UUID
) -> LedgerEntryRead | None:
    """Take back a refunded order's award, at most the current balance; None when there is nothing to reverse."""
    conn = uow.conn
    award = repo.of_order(conn, org_id, order_id, "award")
    if award is None:
        return None
    customer_id = award.customer_id
    balance = repo.lock_balance(conn, org_id, customer_id)
    taken, shortfall = rules.reversal(award.points, balance)
    values = _entry(
        org_id,
        customer_id,
        "reversal",
        -taken,
        lifetime_points=-award.lifetime_points,
        shortfall=shortfall,
        order_id=order_id,
    )
    row = repo.insert_once_per_order(conn, values)
    if row is None:
        return None
    new_balance = repo.add_to_balance(conn, org_id, customer_id, -taken)
    _sync_tier(uow, org_id, customer_id, settings)
    uow.record(
        events.PointsReversed(
            org_id, customer_id, order_id=order_id, points=-taken, shortfall=shortfall, balance=new_balance
        )
    )
    return row


def redeem_points(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, data: RedeemCreate
) -> LedgerEntryRead:
    """Spend points, optionally on an order; 409 `loyalty.insufficient_points` when the balance is short."""
    org_id = principal.org_id
    _writable_customer(uow, principal, customer_id)
    balance = repo.spend(uow.conn, org_id, customer_id, data.points)
    if balance is None:
        raise Conflict(Message("loyalty.insufficient_points", points=data.points), code=INSUFFICIENT_POINTS)
    values = _entry(org_id, customer_id, "redemption", -data.points, order_id=data.order_id)
    try:
        row = repo.insert(uow.conn, values)
    except sa.exc.IntegrityError:
        # The composite foreign key: the order is not one of this organization's.
        raise ValidationFailed.single("order_id", Message("order.not_in_organization")) from None
    on_order = msgspec.UNSET if data.order_id is None else data.order_id
    uow.record(events.PointsRedeemed(org_id, customer_id, points=-data.points, balance=balance, order_id=on_order))
    return row


def adjust_points(
    uow: UnitOfWork, *, principal: Principal, settings: LoyaltySettings, customer_id: uuid.UUID, data: AdjustCreate
) -> LedgerEntryRead:
    """Add or remove points by hand with a reason; never below a zero balance."""
    org_id = principal.org_id
    reason = data.reason.strip()
    if data.points == 0:
        raise ValidationFailed.single("points", Message("loyalty.zero_points"))
    if not reason:
        raise ValidationFailed.single("reason", Message("field.must_not_be_blank"))
    _writable_customer(uow, principal, customer_id)
    if data.points > 0:
        balance = repo.add_to_balance(uow.conn, org_id, customer_id, data.points)
    else:
        spent = repo.spend(uow.conn, org_id, customer_id, -data.points)
        if spent is None:
            raise Conflict(Message("loyalty.insufficient_points", points=-data.points), code=INSUFFICIENT_POINTS)
        balance = spent
    lifetime = max(data.points, 0)
    values = _entry(org_id, customer_id, "adjustment", data.points, lifetime_points=lifetime, reason=reason)
    row = repo.insert(uow.conn, values)
    _sync_tier(uow, org_id, customer_id, settings)
    uow.record(events.PointsAdjusted(org_id, customer_id, points=data.points, reason=reason, balance=balance))
    return row


def get_points(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: LoyaltySettings,
    customer_id: uuid.UUID,
    limit: int,
    offset: int = 0,
    cursor: str | None,
    cursor_field: str = "cursor",
) -> PointsRead:
    """The balance, lifetime points, tier and a page of ledger entries, newest first."""
    page = repo.ENTRIES.request(
        limit=limit, offset=offset, cursor=cursor, filters=[str(customer_id)], field=cursor_field
    )
    found = repo.ledger_page(uow.conn, principal.org_id, customer_id, page)
    if found is None:
        raise NotFound(Message("customer.not_found"), code="customer.not_found")
    entries, next_cursor = page.split(found.entries)
    return PointsRead(
        customer_id=customer_id,
        balance=found.balance,
        lifetime_earned=found.lifetime_points,
        tier=rules.tier_for(found.lifetime_points, settings.tiers),
        entries=entries,
        total=found.total,
        limit=limit,
        offset=offset,
        next_cursor=next_cursor,
    )
