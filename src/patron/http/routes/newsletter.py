"""Newsletter routes: public sign-up and links, staff lists and statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.http import pages
from patron.http.clients import client_address
from patron.http.deps import RequestContext
from patron.http.guards import PUBLIC, requires
from patron.http.problems import PROBLEM_JSON, ProblemDetails
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import get, post, route
from patron.identity.permissions import Permission
from patron.kernel.errors import NotFound
from patron.newsletter import service as newsletter
from patron.newsletter.records import LinkOutcome
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
        ip_address=client_address(request),
        user_agent=request.headers.get("user-agent"),
    )


@post(
    "/public/{org_slug:str}/newsletter/subscriptions",
    opt=PUBLIC,
    tags=TAGS,
    security=[{}],
    summary="Subscribe",
    responses={
        200: ResponseSpec(data_container=SubscriptionStatus, description="The email was known: topics merged"),
        429: ResponseSpec(
            data_container=ProblemDetails,
            description="Over PATRON_NEWSLETTER_RATE_LIMIT (`request.rate_limited`, with Retry-After)",
            media_type=PROBLEM_JSON,
        ),
    },
)
async def subscribe(
    org_slug: str, data: SubscriptionCreate, request: Request[Any, Any, Any], ctx: RequestContext
) -> Response[SubscriptionStatus]:
    """201 for a new subscriber, 200 when the email was known (topics merged). The answer says only
    `pending` (confirmation mail sent, double opt-in) or `subscribed`. At most
    PATRON_NEWSLETTER_RATE_LIMIT per client address and per email (429 with Retry-After beyond it)."""
    status, created = await ctx.run(
        newsletter.subscribe,
        org_slug=org_slug,
        data=data,
        client=client_info(request),
        rate_limit=request.app.state.newsletter_rate_limit,
    )
    return Response(status, status_code=201 if created else 200)


async def _answer_link(
    request: Request[Any, Any, Any], ctx: RequestContext, follow: Callable[..., LinkOutcome], token: str
) -> Response[SubscriptionStatus]:
    """Follow a public link; a page in the subscriber's language for a browser, else JSON."""
    html = pages.wants_html(request)
    try:
        outcome = await ctx.run_writing(follow, links=links(request), token=token, client=client_info(request))
    except NotFound:
        if not html:
            raise
        # No subscriber to take the language from: the browser's.
        return pages.link_page("link_not_found", request.headers.get("accept-language", ""), status_code=404)
    if html:
        return pages.link_page(outcome.status, outcome.locale or "")
    return Response(SubscriptionStatus(status=outcome.status), headers={"Vary": "Accept"})


@get("/public/newsletter/confirm/{token:str}", opt=PUBLIC, tags=TAGS, security=[{}], summary="Confirm a subscription")
async def confirm(token: str, request: Request[Any, Any, Any], ctx: RequestContext) -> Response[SubscriptionStatus]:
    """The link of the confirmation mail (double opt-in). A forged or revoked link answers 404.
    A client that prefers `text/html` (a browser) gets a small page in the subscriber's language
    (404 as a page too)."""
    return await _answer_link(request, ctx, newsletter.confirm, token)


@route(
    "/public/newsletter/unsubscribe/{token:str}",
    http_method=["GET", "POST"],
    status_code=200,
    opt=PUBLIC,
    tags=TAGS,
    security=[{}],
    summary="Unsubscribe (link or RFC 8058 one-click POST)",
)
async def unsubscribe(token: str, request: Request[Any, Any, Any], ctx: RequestContext) -> Response[SubscriptionStatus]:
    """No sign-in: the token is the authority. A forged or revoked token answers 404. A client
    that prefers `text/html` (a browser) gets a small page in the subscriber's language."""
    return await _answer_link(request, ctx, newsletter.unsubscribe, token)


@get("/newsletter/subscribers", opt=MANAGE, tags=TAGS, summary="List subscribers")
async def list_subscribers(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    status: SubscriberStatus | None = None,
    topic: Annotated[str | None, Parameter(max_length=50)] = None,
    email: Annotated[str | None, Parameter(max_length=320, description="part of the email")] = None,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
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
        cursor=cursor,
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
