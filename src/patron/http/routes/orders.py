"""Order routes: thin wrappers over patron.orders.service."""

from __future__ import annotations

from litestar import Response

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import get, post, put
from patron.identity.permissions import Permission
from patron.orders import service as orders
from patron.orders.schemas import OrderCreate, OrderCustomerAttach, OrderPage, OrderRead

READ = requires(Permission.ORDERS_READ)
RECORD = requires(Permission.ORDERS_RECORD)
REFUND = requires(Permission.ORDERS_REFUND)
TAGS = ["orders"]


@post("/orders", opt=RECORD, tags=TAGS, summary="Record an order")
async def create_order(data: OrderCreate, ctx: RequestContext) -> Response[OrderRead]:
    """201 with the order (status `open`). 409 `order.external_ref_taken` when the reference is in use;
    422 naming `customer_id` when it is not a live customer of this organization."""

    def produce(uow: UnitOfWork) -> Response[OrderRead]:
        order = orders.create_order(uow, principal=ctx.principal, data=data)
        return Response(order, status_code=201, headers={"Location": f"/api/v1/orders/{order.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/orders/{order_id:str}", opt=READ, tags=TAGS, summary="Get an order")
async def get_order(order_id: str, ctx: RequestContext) -> OrderRead:
    return await ctx.run(orders.get_order, principal=ctx.principal, order_id=path_id(order_id, "order"))


@put("/orders/{order_id:str}/customer", opt=RECORD, tags=TAGS, summary="Attach a customer to an order")
async def attach_customer(
    order_id: str,
    data: OrderCustomerAttach,
    ctx: RequestContext,
) -> OrderRead:
    """The order with the customer embedded. A paid order awards its points now.
    409 `order.customer_attached` when another customer is attached already."""
    return await ctx.run(
        orders.attach_customer,
        principal=ctx.principal,
        settings=ctx.org_settings,
        order_id=path_id(order_id, "order"),
        customer_id=data.customer_id,
    )


@post("/orders/{order_id:str}/pay", opt=RECORD, tags=TAGS, status_code=200, summary="Report an order paid")
async def pay_order(
    order_id: str,
    ctx: RequestContext,
) -> Response[OrderRead]:
    """Awards floor(total / earn_amount) x earn_points to the attached customer, exactly once however
    often or concurrently the payment is reported. 409 `order.invalid_transition` for a cancelled
    or refunded order."""
    target = path_id(order_id, "order")

    def produce(uow: UnitOfWork) -> Response[OrderRead]:
        order = orders.pay_order(uow, principal=ctx.principal, settings=ctx.org_settings, order_id=target)
        return Response(order, status_code=200)

    return await ctx.run_idempotent(None, produce)


@post("/orders/{order_id:str}/refund", opt=REFUND, tags=TAGS, status_code=200, summary="Refund a paid order")
async def refund_order(
    order_id: str,
    ctx: RequestContext,
) -> Response[OrderRead]:
    """Reverses the order's award: at most the current balance, the rest recorded as the shortfall.
    409 `order.invalid_transition` unless the order is paid (or refunded already)."""
    target = path_id(order_id, "order")

    def produce(uow: UnitOfWork) -> Response[OrderRead]:
        order = orders.refund_order(uow, principal=ctx.principal, settings=ctx.org_settings, order_id=target)
        return Response(order, status_code=200)

    return await ctx.run_idempotent(None, produce)


@post("/orders/{order_id:str}/cancel", opt=RECORD, tags=TAGS, status_code=200, summary="Cancel an open order")
async def cancel_order(order_id: str, ctx: RequestContext) -> Response[OrderRead]:
    """409 `order.invalid_transition` for a paid or refunded order (refund it instead)."""
    target = path_id(order_id, "order")

    def produce(uow: UnitOfWork) -> Response[OrderRead]:
        return Response(orders.cancel_order(uow, principal=ctx.principal, order_id=target), status_code=200)

    return await ctx.run_idempotent(None, produce)


@get("/customers/{customer_id:str}/orders", opt=READ, tags=TAGS, summary="A customer's orders, newest first")
async def list_customer_orders(
    customer_id: str,
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> OrderPage:
    """A deleted customer keeps its orders."""
    return await ctx.run(
        orders.list_customer_orders,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


ROUTES = [create_order, get_order, attach_customer, pay_order, refund_order, cancel_order, list_customer_orders]
