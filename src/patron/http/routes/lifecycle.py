"""CRM lifecycle routes on a customer: transitions, tier, tags, assignment."""

from __future__ import annotations

from typing import Any

from litestar import Response

from patron.customers import lifecycle
from patron.customers.schemas import Assignment, CustomerRead, TagsReplace, TierChange
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import path_id
from patron.http.routes.customers import customer_response
from patron.http.routing import delete, post, put
from patron.identity.permissions import Permission

LIFECYCLE = requires(Permission.CUSTOMERS_LIFECYCLE)
TAGS = ["lifecycle"]


def _transition(action: str, summary: str) -> Any:
    @post(
        f"/customers/{{customer_id:str}}/{action}",
        opt=LIFECYCLE,
        tags=TAGS,
        status_code=200,
        summary=summary,
        operation_id=f"customer_{action}",
        name=f"customer-{action}",
    )
    async def handler(customer_id: str, ctx: RequestContext) -> Response[CustomerRead]:
        """409 `customer.invalid_transition` when the customer's status does not allow it;
        the problem's `allowed` lists the actions that are (`[{action, to}]`)."""
        target = path_id(customer_id, "customer")

        def produce(uow: UnitOfWork) -> Response[CustomerRead]:
            return customer_response(
                lifecycle.change_status(uow, principal=ctx.principal, customer_id=target, action=action)
            )

        return await ctx.run_idempotent({"action": action}, produce)

    return handler


qualify = _transition("qualify", "Qualify a lead: lead → prospect")
convert = _transition("convert", "Convert a prospect: prospect → customer")
churn = _transition("churn", "Mark a customer churned: customer → churned (sets churned_at)")
reactivate = _transition("reactivate", "Reactivate a churned customer: churned → prospect")


@put("/customers/{customer_id:str}/tier", opt=LIFECYCLE, tags=TAGS, summary="Change a customer's tier")
async def set_tier(customer_id: str, data: TierChange, ctx: RequestContext) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return customer_response(
        await ctx.run(lifecycle.set_tier, principal=ctx.principal, customer_id=target, tier=data.tier)
    )


@put("/customers/{customer_id:str}/tags", opt=LIFECYCLE, tags=TAGS, summary="Replace a customer's tags")
async def set_tags(customer_id: str, data: TagsReplace, ctx: RequestContext) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return customer_response(
        await ctx.run(lifecycle.set_tags, principal=ctx.principal, customer_id=target, tags=data.tags)
    )


@post("/customers/{customer_id:str}/tags/{tag:str}", opt=LIFECYCLE, tags=TAGS, status_code=200, summary="Add one tag")
async def add_tag(customer_id: str, tag: str, ctx: RequestContext) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[CustomerRead]:
        return customer_response(lifecycle.add_tag(uow, principal=ctx.principal, customer_id=target, tag=tag))

    return await ctx.run_idempotent({"tag": tag}, produce)


@delete(
    "/customers/{customer_id:str}/tags/{tag:str}", opt=LIFECYCLE, tags=TAGS, status_code=200, summary="Remove one tag"
)
async def remove_tag(customer_id: str, tag: str, ctx: RequestContext) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return customer_response(await ctx.run(lifecycle.remove_tag, principal=ctx.principal, customer_id=target, tag=tag))


@put("/customers/{customer_id:str}/assign", opt=LIFECYCLE, tags=TAGS, summary="Assign a customer to a staff member")
async def assign(customer_id: str, data: Assignment, ctx: RequestContext) -> Response[CustomerRead]:
    """422 naming `assigned_to` when it is not a staff member of this organization; null unassigns."""
    target = path_id(customer_id, "customer")
    customer = await ctx.run(
        lifecycle.assign, principal=ctx.principal, customer_id=target, assigned_to=data.assigned_to
    )
    return customer_response(customer)


ROUTES = [qualify, convert, churn, reactivate, set_tier, set_tags, add_tag, remove_tag, assign]
