"""Duplicates use cases. Never commits: the request owns the unit of work.

The list is computed for the whole organization (patron.duplicates.finding) and kept per
process with the organization's event counter (`event_seq`) it was computed at. A read whose
counter is the same uses it as is (one primary-key lookup). Otherwise it reads the type and
subject of the events since (at most 500, a range of the outbox's primary key): when none of
them can change the list (an order, points, a list...: `_UNRELATED_PREFIXES`) the list is kept
as it is; when the others each change one customer (`_ONE_CUSTOMER`, at most 50 of them) it is
brought up to date for those (finding.update); anything else computes it afresh. Measured at
100,000 customers in bench/duplicates.py (figures in the README).
"""

from __future__ import annotations

import bisect
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from patron.db.uow import UnitOfWork
from patron.duplicates import events, finding, rules
from patron.duplicates import repository as repo
from patron.duplicates.schemas import DismissalCreate, DismissalRead, DuplicatePage, DuplicatePair
from patron.kernel import clock, pagination
from patron.kernel.errors import FieldError, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

DUPLICATES = pagination.Keyset(
    "duplicates",
    (
        pagination.Key("score", float, descending=True),
        pagination.Key("low_id", uuid.UUID),
        pagination.Key("high_id", uuid.UUID),
    ),
)

# Organizations whose list a process keeps (the least recently read is dropped first).
_KEPT_ORGS = 16
# A kept list older than this many events is computed afresh rather than brought up to date.
_MOST_EVENTS = 500
# Event types that cannot change the list: none of them writes a customer's name, emails,
# phones, VAT id, birthday, company name, addresses or live state, nor a dismissal (checked
# against docs/events.md and the writers: loyalty updates only points and tier; companies,
# lists, orders and the rest write no customer column the list reads). Any other type, and any
# type added later, counts as a change.
_UNRELATED_PREFIXES = (
    "order.",
    "points.",
    "list.",
    "company.",
    "pipeline.",
    "deal.",
    "interaction.",
    "memo.",
    "subscriber.",
    "inquiry.",
    "staff.",
    "api_key.",
    "webhook.",
)
_UNRELATED_TYPES = frozenset({"customer.status_changed", "customer.product_restrictions_changed"})
# Event types whose subject is the one customer they change (an address's and a dismissal's: the
# customer, the dismissal's low id); a list is brought up to date for at most _MOST_CHANGED of them.
_ONE_CUSTOMER = frozenset(
    {
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "customer.restored",
        "customer.purged",
        "customer.erased",
        "address.created",
        "address.updated",
        "address.deleted",
        "duplicate.dismissed",
    }
)
_MOST_CHANGED = 50
# Of those, the types that may make a customer live or not (the others leave the live count as it is).
_ARRIVALS = frozenset(
    {"customer.created", "customer.deleted", "customer.restored", "customer.purged", "customer.erased"}
)


@dataclass(frozen=True, slots=True)
class _Kept:
    seq: int
    pairs: list[finding.Scored]
    order: list[tuple[float, str, str]]  # each pair's sort key (score negated, hex ids), for bisect
    state: finding.State


@dataclass(frozen=True, slots=True)
class _Listed:
    score: float
    low_id: uuid.UUID
    high_id: uuid.UUID
    reasons: list[rules.Reason]


_kept: OrderedDict[uuid.UUID, _Kept] = OrderedDict()
_lock = threading.Lock()


def _sort_key(score: float, low: str, high: str) -> tuple[float, str, str]:
    return (-score, low, high)


def _unrelated(event_type: str) -> bool:
    return event_type in _UNRELATED_TYPES or event_type.startswith(_UNRELATED_PREFIXES)


def _kept_list(seq: int, pairs: list[finding.Scored], state: finding.State) -> _Kept:
    return _Kept(seq, pairs, [_sort_key(p.score, p.low_id, p.high_id) for p in pairs], state)


