"""CRM lifecycle routes on a customer: transitions, tier, tags, assignment."""

from __future__ import annotations

from typing import Any

from litestar import Response, delete, post, put

from patron.customers import lifecycle
from patron.customers.schemas import Assignment, CustomerRead, TagsReplace, TierChange
from patron.db.uow import UnitOfWork
from patron.http.guards import requires
from patron.http.idempotency import Idempotency
from patron.http.routes._shared import call, path_id
from patron.http.routes.customers import etag
from patron.identity.permissions import Permission
from patron.kernel.tenancy import Principal

LIFECYCLE = requires(Permission.CUSTOMERS_LIFECYCLE)
TAGS = ["lifecycle"]


def _one(customer: CustomerRead) -> Response[CustomerRead]:
    return Response(customer, headers={"ETag": etag(customer)})


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
    async def handler(
        customer_id: str, uow: UnitOfWork, principal: Principal, idempotency: Idempotency
    ) -> Response[CustomerRead]:
        """409 `customer.invalid_transition` when the customer's status does not allow it;
        the problem's `allowed` lists the actions that are (`[{action, to}]`)."""
        target = path_id(customer_id, "customer")

        def produce() -> Response[CustomerRead]:
            return _one(lifecycle.change_status(uow, principal=principal, customer_id=target, action=action))

        return await call(uow, lambda _uow: idempotency.run({"action": action}, produce))

    return handler


qualify = _transition("qualify", "Qualify a lead: lead → prospect")
convert = _transition("convert", "Convert a prospect: prospect → customer")
churn = _transition("churn", "Mark a customer churned: customer → churned (sets churned_at)")
reactivate = _transition("reactivate", "Reactivate a churned customer: churned → prospect")


@put("/customers/{customer_id:str}/tier", opt=LIFECYCLE, tags=TAGS, summary="Change a customer's tier")
async def set_tier(customer_id: str, data: TierChange, uow: UnitOfWork, principal: Principal) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return _one(await call(uow, lifecycle.set_tier, principal=principal, customer_id=target, tier=data.tier))


@put("/customers/{customer_id:str}/tags", opt=LIFECYCLE, tags=TAGS, summary="Replace a customer's tags")
async def set_tags(
    customer_id: str, data: TagsReplace, uow: UnitOfWork, principal: Principal
) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return _one(await call(uow, lifecycle.set_tags, principal=principal, customer_id=target, tags=data.tags))


@post("/customers/{customer_id:str}/tags/{tag:str}", opt=LIFECYCLE, tags=TAGS, status_code=200, summary="Add one tag")
async def add_tag(
    customer_id: str, tag: str, uow: UnitOfWork, principal: Principal, idempotency: Idempotency
) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")

    def produce() -> Response[CustomerRead]:
        return _one(lifecycle.add_tag(uow, principal=principal, customer_id=target, tag=tag))

    return await call(uow, lambda _uow: idempotency.run({"tag": tag}, produce))


@delete(
    "/customers/{customer_id:str}/tags/{tag:str}", opt=LIFECYCLE, tags=TAGS, status_code=200, summary="Remove one tag"
)
async def remove_tag(customer_id: str, tag: str, uow: UnitOfWork, principal: Principal) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return _one(await call(uow, lifecycle.remove_tag, principal=principal, customer_id=target, tag=tag))


@put("/customers/{customer_id:str}/assign", opt=LIFECYCLE, tags=TAGS, summary="Assign a customer to a staff member")
async def assign(customer_id: str, data: Assignment, uow: UnitOfWork, principal: Principal) -> Response[CustomerRead]:
    """422 naming `assigned_to` when it is not a staff member of this organization; null unassigns."""
    target = path_id(customer_id, "customer")
    customer = await call(uow, lifecycle.assign, principal=principal, customer_id=target, assigned_to=data.assigned_to)
    return _one(customer)


ROUTES = [qualify, convert, churn, reactivate, set_tier, set_tags, add_tag, remove_tag, assign]
