"""One chunk of a file's plan applied to the organization's customers, in the caller's unit of work.

Every write goes through the customers service, so a row is held to exactly the rules of
`POST /customers` (a new customer) or `PATCH /customers/{id}` (a matched one), events and all.
A row the service refuses is rolled back alone (a savepoint) and reported; the others go on.
A dry run does the same work and then rolls the whole chunk's writes back, so it reports what
the real run would do, rule for rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.imports.rows import Item, MatchKey, Problem, Rejected, Unit, changes
from patron.kernel.decode_errors import decode_message
from patron.kernel.errors import FieldError, PatronError, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


@dataclass(slots=True)
class ChunkResult:
    """What a chunk did: one outcome per row, the reasons of its rejected rows, the counts."""

    outcomes: list[list[Any]] = field(default_factory=list)  # [row, outcome, customer id | None]
    rejected: list[Rejected] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0

    @property
    def rows(self) -> int:
        return len(self.outcomes)


class _DryRun(Exception):
    """Raised at the end of a dry run's chunk to roll its writes back."""


def apply_chunk(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    items: Sequence[Item],
    match_on: Sequence[MatchKey],
    on_match: str,
    dry_run: bool,
    headers: Mapping[str, str],
) -> ChunkResult:
    """Apply the items (customers of the file and rejected rows) and say what each row did."""
    if not dry_run:
        return _apply(uow, principal, settings, items, match_on, on_match, headers)
    result = ChunkResult()
    try:
        with uow.savepoint():
            result = _apply(uow, principal, settings, items, match_on, on_match, headers)
            raise _DryRun
    except _DryRun:
        pass
    # A customer a dry run would create has no id: it was never kept.
    created = {"created"}
    result.outcomes = [[row, outcome, None if outcome in created else cid] for row, outcome, cid in result.outcomes]
    return result


def _apply(
    uow: UnitOfWork,
    principal: Principal,
    settings: OrganizationSettings,
    items: Sequence[Item],
    match_on: Sequence[MatchKey],
    on_match: str,
    headers: Mapping[str, str],
) -> ChunkResult:
    units = [item for item in items if isinstance(item, Unit)]
    matches = _matches(uow, principal, units, match_on)
    decided: dict[int, tuple[str, uuid.UUID | None] | list[Problem]] = {}
    for i, existing in matches.items():
        decided[i] = _update(uow, principal, settings, units[i], existing, on_match, headers)
    decided.update(
        _create(uow, principal, settings, units, [i for i in range(len(units)) if i not in matches], headers)
    )

    result = ChunkResult()
    unit_index = {id(unit): i for i, unit in enumerate(units)}
    for item in items:
        if isinstance(item, Rejected):
            result.rejected.append(item)
            result.outcomes.append([item.number, "rejected", None])
            continue
        outcome = decided[unit_index[id(item)]]
        if isinstance(outcome, list):
            for row in item.rows:
                problems = [Problem(row.number, p.column, p.field, p.code, p.message) for p in outcome]
                result.rejected.append(Rejected(row.number, problems, row.cells))
                result.outcomes.append([row.number, "rejected", None])
            continue
        kind, customer_id = outcome
        cid = None if customer_id is None else str(customer_id)
        setattr(result, kind, getattr(result, kind) + 1)
        result.outcomes.append([item.rows[0].number, kind, cid])
        for row in item.rows[1:]:
            result.merged += 1
            result.outcomes.append([row.number, "merged", cid])
    result.outcomes.sort(key=lambda outcome: outcome[0])
    return result


def _matches(
    uow: UnitOfWork, principal: Principal, units: Sequence[Unit], match_on: Sequence[MatchKey]
) -> dict[int, CustomerRead]:
    """The existing customer of each unit: found by the first key of `match_on` that finds one."""
    matches: dict[int, CustomerRead] = {}
    for key in match_on:
        pending = [(i, value) for i, unit in enumerate(units) if i not in matches and (value := unit.key(key))]
        if not pending:
            continue
        found = customers.find_by_natural_key(
            uow, principal=principal, key=key, values=sorted({value for _, value in pending})
        )
        for i, value in pending:
            if (customer := found.get(value)) is not None:
                matches[i] = customer
    return matches