def _brought_up(uow: UnitOfWork, org_id: uuid.UUID, kept: _Kept, seq: int) -> _Kept | None:
    """The kept list brought up to `seq`: the same when no event since can change it, updated
    for the few customers the events since changed; None when it must be computed afresh."""
    changes = repo.events_since(uow.conn, org_id, kept.seq, seq, most=_MOST_EVENTS)
    if len(changes) > _MOST_EVENTS:
        return None
    changed: set[repo.Hex] = set()
    arrived: set[repo.Hex] = set()
    for event_type, subject_id in changes:
        if event_type in _ONE_CUSTOMER:
            changed.add(subject_id)
            if event_type in _ARRIVALS:
                arrived.add(subject_id)
        elif not _unrelated(event_type):
            return None
    if not changed:
        return _Kept(seq, kept.pairs, kept.order, kept.state)
    if len(changed) > _MOST_CHANGED:
        return None
    updated = finding.update(uow.conn, org_id, kept.state, kept.pairs, changed, arrived=arrived)
    if updated is None:
        return None
    return _kept_list(seq, *updated)


def _keep(org_id: uuid.UUID, kept: _Kept) -> None:
    with _lock:
        current = _kept.get(org_id)
        if current is None or current.seq <= kept.seq:  # a concurrent request may have kept a newer one
            _kept[org_id] = kept
        _kept.move_to_end(org_id)
        while len(_kept) > _KEPT_ORGS:
            _kept.popitem(last=False)


def _pairs(uow: UnitOfWork, org_id: uuid.UUID, *, cached: bool) -> _Kept:
    seq = repo.event_seq(uow.conn, org_id)
    if cached:
        with _lock:
            kept = _kept.get(org_id)
            if kept is not None and kept.seq == seq:
                _kept.move_to_end(org_id)
                return kept
        if kept is not None and kept.seq < seq and (brought := _brought_up(uow, org_id, kept, seq)) is not None:
            _keep(org_id, brought)
            return brought
    found = finding.find(uow.conn, org_id)
    kept = _kept_list(seq, found.pairs, found.state)
    _keep(org_id, kept)
    return kept


def list_duplicates(
    uow: UnitOfWork, *, principal: Principal, min_score: float, limit: int, cursor: str | None, cached: bool = True
) -> DuplicatePage:
    """Likely duplicate pairs scoring at least `min_score`, highest first (`cached=False`: computed afresh)."""
    page = DUPLICATES.request(limit=limit, cursor=cursor, filters=[min_score])
    kept = _pairs(uow, principal.org_id, cached=cached)
    start = 0
    if page.after is not None:
        score, low, high = page.after
        start = bisect.bisect_right(kept.order, _sort_key(score, low.hex, high.hex))
    # The first pair scoring below min_score (the order is by score descending; "g" sorts after any hex).
    end = bisect.bisect_left(kept.order, (-min_score, "g", "g"))
    rows = [
        _Listed(p.score, uuid.UUID(p.low_id), uuid.UUID(p.high_id), p.reasons)
        for p in kept.pairs[start : min(end, start + limit + 1)]
    ]
    items, next_cursor = page.split(rows)
    return DuplicatePage(
        items=[DuplicatePair(customer_ids=[p.low_id, p.high_id], score=p.score, reasons=p.reasons) for p in items],
        next_cursor=next_cursor,
    )


def dismiss(uow: UnitOfWork, *, principal: Principal, data: DismissalCreate) -> DismissalRead:
    """Mark two customers as different people, so the pair stays out of the list; again is a no-op."""
    first, second = data.customer_ids
    found = repo.existing(uow.conn, principal.org_id, [first, second])
    errors = [
        FieldError(f"customer_ids[{i}]", Message("duplicates.unknown_customer"))
        for i, customer_id in enumerate((first, second))
        if customer_id not in found
    ]
    if not errors and first == second:
        errors.append(FieldError("customer_ids[1]", Message("duplicates.same_customer")))
    if errors:
        raise ValidationFailed(errors)
    low, high = rules.pair(first, second)
    now = clock.now()
    values = {
        "org_id": principal.org_id,
        "low_id": low,
        "high_id": high,
        "actor_type": uow.actor.type.value,
        "actor_id": uow.actor.id,
        "created_at": now,
    }
    if repo.insert_dismissal(uow.conn, values):
        uow.record(events.DuplicateDismissed(principal.org_id, low, other_customer_id=high))
        return DismissalRead(customer_ids=[low, high], dismissed_at=now)
    dismissed_at = repo.get_dismissal(uow.conn, principal.org_id, low, high)
    assert dismissed_at is not None
    return DismissalRead(customer_ids=[low, high], dismissed_at=dismissed_at)
