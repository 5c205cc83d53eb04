"""Customer use cases. Never commits: the request or command owns the unit of work."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import msgspec

from patron.customers import affiliations, events, listing, rules
from patron.customers import repository as repo
from patron.customers.changes import apply_changes, is_staff, live_or_404
from patron.customers.memberships import check_company, check_company_change, check_group
from patron.customers.query import ListQuery
from patron.customers.schemas import CustomerCreate, CustomerPage, CustomerRead, CustomerUpdate, PurgeResult
from patron.db.errors import UniqueViolation
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.errors import Conflict, FieldError, NotFound, PreconditionFailed, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

EMAIL_TAKEN = "customer.email_taken"
NUMBER_TAKEN = "customer.number_taken"


@contextmanager
def _unique_violations(*, batch: bool) -> Iterator[None]:
    """Turn a lost race on a unique index into the same answer the pre-check gives."""
    try:
        yield
    except UniqueViolation as exc:
        if exc.constraint == "uq_customer_org_id_customer_number":
            code, field = NUMBER_TAKEN, "customer_number"
        elif exc.constraint == "uq_customer_org_id_registered_email":
            code, field = EMAIL_TAKEN, "email"
        else:
            raise
        taken = Message(
            "customer.number_taken_meanwhile" if field == "customer_number" else "customer.email_taken_meanwhile"
        )
        if batch:
            raise ValidationFailed([FieldError("customers", taken)], code=code) from None
        raise Conflict(taken, code=code) from None


_CREATE_DEFAULTS = msgspec.structs.asdict(CustomerCreate(email=""))


def _prepared(data: CustomerCreate, settings: OrganizationSettings, *, normalised: bool = False) -> dict[str, Any]:
    values = msgspec.structs.asdict(data)
    if normalised:
        # Canonical already (an import's rows went through `normalise_fields`): only the custom
        # fields are checked again, whole, for the required ones a row may leave out.
        values.update(rules.normalise_fields({"custom_fields": values["custom_fields"]}, settings))
    else:
        values = rules.normalise_fields(values, settings)
    if values["is_merchant"] is msgspec.UNSET:
        del values["is_merchant"]  # not stated: false for a new customer, kept for a registering guest
    rules.check_record(values, settings, changed=None)
    return values


def create_customers(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    data: Sequence[CustomerCreate],
    batch: bool,
    normalised: bool = False,
) -> list[tuple[CustomerRead, bool]]:
    """Create customers all or nothing; a registration with a guest's email registers that guest.

    Returns each customer with True when it was created, False when a guest became registered.
    `normalised`: the values come out of `rules.normalise_fields` already (an import's rows), so
    they are not normalised twice (email and phone checks are most of a row's cost).
    """

    def field(i: int, name: str) -> str:
        return f"customers[{i}].{name}" if batch else name

    prepared: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for i, item in enumerate(data):
        try:
            prepared.append(_prepared(item, settings, normalised=normalised))
        except ValidationFailed as exc:
            errors.extend(exc.prefixed(f"customers[{i}]").errors if batch else exc.errors)
            prepared.append({})
    _check_repeats(prepared, field, errors)
    if errors:
        raise ValidationFailed(errors)

    conn = uow.conn
    org_id = principal.org_id
    for i, values in enumerate(prepared):
        if values["assigned_to"] is not None and not is_staff(uow, org_id, values["assigned_to"]):
            errors.append(FieldError(field(i, "assigned_to"), Message("staff.not_in_organization")))
        try:
            check_group(uow, org_id, values)
            check_company(uow, org_id, values.get("company_id"))
        except ValidationFailed as exc:
            errors.extend(exc.prefixed(f"customers[{i}]").errors if batch else exc.errors)
    if errors:
        raise ValidationFailed(errors)

    registered_emails = [v["email"] for v in prepared if not v["is_guest"]]
    guests_by_email: dict[str, uuid.UUID] = {}
    if registered_emails:
        for holder in repo.find_by_emails(conn, org_id, registered_emails):
            if not holder.is_guest:
                i = next(i for i, v in enumerate(prepared) if v["email"] == holder.email and not v["is_guest"])
                _taken(batch, field(i, "email"), EMAIL_TAKEN, Message("customer.email_taken"))
            guests_by_email.setdefault(holder.email, holder.id)

    given_numbers = [v["customer_number"] for v in prepared if v["customer_number"]]
    if given_numbers:
        taken = repo.numbers_taken(conn, org_id, given_numbers)
        for i, values in enumerate(prepared):
            if values["customer_number"] in taken:
                _taken(batch, field(i, "customer_number"), NUMBER_TAKEN, Message("customer.number_taken"))
        for number in given_numbers:
            if (value := rules.generated_number_value(number)) is not None:
                repo.reserve_number_value(conn, org_id, value)

    upgrades = {i for i, v in enumerate(prepared) if not v["is_guest"] and v["email"] in guests_by_email}
    needs_number = [i for i, v in enumerate(prepared) if not v["customer_number"] and i not in upgrades]
    numbers = iter(repo.next_numbers(conn, org_id, len(needs_number))) if needs_number else iter(())
    now = clock.now()
    inserts: list[dict[str, Any]] = []
    insert_positions: list[int] = []
    results: dict[int, tuple[CustomerRead, bool]] = {}
    with _unique_violations(batch=batch):
        for i, values in enumerate(prepared):
            if i in upgrades:
                guest = live_or_404(uow, principal, guests_by_email[values["email"]], for_update=True)
                results[i] = (_register_guest(uow, principal, guest, values), False)
                continue
            if not values["customer_number"]:
                values["customer_number"] = rules.generated_number(next(numbers))
            inserts.append(_new_row(org_id, {**values, "locale": values["locale"] or settings.locale}, now))
            insert_positions.append(i)
        if inserts:
            for i, created in zip(insert_positions, repo.insert_many(conn, inserts), strict=True):
                results[i] = (created, True)
                uow.record(
                    events.CustomerCreated(
                        org_id,
                        created.id,
                        customer_number=created.customer_number,
                        email=created.email,
                        is_guest=created.is_guest,
                    )
                )
    answered = [results[i] for i in range(len(prepared))]
    # Subscribers who signed up before the customer existed link to it now (SPEC §7).
    affiliations.subscriptions().link_customer_emails(
        uow, org_id=org_id, emails=[customer.email for customer, _ in answered]
    )
    return answered


def _taken(batch: bool, field: str, code: str, message: Message) -> None:
    if batch:
        raise ValidationFailed([FieldError(field, message)], code=code)
    raise Conflict(message, code=code)


def _check_repeats(prepared: list[dict[str, Any]], field: Any, errors: list[FieldError]) -> None:
    """Within one batch, a registered email or a customer number may appear once."""
    first_email: dict[str, int] = {}
    first_number: dict[str, int] = {}
    for i, values in enumerate(prepared):
        if not values:
            continue
        if not values["is_guest"]:
            j = first_email.setdefault(values["email"], i)
            if j != i:
                errors.append(FieldError(field(i, "email"), Message("batch.repeats", field=f"customers[{j}].email")))
        if number := values["customer_number"]:
            j = first_number.setdefault(number, i)
            if j != i:
                errors.append(
                    FieldError(
                        field(i, "customer_number"), Message("batch.repeats", field=f"customers[{j}].customer_number")
                    )
                )


def _new_row(org_id: uuid.UUID, values: dict[str, Any], now: Any) -> dict[str, Any]:
    return {
        **values,
        "org_id": org_id,
        "id": uuid7(),
        "is_merchant": values.get("is_merchant", False),
        "user_id": None,
        "points_balance": 0,
        "loyalty_tier": None,
        "lifetime_points": 0,
        "orders_count": 0,
        "total_spent": 0,
        "first_order_at": None,
        "last_order_at": None,
        "created_at": now,
        "updated_at": now,
        "churned_at": now if values.get("status") == "churned" else None,
        "deleted_at": None,
        "erased_at": None,
        "merged_into": None,
        "version": 1,
    }


def _register_guest(uow: UnitOfWork, principal: Principal, guest: CustomerRead, values: dict[str, Any]) -> CustomerRead:
    """The guest with this email becomes the registered customer: same id, history kept.

    Only what the registration states overrides the guest's data; defaults do not.
    """
    incoming = {k: v for k, v in values.items() if k == "is_guest" or v != _CREATE_DEFAULTS.get(k)}
    return apply_changes(uow, principal, guest, incoming, reason="registered_guest")


def get_customer(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, lock: bool = False) -> CustomerRead:
    """One customer by id, deleted ones included (they keep orders and history); `lock` holds its row."""
    if lock:
        return live_or_404(uow, principal, customer_id, for_update=True)
    found = repo.read_one(uow.conn, principal.org_id, customer_id)
    if found is None:
        raise NotFound(Message("customer.not_found"), code="customer.not_found")
    if found.merged_into is not None:
        # A merge's source answers as gone, pointing at where its records went (SPEC §13.4).
        raise NotFound(
            Message("customer.merged"), code="customer.merged", extra={"merged_into": str(found.merged_into)}
        )
    return found


def get_for_merge(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID) -> CustomerRead | None:
    """The customer with its row locked, merged or deleted ones included; None when unknown."""
    return repo.get(uow.conn, principal.org_id, customer_id, for_update=True)


def write_merge_changes(
    uow: UnitOfWork,
    *,
    principal: Principal,
    row: CustomerRead,
    values: dict[str, Any],
    reason: events.UpdateReason | None,
) -> CustomerRead:
    """Write the fields a merge (or its undo) sets on a customer whose row the caller locked.

    With a `reason` it records `customer.updated` like any update (the survivor's fields);
    without one it records nothing (a source's merge marks: `customer.merged` tells those).
    """
    if reason is not None:
        with _unique_violations(batch=False):
            return apply_changes(uow, principal, row, values, reason=reason)
    with _unique_violations(batch=False):
        updated = repo.update(
            uow.conn, principal.org_id, row.id, {**values, "updated_at": clock.now()}, version=row.version
        )
    if updated is None:
        raise PreconditionFailed(Message("customer.changed_meanwhile"))
    return updated


def get_customer_by_email(uow: UnitOfWork, *, principal: Principal, email: str) -> CustomerRead:
    """The registered customer with this email (any letter case), else the latest guest."""
    row = repo.get_by_email(uow.conn, principal.org_id, email.strip().lower())
    if row is None:
        raise NotFound(Message("customer.email_unknown"), code="customer.not_found")
    return row


def customer_id_for_email(uow: UnitOfWork, *, org_id: uuid.UUID, email: str) -> uuid.UUID | None:
    """The id of the customer `get_customer_by_email` would find, or None (for linking other records)."""
    row = repo.get_by_email(uow.conn, org_id, email.strip().lower())
    return None if row is None else row.id


def list_customers(uow: UnitOfWork, *, principal: Principal, query: ListQuery) -> CustomerPage:
    """A page of live customers matching the filters and search, in the query's order."""
    rows, total = listing.page_and_total(uow.conn, principal.org_id, query)
    more = len(rows) > query.limit
    items = rows[: query.limit]
    cap = listing.count_cap(query)
    return CustomerPage(
        items=items,
        total=min(total, cap),
        limit=query.limit,
        offset=query.offset,
        next_cursor=query.cursor_after(msgspec.structs.asdict(items[-1])) if more else None,
        total_is_capped=total > cap,
    )


def list_after(
    uow: UnitOfWork, *, principal: Principal, query: ListQuery, size: int, after: CustomerRead | None
) -> list[CustomerRead]:
    """Up to `size` + 1 live customers of the query in its order, after the customer `after`
    (keyset, not counted: the extra one says there is more)."""
    keys = None if after is None else tuple(getattr(after, key.field.column) for key in query.sort)
    batch = dataclasses.replace(query, limit=size, offset=0, after=keys)
    return listing.list_page(uow.conn, principal.org_id, batch)


def update_customer(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    customer_id: uuid.UUID,
    data: CustomerUpdate,
    expected_version: int | None,
) -> CustomerRead:
    """Change the fields given; answers 412 when `expected_version` is stale."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    values = rules.normalise_fields(given, settings)
    conn = uow.conn
    row = live_or_404(uow, principal, customer_id, for_update=True)
    if row.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")
    if expected_version is not None and row.version != expected_version:
        raise PreconditionFailed(Message("customer.version_mismatch"))
    rules.check_record({**msgspec.structs.asdict(row), **values}, settings, changed=values.keys())
    if values.get("assigned_to") and not is_staff(uow, principal.org_id, values["assigned_to"]):
        raise ValidationFailed.single("assigned_to", Message("staff.not_in_organization"))
    if "group_id" in values or "is_merchant" in values:
        membership = {"group_id": values.get("group_id", row.group_id)}
        if "is_merchant" in values:
            membership["is_merchant"] = values["is_merchant"]
        check_group(uow, principal.org_id, membership)
        if membership.get("is_merchant"):
            values["is_merchant"] = True
    if "company_id" in values and values["company_id"] != row.company_id:
        check_company_change(uow, principal.org_id, row, values["company_id"])
    is_guest = values.get("is_guest", row.is_guest)
    email = values.get("email", row.email)
    email_matters = not is_guest and ("email" in values or "is_guest" in values)
    if email_matters and repo.registered_email_holder(conn, principal.org_id, email, other_than=row.id):
        raise Conflict(Message("customer.email_taken"), code=EMAIL_TAKEN)
    number = values.get("customer_number")
    if number and number != row.customer_number:
        if repo.numbers_taken(conn, principal.org_id, [number]):
            raise Conflict(Message("customer.number_taken"), code=NUMBER_TAKEN)
        if (value := rules.generated_number_value(number)) is not None:
            repo.reserve_number_value(conn, principal.org_id, value)
    with _unique_violations(batch=False):
        updated = apply_changes(uow, principal, row, values)
    if (updated.email, updated.is_guest) != (row.email, row.is_guest):
        # The email's subscriber links to the customer that email finds now (SPEC §7).
        affiliations.subscriptions().link_customer_emails(uow, org_id=principal.org_id, emails=[updated.email])
    return updated


def delete_customer(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID) -> None:
    """Soft delete: the customer leaves lists and searches and frees its email."""
    row = live_or_404(uow, principal, customer_id, for_update=True)
    if row.deleted_at is not None:
        return
    now = clock.now()
    repo.update(uow.conn, principal.org_id, row.id, {"deleted_at": now, "updated_at": now}, version=row.version)
    uow.record(events.CustomerDeleted(principal.org_id, row.id, email=row.email))


def restore_customer(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID) -> CustomerRead:
    """Undo a soft delete; 409 when a registered customer took the email meanwhile, or when the
    customer was erased (`customer.erased`: an erasure is for good)."""
    conn = uow.conn
    row = live_or_404(uow, principal, customer_id, for_update=True)
    if row.erased_at is not None:
        raise Conflict(Message("customer.erased"), code="customer.erased")
    if row.deleted_at is None:
        return row
    if row.merged_into is not None:
        # Only the merge's undo brings a source back, with the records that moved away from it.
        raise Conflict(Message("customer.merged"), code="customer.merged", extra={"merged_into": str(row.merged_into)})
    if not row.is_guest and repo.registered_email_holder(conn, principal.org_id, row.email, other_than=row.id):
        raise Conflict(Message("customer.email_taken_by_registration"), code=EMAIL_TAKEN)
    with _unique_violations(batch=False):
        restored = repo.update(
            conn, principal.org_id, row.id, {"deleted_at": None, "updated_at": clock.now()}, version=row.version
        )
    assert restored is not None  # the row is locked
    uow.record(events.CustomerRestored(principal.org_id, row.id))
    return restored


def purge_outdated_guests(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, older_than_days: int | None
) -> PurgeResult:
    """Remove guest accounts with no activity for the given (or the organization's) number of days."""
    days = older_than_days if older_than_days is not None else settings.guest_retention_days
    cutoff = clock.now() - timedelta(days=days)
    conn = uow.conn
    ids = repo.outdated_guests(conn, principal.org_id, inactive_since=cutoff)
    purged = repo.delete_many(conn, principal.org_id, ids)
    for customer_id in ids:
        uow.record(events.CustomerPurged(principal.org_id, customer_id, reason="outdated_guest"))
    return PurgeResult(purged=purged, older_than_days=days)


def find_by_natural_key(
    uow: UnitOfWork, *, principal: Principal, key: str, values: Sequence[str]
) -> dict[str, CustomerRead]:
    """The customer each normalised value of a natural key finds (`customer_number`, `email`,
    `phone`, `vat_id`; see `repository.by_natural_key` for which of several)."""
    return repo.by_natural_key(uow.conn, principal.org_id, key, values)