def _update(
    uow: UnitOfWork,
    principal: Principal,
    settings: OrganizationSettings,
    unit: Unit,
    existing: CustomerRead,
    on_match: str,
    headers: Mapping[str, str],
) -> tuple[str, uuid.UUID | None] | list[Problem]:
    if on_match == "skip":
        return ("unchanged", existing.id)
    changed = changes(msgspec.structs.asdict(existing), unit.values)
    if not changed:
        return ("unchanged", existing.id)
    try:
        data = msgspec.convert(changed, CustomerUpdate)
        with uow.savepoint():
            customers.update_customer(
                uow, principal=principal, settings=settings, customer_id=existing.id, data=data, expected_version=None
            )
    except msgspec.ValidationError as exc:
        return [_conversion_problem(exc, unit, headers)]
    except PatronError as exc:
        return _problems(exc, unit, headers)
    return ("updated", existing.id)


def _create(
    uow: UnitOfWork,
    principal: Principal,
    settings: OrganizationSettings,
    units: Sequence[Unit],
    pending: list[int],
    headers: Mapping[str, str],
) -> dict[int, tuple[str, uuid.UUID | None] | list[Problem]]:
    """Create the unmatched units in one batch; a unit the batch refuses is taken out and the rest retried."""
    decided: dict[int, tuple[str, uuid.UUID | None] | list[Problem]] = {}
    data: dict[int, CustomerCreate] = {}
    for i in pending:
        try:
            data[i] = msgspec.convert(units[i].values, CustomerCreate)
        except msgspec.ValidationError as exc:
            decided[i] = [_conversion_problem(exc, units[i], headers)]
    while data:
        order = list(data)
        try:
            with uow.savepoint():
                results = customers.create_customers(
                    uow,
                    principal=principal,
                    settings=settings,
                    data=[data[i] for i in order],
                    batch=True,
                    normalised=True,
                )
        except ValidationFailed as exc:
            refused = _refused_positions(exc, len(order))
            if not refused:  # not about one customer: every unit of the batch is refused for it
                for i in order:
                    decided[i] = _problems(exc, units[i], headers)
                return decided
            for position, errors in refused.items():
                i = order[position]
                decided[i] = _problems(ValidationFailed(errors, code=exc.code), units[i], headers)
                del data[i]
            continue
        except PatronError as exc:
            for i in order:
                decided[i] = _problems(exc, units[i], headers)
            return decided
        for i, (customer, created) in zip(order, results, strict=True):
            decided[i] = ("created" if created else "updated", customer.id)
        break
    return decided


def _refused_positions(exc: ValidationFailed, count: int) -> dict[int, list[FieldError]]:
    """The batch positions a `customers[k].field` error names, with their errors (fields unprefixed)."""
    refused: dict[int, list[FieldError]] = {}
    for error in exc.errors:
        if not error.field.startswith("customers["):
            continue
        position_text, _, rest = error.field.removeprefix("customers[").partition("]")
        if not position_text.isdigit() or int(position_text) >= count:
            continue
        refused.setdefault(int(position_text), []).append(FieldError(rest.removeprefix(".") or "row", error.message))
    return refused


def _column(field_name: str | None, headers: Mapping[str, str]) -> str | None:
    if field_name is None:
        return None
    return headers.get(field_name.split(".")[0].split("[")[0]) or headers.get(field_name)


def _problems(exc: PatronError, unit: Unit, headers: Mapping[str, str]) -> list[Problem]:
    row = unit.first_row
    if isinstance(exc, ValidationFailed) and exc.errors:
        problems = []
        for error in exc.errors:
            name = error.field if error.field not in ("customers", "row") else None
            if name and name.startswith("custom_fields."):
                name = "custom." + name.removeprefix("custom_fields.")
            code = exc.code if exc.code != ValidationFailed.code else error.message.id
            problems.append(Problem(row, _column(name, headers), name, code, error.message))
        return problems
    return [Problem(row, None, None, exc.code, exc.detail)]


def _conversion_problem(exc: msgspec.ValidationError, unit: Unit, headers: Mapping[str, str]) -> Problem:
    text = str(exc)
    name: str | None = None
    if " - at `$." in text:
        text, _, at = text.partition(" - at `$.")
        name = at.rstrip("`").split("[")[0].split(".")[0]
    if text.startswith("Object missing required field `"):
        name = text.removeprefix("Object missing required field `").rstrip("`")
        message = Message("field.required")
    else:
        message = decode_message(text)
    return Problem(unit.first_row, _column(name, headers), name, message.id, message)
