"""Inquiry use cases. Never commits: the request or command owns the unit of work."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationSettings
from patron.inquiries import events, rules
from patron.inquiries import repository as repo
from patron.inquiries.schemas import (
    InquiryConvert,
    InquiryCreate,
    InquiryDetail,
    InquiryPage,
    InquiryRead,
    InquiryReceipt,
    InquiryStatus,
)
from patron.kernel import clock, validators
from patron.kernel.errors import FieldError, InvalidValue, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.ratelimits import service as ratelimits


def _blank_to_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def _validated(data: InquiryCreate, settings: OrganizationSettings) -> dict[str, Any]:
    errors: list[FieldError] = []
    values: dict[str, Any] = {"name": data.name.strip(), "message": data.message.strip()}
    values["company_name"] = _blank_to_none(data.company_name)
    for field in ("name", "message"):
        if not values[field]:
            errors.append(FieldError(field, Message("field.blank")))
    try:
        values["email"] = validators.normalise_email(data.email)
    except InvalidValue as exc:
        errors.append(FieldError("email", exc.message))
    phone = _blank_to_none(data.phone)
    try:
        values["phone"] = validators.normalise_phone(phone, settings.region) if phone else None
    except InvalidValue as exc:
        errors.append(FieldError("phone", exc.message))
    if errors:
        raise ValidationFailed(errors)
    return values


def submit_inquiry(
    uow: UnitOfWork,
    *,
    org_slug: str,
    data: InquiryCreate,
    client_ip: str | None,
    user_agent: str | None,
    rate_limit: tuple[int, int],
) -> InquiryReceipt:
    """Take an inquiry from the public form, at most `rate_limit` (count, seconds) per address and per email.

    A filled honeypot gets the same kind of answer and stores nothing, so bots learn nothing.
    """
    now = clock.now()
    if data.website:
        return InquiryReceipt(id=uuid7(), status="new", created_at=now)
    org_id, settings = identity.find_organization(uow, slug=org_slug)
    values = _validated(data, settings)
    ratelimits.count_against_limits(
        uow,
        org_id=org_id,
        scope="",
        email=values["email"],
        client_ip=client_ip,
        limit=rate_limit,
        now=now,
        refused=Message("inquiry.rate_limited", most=rate_limit[0], seconds=rate_limit[1]),
    )
    row = repo.insert(
        uow.conn,
        {
            **values,
            "org_id": org_id,
            "id": uuid7(),
            "status": "new",
            "assigned_to": None,
            "customer_id": None,
            "lost_reason": None,
            "client_ip": client_ip,
            "user_agent": (user_agent or "")[:500] or None,
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
        },
    )
    uow.record(events.InquiryCreated(org_id, row.id, name=row.name, email=row.email, company_name=row.company_name))
    return InquiryReceipt(id=row.id, status="new", created_at=row.created_at)


def list_inquiries(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: InquiryStatus | None,
    assigned_to: uuid.UUID | None,
    email: str | None,
    limit: int,
    offset: int,
    cursor: str | None,
) -> InquiryPage:
    """A page of inquiries, newest first."""
    filters: dict[str, Any] = {
        "status": status,
        "assigned_to": assigned_to,
        "email": email.strip().lower() if email else None,
    }
    page = repo.NEWEST_FIRST.request(limit=limit, offset=offset, cursor=cursor, filters=filters)
    return page.answer(InquiryPage, *repo.list_page(uow.conn, principal.org_id, **filters, page=page))


def _inquiry_or_404(uow: UnitOfWork, principal: Principal, inquiry_id: uuid.UUID, *, lock: bool) -> InquiryRead:
    row = repo.get(uow.conn, principal.org_id, inquiry_id, for_update=lock)
    if row is None:
        raise NotFound(Message("inquiry.not_found"), code="inquiry.not_found")
    return row


def _detail(uow: UnitOfWork, principal: Principal, row: InquiryRead) -> InquiryDetail:
    replies = repo.replies(uow.conn, principal.org_id, row.id)
    return InquiryDetail(**msgspec.structs.asdict(row), replies=replies)


def get_inquiry(uow: UnitOfWork, *, principal: Principal, inquiry_id: uuid.UUID) -> InquiryDetail:
    """One inquiry with its replies."""
    return _detail(uow, principal, _inquiry_or_404(uow, principal, inquiry_id, lock=False))


def _move(
    uow: UnitOfWork,
    principal: Principal,
    row: InquiryRead,
    action: rules.Action,
    values: dict[str, Any],
    *,
    assigned_to: uuid.UUID | UnsetType = UNSET,
    customer_id: uuid.UUID | UnsetType = UNSET,
    customer_created: bool | UnsetType = UNSET,
    reason: str | UnsetType = UNSET,
) -> InquiryRead:
    status = rules.next_status(action, row.status)
    now = clock.now()
    closing = {"closed_at": now} if status in rules.CLOSED else {}
    updated = repo.update(
        uow.conn, principal.org_id, row.id, {**values, **closing, "status": status, "updated_at": now}
    )
    if status != row.status:
        uow.record(
            events.InquiryStatusChanged(
                principal.org_id,
                row.id,
                from_=row.status,
                to=status,
                action=action,
                assigned_to=assigned_to,
                customer_id=customer_id,
                customer_created=customer_created,
                reason=reason,
            )
        )
    return updated


def assign_inquiry(
    uow: UnitOfWork, *, principal: Principal, inquiry_id: uuid.UUID, staff_id: uuid.UUID
) -> InquiryDetail:
    """Give an open inquiry to a staff member of the organization."""
    row = _inquiry_or_404(uow, principal, inquiry_id, lock=True)
    rules.next_status("assign", row.status)
    try:
        identity.get_staff(uow, principal=principal, staff_id=staff_id)
    except NotFound:
        raise ValidationFailed.single("staff_id", Message("staff.not_in_organization")) from None
    updated = _move(uow, principal, row, "assign", {"assigned_to": staff_id}, assigned_to=staff_id)
    uow.record(events.InquiryAssigned(principal.org_id, row.id, assigned_to=staff_id))
    return _detail(uow, principal, updated)


def reply_to_inquiry(uow: UnitOfWork, *, principal: Principal, inquiry_id: uuid.UUID, message: str) -> InquiryDetail:
    """Record the answer given to an assigned inquiry."""
    row = _inquiry_or_404(uow, principal, inquiry_id, lock=True)
    rules.next_status("reply", row.status)
    text = message.strip()
    if not text:
        raise ValidationFailed.single("message", Message("field.blank"))
    reply_id = uuid7()
    repo.insert_reply(
        uow.conn,
        {
            "org_id": principal.org_id,
            "id": reply_id,
            "inquiry_id": row.id,
            "staff_id": principal.staff_id,
            "message": text,
            "created_at": clock.now(),
        },
    )
    updated = _move(uow, principal, row, "reply", {})
    uow.record(events.InquiryReplied(principal.org_id, row.id, reply_id=reply_id))
    return _detail(uow, principal, updated)


def convert_inquiry(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    inquiry_id: uuid.UUID,
    data: InquiryConvert,
) -> InquiryDetail:
    """Close the inquiry as won: link the customer with its email, or create one as a lead (or prospect)."""
    row = _inquiry_or_404(uow, principal, inquiry_id, lock=True)
    rules.next_status("convert", row.status)
    customer_id = customers.customer_id_for_email(uow, org_id=principal.org_id, email=row.email)
    created = customer_id is None
    if customer_id is None:
        first_name, last_name = rules.split_name(row.name, family_first=rules.family_name_first(settings.locale))
        new = CustomerCreate(
            email=row.email,
            first_name=first_name[:100],
            last_name=last_name[:100] if last_name else None,
            phone=row.phone,
            company_name=row.company_name,
            status=data.customer_status,
            source="website",
            assigned_to=row.assigned_to,
        )
        [(customer, _)] = customers.create_customers(
            uow, principal=principal, settings=settings, data=[new], batch=False
        )
        customer_id = customer.id
    updated = _move(
        uow, principal, row, "convert", {"customer_id": customer_id}, customer_id=customer_id, customer_created=created
    )
    return _detail(uow, principal, updated)


def lose_inquiry(uow: UnitOfWork, *, principal: Principal, inquiry_id: uuid.UUID, reason: str) -> InquiryDetail:
    """Close the inquiry as lost, with the reason."""
    row = _inquiry_or_404(uow, principal, inquiry_id, lock=True)
    text = reason.strip()
    rules.next_status("lose", row.status)
    if not text:
        raise ValidationFailed.single("reason", Message("field.blank"))
    updated = _move(uow, principal, row, "lose", {"lost_reason": text}, reason=text)
    return _detail(uow, principal, updated)
