"""Order use cases. Never commits: the request owns the unit of work.

Paying and refunding call the loyalty service in the same unit of work, so an award
(or its reversal) commits together with the status change or not at all; the customer's
order figures (`figures`) change in the same unit of work too.
"""

from __future__ import annotations

import uuid

import msgspec

from patron.customers import service as customers
from patron.customers.schemas import CustomerRead
from patron.db.errors import UniqueViolation
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationRead, OrganizationSettings, OrganizationUpdate
from patron.kernel import clock, validators
from patron.kernel.errors import Conflict, FieldError, InvalidValue, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.loyalty import service as loyalty
from patron.orders import events, figures, rules
from patron.orders import repository as repo
from patron.orders.schemas import OrderCreate, OrderPage, OrderRead

REF_TAKEN = "order.external_ref_taken"


def _embed(row: OrderRead, customer: CustomerRead | None) -> OrderRead:
    """The order with its customer embedded (a copy; the repository's orders have none)."""
    return row if customer is None else msgspec.structs.replace(row, customer=customer)


def _attachable_customer(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID) -> CustomerRead:
    try:
        customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    except NotFound:
        raise ValidationFailed.single("customer_id", Message("customer.not_in_organization")) from None
    if customer.deleted_at is not None:
        raise ValidationFailed.single("customer_id", Message("customer.deleted_reference_restore"))
    return customer


def _order_or_404(uow: UnitOfWork, principal: Principal, order_id: uuid.UUID, *, for_update: bool) -> OrderRead:
    row = repo.get(uow.conn, principal.org_id, order_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("order.not_found"), code="order.not_found")
    return row


def _with_customer(uow: UnitOfWork, principal: Principal, row: OrderRead) -> OrderRead:
    if row.customer_id is None:
        return row
    return _embed(row, customers.get_customer(uow, principal=principal, customer_id=row.customer_id))


def create_order(uow: UnitOfWork, *, principal: Principal, data: OrderCreate) -> OrderRead:
    """Record an order (status open); 409 `order.external_ref_taken` when the reference is in use."""
    errors: list[FieldError] = []
    external_ref = data.external_ref.strip()
    if not external_ref:
        errors.append(FieldError("external_ref", Message("field.must_not_be_blank")))
    currency = ""
    try:
        currency = validators.normalise_currency(data.currency)
    except InvalidValue as exc:
        errors.append(FieldError("currency", exc.message))
    if errors:
        raise ValidationFailed(errors)
    customer = _attachable_customer(uow, principal, data.customer_id) if data.customer_id else None
    conn = uow.conn
    if repo.ref_taken(conn, principal.org_id, external_ref):
        raise Conflict(Message("order.external_ref_taken"), code=REF_TAKEN)
    now = clock.now()
    values = {
        "org_id": principal.org_id,
        "id": uuid7(),
        "external_ref": external_ref,
        "customer_id": data.customer_id,
        "total": data.total,
        "currency": currency,
        "status": "open",
        "placed_at": data.placed_at or now,
        "paid_at": None,
        "refunded_at": None,
        "cancelled_at": None,
        "created_at": now,
        "updated_at": now,
    }
    try:
        row = repo.insert(conn, values)
    except UniqueViolation as exc:
        if exc.constraint != "uq_shop_order_org_id_external_ref":
            raise
        raise Conflict(Message("order.external_ref_taken_meanwhile"), code=REF_TAKEN) from None
    uow.record(
        events.OrderCreated(
            principal.org_id,
            row.id,
            external_ref=external_ref,
            total=data.total,
            currency=currency,
            customer_id=data.customer_id,
        )
    )
    return _embed(row, customer)


def get_order(uow: UnitOfWork, *, principal: Principal, order_id: uuid.UUID) -> OrderRead:
    """One order, with its customer embedded when one is attached."""
    return _with_customer(uow, principal, _order_or_404(uow, principal, order_id, for_update=False))


