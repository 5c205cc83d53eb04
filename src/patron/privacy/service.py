"""Right of access and erasure (SPEC §13.3). Never commits: the request or command owns the unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from patron.db.uow import UnitOfWork
from patron.kernel import clock
from patron.kernel.errors import Conflict, NotFound, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.privacy import events, rules
from patron.privacy import repository as repo
from patron.privacy.schemas import AccessExport, ErasureCreate, ErasureRead, PointsExport, Record
from patron.ratelimits import service as ratelimits

# Tables whose rows become subjects of events (their ids are `subject_id` in the outbox).
_SUBJECTS = ("addresses", "orders", "lists", "subscriptions", "inquiries", "interactions", "memos", "deals")


def _customer_or_404(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, *, lock: bool) -> Record:
    row = repo.customer_row(uow.conn, principal.org_id, customer_id, for_update=lock)
    if row is None:
        raise NotFound(Message("customer.not_found"), code="customer.not_found")
    return row


def export_customer(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID) -> AccessExport:
    """Everything stored about the customer and its audit trail, as one document (deleted customers too)."""
    conn = uow.conn
    org_id = principal.org_id
    row = _customer_or_404(uow, principal, customer_id, lock=False)
    merged = repo.merged_into(conn, org_id, customer_id, for_update=False)
    ids = [customer_id, *(source["id"] for source in merged)]
    found = {key: repo.related(conn, org_id, key, ids) for key in (*_SUBJECTS, "product_restrictions")}
    _attach(found["lists"], "items", repo.children(conn, org_id, "items", [r["id"] for r in found["lists"]]), "list_id")
    _attach(
        found["subscriptions"],
        "consents",
        repo.children(conn, org_id, "consents", [r["id"] for r in found["subscriptions"]]),
        "subscriber_id",
    )
    _attach(
        found["inquiries"],
        "replies",
        repo.children(conn, org_id, "replies", [r["id"] for r in found["inquiries"]]),
        "inquiry_id",
    )
    subjects = [*ids, *(r["id"] for key in _SUBJECTS for r in found[key])]
    return AccessExport(
        generated_at=clock.now(),
        customer=_public(row),
        merged=[_public(source) for source in merged],
        addresses=found["addresses"],
        orders=found["orders"],
        points=PointsExport(
            balance=int(row["points_balance"]),
            lifetime_earned=repo.lifetime_earned(conn, org_id, customer_id),
            entries=repo.related(conn, org_id, "entries", [customer_id]),
        ),
        lists=found["lists"],
        subscriptions=found["subscriptions"],
        inquiries=found["inquiries"],
        interactions=found["interactions"],
        memos=found["memos"],
        deals=found["deals"],
        companies=repo.memberships(conn, org_id, ids),
        product_restrictions=found["product_restrictions"],
        merges=repo.journals(conn, org_id, ids),
        duplicate_dismissals=repo.dismissals(conn, org_id, ids),
        events=repo.events_of(conn, org_id, subjects),
    )


def _public(row: Record) -> Record:
    # The search document and name key are derived from the fields the export carries already.
    return {name: value for name, value in row.items() if name not in {"search_text", "name_key"}}


def _attach(parents: list[Record], key: str, rows: Iterable[Record], parent_column: str) -> None:
    by_parent: dict[Any, list[Record]] = {parent["id"]: [] for parent in parents}
    for row in rows:
        by_parent[row[parent_column]].append(row)
    for parent in parents:
        parent[key] = by_parent[parent["id"]]


def erase_customer(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, data: ErasureCreate
) -> ErasureRead:
    """Anonymise the customer (and those merged into it) for good; orders and the points ledger stay.

    409 `customer.erased` when it was erased already: an erasure cannot be repeated or undone.
    """
    reason = rules.check_reason(data.reason)
    if reason is None:
        raise ValidationFailed.single("reason", Message("field.must_not_be_blank"))
    conn = uow.conn
    org_id = principal.org_id
    row = _customer_or_404(uow, principal, customer_id, lock=True)
    if row["erased_at"] is not None:
        raise Conflict(Message("customer.erased"), code="customer.erased")
    targets = [
        row,
        *(s for s in repo.merged_into(conn, org_id, customer_id, for_update=True) if s["erased_at"] is None),
    ]
    ids = [target["id"] for target in targets]
    found = {key: repo.related(conn, org_id, key, ids) for key in _SUBJECTS}
    consents = repo.children(conn, org_id, "consents", [r["id"] for r in found["subscriptions"]])
    replies = repo.children(conn, org_id, "replies", [r["id"] for r in found["inquiries"]])
    items = repo.children(conn, org_id, "items", [r["id"] for r in found["lists"]])
    needles = rules.needles(_personal_values(targets, found))
    now = clock.now()

    repo.rewrite(conn, org_id, "customer", [_erased_customer(target, now) for target in targets])
    repo.rewrite(conn, org_id, "address", [_erased_address(r) for r in found["addresses"]])
    repo.rewrite(conn, org_id, "newsletter_subscriber", [_erased_subscriber(r, now) for r in found["subscriptions"]])
    repo.rewrite(
        conn,
        org_id,
        "newsletter_consent",
        [
            {"id": r["id"], "ip_address": None, "user_agent": None, "consent_text": _scrub(r["consent_text"], needles)}
            for r in consents
        ],
    )
    repo.rewrite(conn, org_id, "inquiry", [_erased_inquiry(r, needles) for r in found["inquiries"]])
    repo.rewrite(conn, org_id, "inquiry_reply", [{"id": r["id"], "message": ""} for r in replies])
    repo.rewrite(conn, org_id, "memo", [{"id": r["id"], "body": ""} for r in found["memos"]])
    repo.rewrite(
        conn, org_id, "interaction", [{"id": r["id"], "summary": "", "outcome": None} for r in found["interactions"]]
    )
    repo.rewrite(conn, org_id, "customer_list", _scrubbed(found["lists"], ("name",), needles))
    repo.rewrite(conn, org_id, "customer_list_item", [{"id": r["id"], "note": None} for r in items if r["note"]])
    repo.rewrite(conn, org_id, "deal", _scrubbed(found["deals"], ("title",), needles))
    # The ledger keeps every number; only a reason staff typed may name the customer.
    entries = repo.related(conn, org_id, "entries", ids)
    repo.rewrite(conn, org_id, "loyalty_entry", _scrubbed(entries, ("reason",), needles))

    subjects = [*ids, *(r["id"] for key in _SUBJECTS for r in found[key])]
    repo.rewrite(
        conn, org_id, "outbox_event", _redacted(repo.events_of(conn, org_id, subjects), ("seq",), ("data",), needles)
    )
    repo.rewrite(
        conn, org_id, "merge_journal", _redacted(repo.journals(conn, org_id, ids), ("id",), ("record",), needles)
    )
    marks = [*ids, *(r["id"] for key in ("lists", "subscriptions", "inquiries") for r in found[key])]
    repo.rewrite(conn, org_id, "idempotency_record", _erased_answers(conn, org_id, marks, needles))

    emails = [t["email"] for t in targets] + [e for t in targets for e in t["other_emails"]]
    emails += [r["email"] for key in ("subscriptions", "inquiries") for r in found[key]]
    ratelimits.forget_emails(uow, org_id=org_id, emails=emails)

    stated = rules.scrub(reason, needles)
    for target in targets:
        merged_into = None if target["id"] == customer_id else customer_id
        uow.record(events.CustomerErased(org_id, target["id"], reason=stated, merged_into=merged_into))
    return ErasureRead(id=customer_id, erased_at=now)


def _personal_values(targets: Sequence[Record], found: Mapping[str, list[Record]]) -> list[object]:
    """Every personal value to look for in text elsewhere: the customers', addresses', subscribers', inquiries'."""
    values: list[object] = []
    for target in targets:
        first, last = target["first_name"], target["last_name"]
        values += [first, last, f"{first or ''} {last or ''}".strip(), f"{last or ''} {first or ''}".strip()]
        values += [target["email"], target["phone"], target["fax"], target["birthday"]]
        values += [target["company_name"], target["vat_id"], *target["other_emails"], *target["other_phones"]]
        values += list(_strings(target["custom_fields"]))
    for r in found["addresses"]:
        values += [r["name"], r["company"], r["street"], r["extra_line"], r["phone"]]
        if r["house_number"]:
            values += [f"{r['house_number']} {r['street']}", f"{r['street']} {r['house_number']}"]
    for r in found["subscriptions"]:
        values.append(r["email"])
    for r in found["inquiries"]:
        values += [r["name"], r["email"], r["phone"], r["company_name"]]
    return values


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _scrub(text: str | None, needles: rules.Needles) -> str | None:
    return None if text is None else rules.scrub(text, needles)


def _scrubbed(rows: Iterable[Record], columns: Sequence[str], needles: rules.Needles) -> list[Record]:
    """Only the rows whose text named the customer, with that text masked."""
    changed: list[Record] = []
    for r in rows:
        values = {c: _scrub(r[c], needles) for c in columns if r[c] is not None}
        values = {c: v for c, v in values.items() if v != r[c]}
        if values:
            changed.append({"id": r["id"], **values})
    return changed


def _redacted(
    rows: Iterable[Record], keys: Sequence[str], columns: Sequence[str], needles: rules.Needles
) -> list[Record]:
    """Only the rows whose JSON carried personal values, with those values gone."""
    changed: list[Record] = []
    for r in rows:
        values = {c: rules.redact(r[c], needles) for c in columns}
        values = {c: v for c, v in values.items() if v != r[c]}
        if values:
            changed.append({k: r[k] for k in keys} | values)
    return changed


def _erased_answers(conn: Any, org_id: uuid.UUID, marks: Sequence[uuid.UUID], needles: rules.Needles) -> list[Record]:
    """Stored idempotent answers about the customer's records, with its personal values gone
    (a replay still answers the same status, with those values null).

    An answer about one of its records names the customer's id, or the list, subscriber or
    inquiry it belongs to (a list item's, a reply's answer): those ids are the marks searched for.
    """
    changed: list[Record] = []
    for answer in repo.idempotent_answers_naming(conn, org_id, [str(mark) for mark in marks]):
        body: bytes = answer["response_body"]
        try:
            decoded = msgspec.json.decode(body)
        except msgspec.DecodeError:
            continue  # not JSON: an empty 204 or a file, which carries no customer fields
        redacted = msgspec.json.encode(rules.redact(decoded, needles))
        if redacted != body:
            changed.append({"api_key_id": answer["api_key_id"], "key": answer["key"], "response_body": redacted})
    return changed


def _erased_customer(row: Record, now: datetime) -> Record:
    return {
        "id": row["id"],
        "gender": None,
        "first_name": None,
        "last_name": None,
        "birthday": None,
        "email": rules.erased_email(row["id"]),
        "other_emails": [],
        "phone": None,
        "other_phones": [],
        "fax": None,
        "company_name": None,
        "vat_id": None,
        "tags": [],
        "custom_fields": {},
        "search_text": None,
        "name_key": None,
        "deleted_at": row["deleted_at"] or now,
        "erased_at": now,
        "updated_at": now,
        "version": row["version"] + 1,
    }


def _erased_address(row: Record) -> Record:
    return {
        "id": row["id"],
        "name": None,
        "company": None,
        "street": "",
        "house_number": None,
        "extra_line": None,
        "postcode": None,
        "city": "",
        "state": None,
        "phone": None,
    }


def _erased_subscriber(row: Record, now: datetime) -> Record:
    # No more mail to no one: unsubscribed, and every link given out revoked.
    values: Record = {
        "id": row["id"],
        "email": rules.erased_email(row["id"]),
        "token_version": row["token_version"] + 1,
        "updated_at": now,
    }
    if row["status"] != "unsubscribed":
        values |= {"status": "unsubscribed", "unsubscribed_at": now}
    return values


def _erased_inquiry(row: Record, needles: rules.Needles) -> Record:
    return {
        "id": row["id"],
        "name": "",
        "email": rules.erased_email(row["id"]),
        "phone": None,
        "company_name": None,
        "message": "",
        "client_ip": None,
        "user_agent": None,
        "lost_reason": _scrub(row["lost_reason"], needles),
    }
