"""Pipeline and deal use cases. Never commits: the request owns the unit of work."""

from __future__ import annotations

import uuid
from collections import defaultdict
from contextlib import AbstractContextManager
from typing import Any

import msgspec

from patron.companies import service as companies
from patron.customers import service as customers
from patron.db.errors import raised_as
from patron.db.uow import UnitOfWork
from patron.deals import events, rules
from patron.deals import repository as repo
from patron.deals.records import PipelineRecord, StageRecord
from patron.deals.schemas import (
    Board,
    BoardColumn,
    DealCreate,
    DealMove,
    DealPage,
    DealRead,
    DealReopen,
    DealUpdate,
    PipelineCreate,
    PipelinePage,
    PipelineRead,
    PipelineUpdate,
    StageRead,
)
from patron.identity import service as identity
from patron.kernel import clock, validators
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, FieldError, InvalidValue, NotFound, ValidationFailed
from patron.kernel.events import FieldChange, changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

NAME_TAKEN = "pipeline.name_taken"


def _stage_read(row: StageRecord) -> StageRead:
    return StageRead(id=row.id, name=row.name, kind=row.kind, position=row.position)


def _pipeline_read(row: PipelineRecord, stages: list[StageRecord]) -> PipelineRead:
    return PipelineRead(
        id=row.id,
        name=row.name,
        is_default=row.is_default,
        stages=[_stage_read(s) for s in stages],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _pipeline_or_404(
    uow: UnitOfWork, principal: Principal, pipeline_id: uuid.UUID, *, for_update: bool
) -> PipelineRecord:
    row = repo.get_pipeline(uow.conn, principal.org_id, pipeline_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("pipeline.not_found"), code="pipeline.not_found")
    return row


def _deal_or_404(uow: UnitOfWork, principal: Principal, deal_id: uuid.UUID, *, for_update: bool) -> DealRead:
    row = repo.get_deal(uow.conn, principal.org_id, deal_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("deal.not_found"), code="deal.not_found")
    return row


def _name_race() -> AbstractContextManager[None]:
    return raised_as("uq_pipeline_org_id_name", Conflict(Message("pipeline.name_taken_meanwhile"), code=NAME_TAKEN))


def _insert_pipeline(
    uow: UnitOfWork, principal: Principal, name: str, stages: list[tuple[str, str]], *, is_default: bool
) -> PipelineRead:
    now = clock.now()
    pipeline_id = uuid7()
    stage_rows = [
        {"org_id": principal.org_id, "id": uuid7(), "pipeline_id": pipeline_id, "name": n, "kind": k, "position": i}
        for i, (n, k) in enumerate(stages)
    ]
    values = {
        "org_id": principal.org_id,
        "id": pipeline_id,
        "name": name,
        "is_default": is_default,
        "created_at": now,
        "updated_at": now,
    }
    with _name_race():
        row = repo.insert_pipeline(uow.conn, values, stage_rows)
    uow.record(events.PipelineCreated(principal.org_id, row.id, name=name, stages=[n for n, _ in stages]))
    return _pipeline_read(row, repo.stages_of(uow.conn, principal.org_id, [row.id]))


def create_pipeline(uow: UnitOfWork, *, principal: Principal, data: PipelineCreate) -> PipelineRead:
    """A new pipeline; the organization's first one becomes its default."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationFailed.single("name", Message("field.blank"))
    specs = [(s.name, s.kind) for s in data.stages] if data.stages is not None else rules.DEFAULT_STAGES
    stages = rules.check_stages(specs)
    if repo.pipeline_name_holder(uow.conn, principal.org_id, name) is not None:
        raise Conflict(Message("pipeline.name_taken"), code=NAME_TAKEN)
    is_default = repo.default_pipeline(uow.conn, principal.org_id) is None
    return _insert_pipeline(uow, principal, name, stages, is_default=is_default)


def _default_pipeline(uow: UnitOfWork, principal: Principal) -> PipelineRecord:
    """The default pipeline, created with the default stages when the organization has none yet."""
    row = repo.default_pipeline(uow.conn, principal.org_id)
    if row is None:
        created = _insert_pipeline(uow, principal, rules.DEFAULT_PIPELINE, rules.DEFAULT_STAGES, is_default=True)
        row = repo.get_pipeline(uow.conn, principal.org_id, created.id)
        assert row is not None
    return row


def list_pipelines(
    uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None
) -> PipelinePage:
    """Pipelines with their stages in order, the default first, then by name."""
    page = repo.PIPELINES.request(limit=limit, offset=offset, cursor=cursor)
    rows, total = repo.list_pipelines(uow.conn, principal.org_id, page)
    by_pipeline: dict[uuid.UUID, list[StageRecord]] = defaultdict(list)
    for stage in repo.stages_of(uow.conn, principal.org_id, [r.id for r in rows]):
        by_pipeline[stage.pipeline_id].append(stage)
    return page.answer(PipelinePage, rows, total, item=lambda r: _pipeline_read(r, by_pipeline[r.id]))


def get_pipeline(uow: UnitOfWork, *, principal: Principal, pipeline_id: uuid.UUID) -> PipelineRead:
    """One pipeline with its stages in order."""
    row = _pipeline_or_404(uow, principal, pipeline_id, for_update=False)
    return _pipeline_read(row, repo.stages_of(uow.conn, principal.org_id, [row.id]))


def update_pipeline(
    uow: UnitOfWork, *, principal: Principal, pipeline_id: uuid.UUID, data: PipelineUpdate
) -> PipelineRead:
    """Rename a pipeline."""
    row = _pipeline_or_404(uow, principal, pipeline_id, for_update=True)
    name = " ".join(data.name.split())
    if not name:
        raise ValidationFailed.single("name", Message("field.blank"))
    if name != row.name:
        holder = repo.pipeline_name_holder(uow.conn, principal.org_id, name)
        if holder is not None:
            raise Conflict(Message("pipeline.name_taken"), code=NAME_TAKEN)
        renamed = {"name": FieldChange(old=row.name, new=name)}
        with _name_race():
            row = repo.update_pipeline(uow.conn, principal.org_id, row.id, {"name": name, "updated_at": clock.now()})
        uow.record(events.PipelineUpdated(principal.org_id, row.id, changes=renamed))
    return _pipeline_read(row, repo.stages_of(uow.conn, principal.org_id, [row.id]))


def delete_pipeline(uow: UnitOfWork, *, principal: Principal, pipeline_id: uuid.UUID) -> None:
    """Delete a pipeline without deals; the default pipeline stays."""
    row = _pipeline_or_404(uow, principal, pipeline_id, for_update=True)
    if row.is_default:
        raise Conflict(Message("pipeline.default"), code="pipeline.default")
    deals = repo.count_deals(uow.conn, principal.org_id, {"pipeline_id": row.id})
    if deals:
        raise Conflict(Message("pipeline.in_use", deals=deals), code="pipeline.in_use", extra={"deals": deals})
    repo.delete_pipeline(uow.conn, principal.org_id, row.id)
    uow.record(events.PipelineDeleted(principal.org_id, row.id, name=row.name))


def _checked_links(uow: UnitOfWork, principal: Principal, values: dict[str, Any]) -> None:
    """422 naming each field that names nothing of this organization."""
    errors: list[FieldError] = []
    if values.get("currency") is not None:
        try:
            values["currency"] = validators.normalise_currency(values["currency"])
        except InvalidValue as exc:
            errors.append(FieldError("currency", exc.message))
    if "title" in values:
        values["title"] = " ".join(values["title"].split())
        if not values["title"]:
            errors.append(FieldError("title", Message("field.blank")))
    if values.get("customer_id") is not None:
        try:
            customer = customers.get_customer(uow, principal=principal, customer_id=values["customer_id"])
            if customer.deleted_at is not None:
                errors.append(FieldError("customer_id", Message("customer.deleted_reference")))
        except NotFound:
            errors.append(FieldError("customer_id", Message("customer.not_in_organization")))
    if values.get("company_id") is not None:
        try:
            companies.get_company(uow, principal=principal, company_id=values["company_id"])
        except NotFound:
            errors.append(FieldError("company_id", Message("company.not_in_organization")))
    if values.get("owner_id") is not None:
        try:
            identity.get_staff(uow, principal=principal, staff_id=values["owner_id"])
        except NotFound:
            errors.append(FieldError("owner_id", Message("staff.not_in_organization")))
    if errors:
        raise ValidationFailed(errors)


def _require_party(customer_id: Any, company_id: Any) -> None:
    if customer_id is None and company_id is None:
        raise ValidationFailed.single("customer_id", Message("deal.party_required"))


def create_deal(uow: UnitOfWork, *, principal: Principal, data: DealCreate) -> DealRead:
    """A new open deal, owned by `owner_id` or the caller."""
    values = msgspec.structs.asdict(data)
    _require_party(values["customer_id"], values["company_id"])
    values["owner_id"] = values["owner_id"] or principal.staff_id
    _checked_links(uow, principal, values)
    if data.pipeline_id is not None:
        try:
            pipeline = _pipeline_or_404(uow, principal, data.pipeline_id, for_update=False)
        except NotFound:
            raise ValidationFailed.single("pipeline_id", Message("pipeline.not_in_organization")) from None
    else:
        pipeline = _default_pipeline(uow, principal)
    stages = repo.stages_of(uow.conn, principal.org_id, [pipeline.id])
    if data.stage_id is None:
        stage = stages[0]
    else:
        found = [s for s in stages if s.id == data.stage_id]
        if not found:
            raise ValidationFailed.single("stage_id", Message("deal.stage_not_in_pipeline"))
        stage = found[0]
    if stage.kind != "open":
        raise ValidationFailed.single("stage_id", Message("deal.starts_open"))
    now = clock.now()
    values |= {
        "org_id": principal.org_id,
        "id": uuid7(),
        "pipeline_id": pipeline.id,
        "stage_id": stage.id,
        "status": "open",
        "closed_at": None,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    row = repo.insert_deal(uow.conn, values)
    created = events.DealCreated(
        principal.org_id, row.id, title=row.title, value=row.value, currency=row.currency, stage=stage.name
    )
    uow.record(created)
    return row


def list_deals(
    uow: UnitOfWork, *, principal: Principal, filters: dict[str, Any], limit: int, offset: int, cursor: str | None
) -> DealPage:
    """A page of deals, newest first, filtered by any of pipeline, stage, status, owner, customer, company."""
    page = repo.DEALS.request(limit=limit, offset=offset, cursor=cursor, filters=filters)
    return page.answer(DealPage, *repo.list_deals(uow.conn, principal.org_id, filters, page))


def get_deal(uow: UnitOfWork, *, principal: Principal, deal_id: uuid.UUID) -> DealRead:
    """One deal by id."""
    return _deal_or_404(uow, principal, deal_id, for_update=False)


def update_deal(uow: UnitOfWork, *, principal: Principal, deal_id: uuid.UUID, data: DealUpdate) -> DealRead:
    """Change the fields given; a deal keeps a customer or a company."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    row = _deal_or_404(uow, principal, deal_id, for_update=True)
    _checked_links(uow, principal, given)
    _require_party(given.get("customer_id", row.customer_id), given.get("company_id", row.company_id))
    changes = field_changes(msgspec.structs.asdict(row), given)
    if not changes:
        return row
    written = new_values(changes)
    updated = repo.update_deal(uow.conn, principal.org_id, row.id, {**written, "updated_at": clock.now()})
    uow.record(events.DealUpdated(principal.org_id, row.id, changes=changes_of(changes)))
    return updated


def delete_deal(uow: UnitOfWork, *, principal: Principal, deal_id: uuid.UUID) -> None:
    """Delete a deal."""
    row = _deal_or_404(uow, principal, deal_id, for_update=True)
    repo.delete_deal(uow.conn, principal.org_id, row.id)
    uow.record(events.DealDeleted(principal.org_id, row.id, title=row.title))


def _move(
    uow: UnitOfWork, principal: Principal, row: DealRead, stage: StageRecord, stages: list[StageRecord]
) -> DealRead:
    current = next(s for s in stages if s.id == row.stage_id)
    now = clock.now()
    values = {
        "stage_id": stage.id,
        "status": stage.kind,
        "closed_at": now if stage.kind != "open" else None,
        "updated_at": now,
    }
    updated = repo.update_deal(uow.conn, principal.org_id, row.id, values)
    change = events.DealStageChanged(
        principal.org_id,
        row.id,
        from_stage=current.name,
        to_stage=stage.name,
        from_status=row.status,
        to_status=stage.kind,
        reopened=row.status != "open",
    )
    uow.record(change)
    return updated


def _stage_in(stages: list[StageRecord], stage_id: uuid.UUID) -> StageRecord:
    for stage in stages:
        if stage.id == stage_id:
            return stage
    raise ValidationFailed.single("stage_id", Message("deal.stage_not_in_pipeline"))


def move_deal(uow: UnitOfWork, *, principal: Principal, deal_id: uuid.UUID, data: DealMove) -> DealRead:
    """Move an open deal to another stage of its pipeline; a won or lost stage closes it.

    409 `deal.closed` for a won or lost deal: only an owner may reopen it.
    """
    row = _deal_or_404(uow, principal, deal_id, for_update=True)
    stages = repo.stages_of(uow.conn, principal.org_id, [row.pipeline_id])
    stage = _stage_in(stages, data.stage_id)
    if row.status != "open":
        raise Conflict(Message("deal.closed", status=row.status), code="deal.closed")
    if stage.id == row.stage_id:
        return row
    return _move(uow, principal, row, stage, stages)


def reopen_deal(uow: UnitOfWork, *, principal: Principal, deal_id: uuid.UUID, data: DealReopen) -> DealRead:
    """Reopen a won or lost deal into an open stage (default: the last open one)."""
    row = _deal_or_404(uow, principal, deal_id, for_update=True)
    stages = repo.stages_of(uow.conn, principal.org_id, [row.pipeline_id])
    if data.stage_id is not None:
        stage = _stage_in(stages, data.stage_id)
        if stage.kind != "open":
            raise ValidationFailed.single("stage_id", Message("deal.reopens_open"))
    else:
        stage = [s for s in stages if s.kind == "open"][-1]
    if row.status == "open":
        raise Conflict(Message("deal.not_closed"), code="deal.not_closed")
    return _move(uow, principal, row, stage, stages)


def board(uow: UnitOfWork, *, principal: Principal, pipeline_id: uuid.UUID, per_stage: int) -> Board:
    """The pipeline's stages in order, each with its deal count, value per currency and newest deals."""
    pipeline = _pipeline_or_404(uow, principal, pipeline_id, for_update=False)
    conn = uow.conn
    counts: dict[uuid.UUID, int] = defaultdict(int)
    sums: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for stage_id, currency, count, total in repo.board_totals(conn, principal.org_id, pipeline.id):
        counts[stage_id] += count
        sums[stage_id][currency] = total
    columns = [
        BoardColumn(
            stage=_stage_read(stage),
            count=counts[stage.id],
            value_by_currency=dict(sorted(sums[stage.id].items())),
            deals=repo.newest_in_stage(conn, principal.org_id, stage.id, limit=per_stage) if per_stage else [],
        )
        for stage in repo.stages_of(conn, principal.org_id, [pipeline.id])
    ]
    return Board(pipeline_id=pipeline.id, columns=columns)