def list_customer_orders(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> OrderPage:
    """A customer's orders, newest first; a deleted customer keeps its orders."""
    customers.get_customer(uow, principal=principal, customer_id=customer_id)
    page = repo.NEWEST_FIRST.request(limit=limit, offset=offset, cursor=cursor, filters=[str(customer_id)])
    return page.answer(OrderPage, *repo.of_customer(uow.conn, principal.org_id, customer_id, page))


def attach_customer(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    order_id: uuid.UUID,
    customer_id: uuid.UUID,
) -> OrderRead:
    """Attach a customer at checkout; a paid order awards its points to that customer now.

    Attaching the same customer again changes nothing; another customer answers 409.
    """
    row = _order_or_404(uow, principal, order_id, for_update=True)
    customer = _attachable_customer(uow, principal, customer_id)
    if row.customer_id == customer_id:
        return _embed(row, customer)
    if row.customer_id is not None:
        raise Conflict(Message("order.other_customer"), code="order.customer_attached")
    updated = repo.set_customer(
        uow.conn, principal.org_id, order_id, {"customer_id": customer_id, "updated_at": clock.now()}
    )
    uow.record(events.OrderCustomerAttached(principal.org_id, order_id, customer_id=customer_id))
    if updated.status == "paid":
        _count_payment(uow, principal, settings, updated)
        award = loyalty.award_for_order(
            uow,
            org_id=principal.org_id,
            settings=settings.loyalty,
            order_id=order_id,
            customer_id=customer_id,
            total=updated.total,
        )
        if award is not None:
            customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    return _embed(updated, customer)


def _move(
    uow: UnitOfWork, principal: Principal, order_id: uuid.UUID, target: rules.OrderStatus
) -> tuple[OrderRead, bool]:
    """Move the order to `target` with one conditional UPDATE; (order, moved now).

    A repeat of a transition already made answers the order unchanged; any other
    status answers 409 `order.invalid_transition`.
    """
    now = clock.now()
    values = {"status": target, f"{target}_at": now, "updated_at": now}
    moved = repo.move(uow.conn, principal.org_id, order_id, from_status=rules.SOURCE[target], values=values)
    if moved is not None:
        return moved, True
    row = _order_or_404(uow, principal, order_id, for_update=False)
    if row.status == target:
        return row, False
    raise Conflict(
        Message("order.invalid_transition", status=row.status, target=target), code="order.invalid_transition"
    )


def _count_payment(uow: UnitOfWork, principal: Principal, settings: OrganizationSettings, row: OrderRead) -> None:
    """Add a paid order to its customer's figures (once: the caller's conditional UPDATE made it paid or
    attached it); figures count the organization's currency only."""
    if row.customer_id is not None and row.currency == settings.currency:
        figures.count_payment(uow.conn, principal.org_id, row.customer_id, total=row.total, placed_at=row.placed_at)


def pay_order(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, order_id: uuid.UUID
) -> OrderRead:
    """Mark the order paid and award its points, exactly once however often it is reported."""
    row, moved = _move(uow, principal, order_id, "paid")
    if moved:
        _count_payment(uow, principal, settings, row)
        uow.record(
            events.OrderPaid(
                principal.org_id, order_id, total=row.total, currency=row.currency, customer_id=row.customer_id
            )
        )
    if row.customer_id is not None:
        # Also on a repeated report: the ledger's unique key, not this status, makes it once.
        loyalty.award_for_order(
            uow,
            org_id=principal.org_id,
            settings=settings.loyalty,
            order_id=order_id,
            customer_id=row.customer_id,
            total=row.total,
        )
    return _with_customer(uow, principal, row)


def refund_order(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, order_id: uuid.UUID
) -> OrderRead:
    """Mark a paid order refunded and reverse its award (at most the balance; the rest is the shortfall)."""
    row, moved = _move(uow, principal, order_id, "refunded")
    if moved:
        if row.customer_id is not None:
            figures.recount(uow.conn, principal.org_id, [row.customer_id], currency=settings.currency)
        uow.record(events.OrderRefunded(principal.org_id, order_id, total=row.total, currency=row.currency))
    loyalty.reverse_for_order(uow, org_id=principal.org_id, settings=settings.loyalty, order_id=order_id)
    return _with_customer(uow, principal, row)


def cancel_order(uow: UnitOfWork, *, principal: Principal, order_id: uuid.UUID) -> OrderRead:
    """Cancel an open order; a paid one is refunded instead."""
    row, moved = _move(uow, principal, order_id, "cancelled")
    if moved:
        uow.record(events.OrderCancelled(principal.org_id, order_id))
    return _with_customer(uow, principal, row)


def update_organization(uow: UnitOfWork, *, principal: Principal, data: OrganizationUpdate) -> OrganizationRead:
    """Change the organization's settings (identity); a new currency has every customer's order figures
    counted afresh in it, in the same unit of work."""
    before = identity.load_settings(uow.conn, principal.org_id).currency
    updated = identity.update_organization(uow, principal=principal, data=data)
    if updated.currency != before:
        figures.recount_organization(uow.conn, principal.org_id, currency=updated.currency)
    return updated
