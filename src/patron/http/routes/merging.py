"""Merge routes: thin wrappers over patron.merging.service."""

from __future__ import annotations

from litestar import Response

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import path_id
from patron.http.routing import get, post
from patron.identity.permissions import Permission
from patron.merging import service as merging
from patron.merging.schemas import MergeCreate, MergeRead, MergeResult, UndoResult

TAGS = ["merges"]
MERGE = requires(Permission.CUSTOMERS_MERGE)


@post("/customers/{customer_id:str}/merge", opt=MERGE, tags=TAGS, summary="Merge customers into this one")
async def merge_customers(customer_id: str, data: MergeCreate, ctx: RequestContext) -> Response[MergeResult]:
    """200 with the survivor and the merge's id. The survivor keeps its values but where `prefer`
    names a source; empty fields are filled from the sources; tags are united; the sources' emails
    and phones join `other_emails` / `other_phones`. Orders, points entries, store credit,
    addresses, lists, subscriptions, interactions, memos, deals, company memberships, product rules
    and inquiries move to the survivor; the sources are deleted with `merged_into`.
    422 naming `from_ids[i]` or `prefer.<field>`; 404 for an unknown customer; 409 when one
    is deleted, merged or erased."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[MergeResult]:
        result = merging.merge_customers(
            uow, principal=ctx.principal, settings=ctx.org_settings, survivor_id=target, data=data
        )
        return Response(result, status_code=200)

    return await ctx.run_idempotent(data, produce)


@get("/merges/{merge_id:str}", opt=MERGE, tags=TAGS, summary="One merge's journal")
async def get_merge(merge_id: str, ctx: RequestContext) -> MergeRead:
    return await ctx.run(merging.get_merge, principal=ctx.principal, merge_id=path_id(merge_id, "merge"))


@post("/merges/{merge_id:str}/undo", opt=MERGE, tags=TAGS, summary="Undo a merge")
async def undo_merge(merge_id: str, ctx: RequestContext) -> Response[UndoResult]:
    """200 with the survivor and the restored sources. Exactly the rows the merge moved go back;
    records created on the survivor since stay with it. 409 `merge.already_undone` the second
    time; 409 `merge.undo_conflict` (`blocked_by`: `points`, `credit`, `erased`, or the table of
    a moved row deleted or moved since), changing nothing."""
    target = path_id(merge_id, "merge")

    def produce(uow: UnitOfWork) -> Response[UndoResult]:
        result = merging.undo_merge(uow, principal=ctx.principal, settings=ctx.org_settings, merge_id=target)
        return Response(result, status_code=200)

    return await ctx.run_idempotent(None, produce)


ROUTES = [merge_customers, get_merge, undo_merge]
