"""Newsletter routes: public sign-up and links, staff lists and statistics."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import PUBLIC, requires
from patron.http.routes._shared import path_id
from patron.http.routing import get, post, route
from patron.identity.permissions import Permission
from patron.newsletter import service as newsletter
from patron.newsletter.rules import LinkSigner
from patron.newsletter.schemas import (
    ClientInfo,
    NewsletterStats,
    SubscriberDetail,
    SubscriberPage,
    SubscriberRead,
    SubscriberStatus,
    SubscriptionCreate,
    SubscriptionStatus,
)

MANAGE = requires(Permission.NEWSLETTER_MANAGE)
TAGS = ["newsletter"]
T = TypeVar("T")


def links(request: Request[Any, Any, Any]) -> LinkSigner:
    """Signs links with the server secret, pointing at this service's public address."""
    return LinkSigner.for_service(request.app.state.secret_key, request.app.state.settings.base_url)


def client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    return ClientInfo(
        ip_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


@post(
    "/public/{org_slug:str}/newsletter/subscriptions",
    opt=PUBLIC,
    tags=TAGS,
    security=[{}],
    summary="Subscribe",
    responses={200: ResponseSpec(data_container=SubscriptionStatus, description="The email was known: topics merged")},
)
async def subscribe(
    org_slug: str, data: SubscriptionCreate, request: Request[Any, Any, Any], ctx: RequestContext
) -> Response[SubscriptionStatus]:
    """201 for a new subscriber, 200 when the email was known (topics merged). The answer says only
    `pending` (confirmation mail sent, double opt-in) or `subscribed`."""
    status, created = await ctx.run(newsletter.subscribe, org_slug=org_slug, data=data, client=client_info(request))
    return Response(status, status_code=201 if created else 200)


@get("/public/newsletter/confirm/{token:str}", opt=PUBLIC, tags=TAGS, security=[{}], summary="Confirm a subscription")
async def confirm(token: str, request: Request[Any, Any, Any], ctx: RequestContext) -> SubscriptionStatus:
    """The link of the confirmation mail (double opt-in). A forged or revoked link answers 404."""
    return await ctx.run_writing(newsletter.confirm, links=links(request), token=token, client=client_info(request))


@route(
    "/public/newsletter/unsubscribe/{token:str}",
    http_method=["GET", "POST"],
    status_code=200,
    opt=PUBLIC,
    tags=TAGS,
    security=[{}],
    summary="Unsubscribe (link or RFC 8058 one-click POST)",
)
async def unsubscribe(token: str, request: Request[Any, Any, Any], ctx: RequestContext) -> SubscriptionStatus:
    """No sign-in: the token is the authority. A forged or revoked token answers 404."""
    return await ctx.run_writing(newsletter.unsubscribe, links=links(request), token=token, client=client_info(request))


@get("/newsletter/subscribers", opt=MANAGE, tags=TAGS, summary="List subscribers")
async def list_subscribers(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    status: SubscriberStatus | None = None,
    topic: Annotated[str | None, Parameter(max_length=50)] = None,
    email: Annotated[str | None, Parameter(max_length=320, description="part of the email")] = None,
    limit: Annotated[int, Parameter(ge=1, le=500)] = 25,
    offset: Annotated[int, Parameter(ge=0)] = 0,
) -> SubscriberPage:
    """Each subscriber carries its `unsubscribe_url` (for mail headers and footers)."""
    return await ctx.run(
        newsletter.list_subscribers,
        principal=ctx.principal,
        links=links(request),
        status=status,
        topic=topic,
        email=email,
        limit=limit,
        offset=offset,
    )


@get("/newsletter/subscribers/{subscriber_id:str}", opt=MANAGE, tags=TAGS, summary="A subscriber and its consents")
async def get_subscriber(subscriber_id: str, request: Request[Any, Any, Any], ctx: RequestContext) -> SubscriberDetail:
    target = path_id(subscriber_id, "subscriber")
    return await ctx.run(newsletter.get_subscriber, principal=ctx.principal, links=links(request), subscriber_id=target)


@post(
    "/newsletter/subscribers/{subscriber_id:str}/revoke-links",
    opt=MANAGE,
    tags=TAGS,
    status_code=200,
    summary="Invalidate a subscriber's old links",
)
async def revoke_links(
    subscriber_id: str,
    request: Request[Any, Any, Any],
    ctx: RequestContext,
) -> Response[SubscriberRead]:
    """Links given out before stop working (404); the answer carries the new `unsubscribe_url`."""
    target = path_id(subscriber_id, "subscriber")
    signer = links(request)

    def produce(uow: UnitOfWork) -> Response[SubscriberRead]:
        revoked = newsletter.revoke_links(uow, principal=ctx.principal, links=signer, subscriber_id=target)
        return Response(revoked, status_code=200)

    return await ctx.run_idempotent(None, produce)


@get("/newsletter/stats", opt=MANAGE, tags=TAGS, summary="Subscriber statistics")
async def stats(ctx: RequestContext) -> NewsletterStats:
    return await ctx.run(newsletter.get_stats, principal=ctx.principal, settings=ctx.org_settings)


ROUTES = [subscribe, confirm, unsubscribe, list_subscribers, get_subscriber, revoke_links, stats]
