"""Merge and undo use cases. Never commits: the request owns the unit of work.

Every customer involved is locked first, in id order (two merges sharing a customer queue
on its row and the second sees the first's result), then rows move table by table and the
journal records exactly which rows moved, so the undo moves back those and no others.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from patron.customers import memberships
from patron.customers import service as customers
from patron.customers.schemas import CustomerRead
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.errors import Conflict, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.loyalty import service as loyalty
from patron.merging import events, rules
from patron.merging import repository as repo
from patron.merging.schemas import MergeCreate, MergeRead, MergeResult, UndoResult
from patron.orders import figures

UNDO_CONFLICT = "merge.undo_conflict"


def _locked(uow: UnitOfWork, principal: Principal, ids: list[uuid.UUID]) -> dict[uuid.UUID, CustomerRead]:
    """Every customer locked in id order (no deadlock between merges); 404 for one unknown."""
    found: dict[uuid.UUID, CustomerRead] = {}
    for customer_id in sorted(set(ids)):
        row = customers.get_for_merge(uow, principal=principal, customer_id=customer_id)
        if row is None:
            raise NotFound(Message("customer.not_found"), code="customer.not_found")
        found[customer_id] = row
    return found


def _check_mergeable(row: CustomerRead) -> None:
    if row.erased_at is not None:
        raise Conflict(Message("merge.customer_erased"), code="customer.erased")
    if row.merged_into is not None:
        raise Conflict(
            Message("merge.customer_merged"), code="customer.merged", extra={"merged_into": str(row.merged_into)}
        )
    if row.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")


def _jsonable(value: Any) -> Any:
    return msgspec.to_builtins(value)


def merge_customers(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, survivor_id: uuid.UUID, data: MergeCreate
) -> MergeResult:
    """Merge the sources into the survivor: their records move to it, they are deleted, a journal is kept."""
    rules.check_request(survivor_id, data.from_ids, data.prefer)
    org_id = principal.org_id
    conn = uow.conn
    locked = _locked(uow, principal, [survivor_id, *data.from_ids])
    survivor = locked[survivor_id]
    sources = [locked[i] for i in data.from_ids]
    for row in (survivor, *sources):
        _check_mergeable(row)
    now = clock.now()
    merge_id = uuid7()

    # The sources go first: a preferred email frees its registered-email slot before the survivor takes it.
    previous_sources: dict[str, dict[str, Any]] = {}
    for source in sources:
        # The whole row as it was (the audit's "before"); the undo writes back what the merge changed.
        previous_sources[str(source.id)] = {"credit": source.credit, "row": _jsonable(source)}
        customers.write_merge_changes(
            uow,
            principal=principal,
            row=source,
            values={"deleted_at": now, "merged_into": survivor_id, "credit": 0},
            reason=None,
        )

    rows: dict[str, dict[str, list[list[Any]]]] = {}
    unflagged: dict[str, list[str]] = {flag: [] for flag in repo.DEFAULT_FLAGS}
    for source in sources:
        for flag in repo.DEFAULT_FLAGS:
            # The survivor's defaults stay; a source's default moves only where the survivor has none.
            if repo.has_default(conn, org_id, survivor_id, flag):
                unflagged[flag].extend(repo.clear_default(conn, org_id, source.id, flag))
        for name in repo.MOVED:
            keys = repo.move_all(conn, name, org_id, source.id, survivor_id)
            if keys:
                rows.setdefault(name, {})[str(source.id)] = keys
    moved = {name: sum(len(keys) for keys in by_source.values()) for name, by_source in rows.items()}

    before = msgspec.structs.asdict(survivor)
    wanted = rules.merged_values(before, [msgspec.structs.asdict(s) for s in sources], data.prefer)
    # A group taken from a source may be a merchant group, whose members are always merchants.
    if wanted["group_id"] != before["group_id"] and memberships.in_merchant_group(
        uow, org_id=org_id, group_id=wanted["group_id"]
    ):
        if data.prefer.get("is_merchant") is not None and wanted["is_merchant"] is False:
            raise ValidationFailed.single("prefer.is_merchant", Message("customer.merchant_group_member"))
        wanted["is_merchant"] = True
    changed = {field: value for field, value in wanted.items() if value != before[field]}
    updated = survivor
    if changed:
        updated = customers.write_merge_changes(uow, principal=principal, row=survivor, values=changed, reason="merged")
    _resync_points(uow, org_id, survivor_id, rows, settings)
    _recount_figures(uow, org_id, survivor_id, rows, settings)

    repo.insert_journal(
        conn,
        {
            "org_id": org_id,
            "id": merge_id,
            "survivor_id": survivor_id,
            "source_ids": [str(i) for i in data.from_ids],
            "moved": moved,
            "changed_fields": sorted(changed),
            "record": {
                "survivor": {field: _jsonable(before[field]) for field in sorted(changed)},
                "sources": previous_sources,
                "rows": rows,
                "unflagged": unflagged,
            },
            "actor_type": uow.actor.type.value,
            "actor_id": uow.actor.id,
            "created_at": now,
            "undone_at": None,
        },
    )
    uow.record(
        events.CustomerMerged(org_id, survivor_id, merge_id=merge_id, source_ids=list(data.from_ids), moved=moved)
    )
    final = customers.get_for_merge(uow, principal=principal, customer_id=updated.id)
    assert final is not None
    return MergeResult(customer=final, merge_id=merge_id)


def _resync_points(
    uow: UnitOfWork,
    org_id: uuid.UUID,
    survivor_id: uuid.UUID,
    rows: dict[str, dict[str, list[list[Any]]]],
    settings: OrganizationSettings,
) -> None:
    """Balances and tiers follow the ledger entries that moved; customers without a moved entry keep theirs
    (a customer whose ledger was never written has no tier yet, as the loyalty service leaves it)."""
    sources = rows.get("loyalty_entry", {})
    if not sources:
        return
    for customer_id in (survivor_id, *(uuid.UUID(i) for i in sources)):
        loyalty.resync_customer(uow, org_id=org_id, customer_id=customer_id, settings=settings.loyalty)


def _recount_figures(
    uow: UnitOfWork,
    org_id: uuid.UUID,
    survivor_id: uuid.UUID,
    rows: dict[str, dict[str, list[list[Any]]]],
    settings: OrganizationSettings,
) -> None:
    """Order figures follow the orders that moved (the customers are locked already)."""
    sources = rows.get("shop_order", {})
    if sources:
        customer_ids = [survivor_id, *(uuid.UUID(i) for i in sources)]
        figures.recount(uow.conn, org_id, customer_ids, currency=settings.currency)


def _journal_or_404(uow: UnitOfWork, principal: Principal, merge_id: uuid.UUID, *, for_update: bool) -> repo.JournalRow:
    found = repo.get_journal(uow.conn, principal.org_id, merge_id, for_update=for_update)
    if found is None:
        raise NotFound(Message("merge.not_found"), code="merge.not_found")
    return found


def get_merge(uow: UnitOfWork, *, principal: Principal, merge_id: uuid.UUID) -> MergeRead:
    """One merge's journal entry."""
    found = _journal_or_404(uow, principal, merge_id, for_update=False)
    return msgspec.convert(msgspec.structs.asdict(found), MergeRead, from_attributes=True)


