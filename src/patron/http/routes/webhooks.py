"""Webhook routes (owners): register URLs for event types, read the delivery log."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from patron.event_types import KNOWN_TYPES
from patron.events import webhooks
from patron.events.schemas import (
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPage,
    WebhookPage,
    WebhookRead,
    WebhookUpdate,
)
from patron.events.webhooks import WebhookPolicy
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission

MANAGE = requires(Permission.WEBHOOKS_MANAGE)
TAGS = ["webhooks"]


def _policy(request: Request[Any, Any, Any]) -> WebhookPolicy:
    policy: WebhookPolicy = request.app.state.dispatch_config.policy
    return policy


@post("/webhooks", opt=MANAGE, tags=TAGS, summary="Register a webhook")
async def create_webhook(
    data: WebhookCreate, request: Request[Any, Any, Any], ctx: RequestContext
) -> Response[WebhookCreated]:
    """201 with the signing `secret`, shown only here. Each delivery is a POST of the event as JSON
    with `Patron-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. URLs that resolve
    to loopback, private, link-local or metadata addresses are refused (422 on `url`)."""
    created = await ctx.run(
        webhooks.create_webhook,
        principal=ctx.principal,
        policy=_policy(request),
        known_types=KNOWN_TYPES,
        data=data,
    )
    return Response(created, status_code=201, headers={"Location": f"/api/v1/webhooks/{created.webhook.id}"})


@get("/webhooks", opt=MANAGE, tags=TAGS, summary="List webhooks")
async def list_webhooks(
    ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> WebhookPage:
    return await ctx.run(webhooks.list_webhooks, principal=ctx.principal, limit=limit, offset=offset, cursor=cursor)


@get("/webhooks/{webhook_id:str}", opt=MANAGE, tags=TAGS, summary="Get a webhook")
async def get_webhook(webhook_id: str, ctx: RequestContext) -> WebhookRead:
    target = path_id(webhook_id, "webhook")
    return await ctx.run(webhooks.get_webhook, principal=ctx.principal, webhook_id=target)


@patch("/webhooks/{webhook_id:str}", opt=MANAGE, tags=TAGS, summary="Change a webhook")
async def update_webhook(
    webhook_id: str, data: WebhookUpdate, request: Request[Any, Any, Any], ctx: RequestContext
) -> WebhookRead:
    target = path_id(webhook_id, "webhook")
    return await ctx.run(
        webhooks.update_webhook,
        principal=ctx.principal,
        policy=_policy(request),
        known_types=KNOWN_TYPES,
        webhook_id=target,
        data=data,
    )


@post(
    "/webhooks/{webhook_id:str}/rotate-secret",
    opt=MANAGE,
    tags=TAGS,
    status_code=200,
    summary="Replace a webhook's signing secret",
)
async def rotate_secret(webhook_id: str, request: Request[Any, Any, Any], ctx: RequestContext) -> WebhookCreated:
    """The new `secret` is in this answer only; deliveries sent from now on are signed with it."""
    target = path_id(webhook_id, "webhook")
    return await ctx.run(webhooks.rotate_secret, principal=ctx.principal, policy=_policy(request), webhook_id=target)


@delete("/webhooks/{webhook_id:str}", opt=MANAGE, tags=TAGS, summary="Remove a webhook and its log")
async def delete_webhook(webhook_id: str, ctx: RequestContext) -> None:
    await ctx.run(webhooks.delete_webhook, principal=ctx.principal, webhook_id=path_id(webhook_id, "webhook"))


@get("/webhooks/{webhook_id:str}/deliveries", opt=MANAGE, tags=TAGS, summary="Deliveries and their attempts")
async def list_deliveries(
    webhook_id: str,
    ctx: RequestContext,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> WebhookDeliveryPage:
    """Newest first; each delivery lists every attempt (status code or error, duration)."""
    target = path_id(webhook_id, "webhook")
    return await ctx.run(
        webhooks.list_deliveries,
        principal=ctx.principal,
        webhook_id=target,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


ROUTES = [create_webhook, list_webhooks, get_webhook, update_webhook, rotate_secret, delete_webhook, list_deliveries]