def _blocked(by: str) -> Conflict:
    return Conflict(Message("merge.undo_blocked", blocker=by), code=UNDO_CONFLICT, extra={"blocked_by": by})


def undo_merge(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, merge_id: uuid.UUID
) -> UndoResult:
    """Undo a merge: the sources come back with exactly the rows that moved; the survivor's fields are restored.

    409 `merge.already_undone` for a second undo; 409 `merge.undo_conflict` naming what blocks it
    (`points`, `credit`, `erased`, a table whose moved row is gone or elsewhere) otherwise changing nothing.
    """
    org_id = principal.org_id
    conn = uow.conn
    journal = _journal_or_404(uow, principal, merge_id, for_update=True)
    if journal.undone_at is not None:
        raise Conflict(Message("merge.already_undone"), code="merge.already_undone")
    locked = _locked(uow, principal, [journal.survivor_id, *journal.source_ids])
    survivor = locked[journal.survivor_id]
    material = journal.record
    for source_id in journal.source_ids:
        source = locked[source_id]
        if source.erased_at is not None:
            raise _blocked("erased")
        if source.merged_into != journal.survivor_id:
            raise _blocked("merged_into")
    if survivor.erased_at is not None:
        raise _blocked("erased")
    rows: dict[str, dict[str, list[list[Any]]]] = material["rows"]
    entry_ids = [k[0] for keys in rows.get("loyalty_entry", {}).values() for k in keys]
    if survivor.points_balance - repo.points_of_entries(conn, org_id, entry_ids) < 0:
        raise _blocked("points")
    moved_credit = sum(int(s["credit"]) for s in material["sources"].values())
    if survivor.credit - moved_credit < 0:
        raise _blocked("credit")

    for name in reversed(repo.MOVED):
        for source_key, keys in rows.get(name, {}).items():
            back = repo.move_keys(conn, name, org_id, journal.survivor_id, uuid.UUID(source_key), keys)
            if len(back) != len(keys):
                raise _blocked(name)
    for flag, address_ids in material["unflagged"].items():
        if address_ids and repo.set_default(conn, org_id, address_ids, flag) != len(address_ids):
            raise _blocked("address")

    restored = {**material["survivor"], "credit": survivor.credit - moved_credit}
    template = msgspec.structs.asdict(survivor)
    # Back through the read schema, so dates and ids are values again, not their JSON text.
    values = msgspec.convert({**template, **restored}, CustomerRead, strict=False)
    wanted = {field: getattr(values, field) for field in restored}
    changed = {field: value for field, value in wanted.items() if value != template[field]}
    if changed:
        survivor = customers.write_merge_changes(
            uow, principal=principal, row=survivor, values=changed, reason="unmerged"
        )
    for source_id in journal.source_ids:
        previous = material["sources"][str(source_id)]
        customers.write_merge_changes(
            uow,
            principal=principal,
            row=locked[source_id],
            values={"deleted_at": None, "merged_into": None, "credit": previous["credit"]},
            reason=None,
        )
    _resync_points(uow, org_id, journal.survivor_id, rows, settings)
    _recount_figures(uow, org_id, journal.survivor_id, rows, settings)
    repo.mark_undone(conn, org_id, merge_id, now=clock.now())
    uow.record(
        events.CustomerUnmerged(org_id, journal.survivor_id, merge_id=merge_id, source_ids=list(journal.source_ids))
    )
    answer: list[CustomerRead] = []
    for customer_id in (journal.survivor_id, *journal.source_ids):
        row = customers.get_for_merge(uow, principal=principal, customer_id=customer_id)
        assert row is not None
        answer.append(row)
    return UndoResult(customers=answer)
