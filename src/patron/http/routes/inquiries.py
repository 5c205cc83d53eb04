"""Sales inquiry routes: the public form and the staff lifecycle."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.http.clients import client_address
from patron.http.deps import RequestContext
from patron.http.guards import PUBLIC, requires
from patron.http.problems import PROBLEM_JSON, ProblemDetails
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import get, post
from patron.identity.permissions import Permission
from patron.inquiries import service as inquiries
from patron.inquiries.schemas import (
    InquiryAssign,
    InquiryConvert,
    InquiryCreate,
    InquiryDetail,
    InquiryLose,
    InquiryPage,
    InquiryReceipt,
    InquiryReplyCreate,
    InquiryStatus,
)

MANAGE = requires(Permission.INQUIRIES_MANAGE)
TAGS = ["inquiries"]


async def _once(
    ctx: RequestContext, body: Any, fn: Callable[..., InquiryDetail], /, **kwargs: Any
) -> Response[InquiryDetail]:
    """A lifecycle call that honours Idempotency-Key (the same key and body replay the first answer)."""

    def produce(uow: UnitOfWork) -> Response[InquiryDetail]:
        return Response(fn(uow, **kwargs), status_code=200)

    return await ctx.run_idempotent(body, produce)


@post(
    "/public/{org_slug:str}/inquiries",
    opt=PUBLIC,
    tags=TAGS,
    security=[{}],
    summary="Send a sales inquiry",
    responses={
        429: ResponseSpec(
            data_container=ProblemDetails,
            description="Over PATRON_INQUIRY_RATE_LIMIT (`request.rate_limited`, with Retry-After)",
            media_type=PROBLEM_JSON,
        )
    },
)
async def submit_inquiry(
    org_slug: str, data: InquiryCreate, request: Request[Any, Any, Any], ctx: RequestContext
) -> Response[InquiryReceipt]:
    """201 `{id, status, created_at}`. At most PATRON_INQUIRY_RATE_LIMIT per client address and per
    email (429 `request.rate_limited` with Retry-After beyond it)."""
    receipt = await ctx.run(
        inquiries.submit_inquiry,
        org_slug=org_slug,
        data=data,
        client_ip=client_address(request),
        user_agent=request.headers.get("user-agent"),
        rate_limit=request.app.state.inquiry_rate_limit,
    )
    return Response(receipt, status_code=201)


@get("/inquiries", opt=MANAGE, tags=TAGS, summary="List inquiries")
async def list_inquiries(
    ctx: RequestContext,
    status: InquiryStatus | None = None,
    assigned_to: uuid.UUID | None = None,
    email: Annotated[str | None, Parameter(max_length=320)] = None,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> InquiryPage:
    return await ctx.run(
        inquiries.list_inquiries,
        principal=ctx.principal,
        status=status,
        assigned_to=assigned_to,
        email=email,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


@get("/inquiries/{inquiry_id:str}", opt=MANAGE, tags=TAGS, summary="An inquiry with its replies")
async def get_inquiry(inquiry_id: str, ctx: RequestContext) -> InquiryDetail:
    target = path_id(inquiry_id, "inquiry")
    return await ctx.run(inquiries.get_inquiry, principal=ctx.principal, inquiry_id=target)


@post("/inquiries/{inquiry_id:str}/assign", opt=MANAGE, tags=TAGS, status_code=200, summary="Assign an inquiry")
async def assign_inquiry(inquiry_id: str, data: InquiryAssign, ctx: RequestContext) -> Response[InquiryDetail]:
    """new → assigned (reassigning keeps the status); 409 `inquiry.invalid_transition` once closed."""
    target = path_id(inquiry_id, "inquiry")
    return await _once(
        ctx, data, inquiries.assign_inquiry, principal=ctx.principal, inquiry_id=target, staff_id=data.staff_id
    )


@post("/inquiries/{inquiry_id:str}/replies", opt=MANAGE, tags=TAGS, status_code=200, summary="Record a reply")
async def reply_to_inquiry(inquiry_id: str, data: InquiryReplyCreate, ctx: RequestContext) -> Response[InquiryDetail]:
    """assigned → replied; 409 `inquiry.invalid_transition` while new or once closed. Send an
    Idempotency-Key to make a retried reply count once."""
    target = path_id(inquiry_id, "inquiry")
    return await _once(
        ctx, data, inquiries.reply_to_inquiry, principal=ctx.principal, inquiry_id=target, message=data.message
    )


@post("/inquiries/{inquiry_id:str}/convert", opt=MANAGE, tags=TAGS, status_code=200, summary="Convert to a customer")
async def convert_inquiry(
    inquiry_id: str,
    data: InquiryConvert,
    ctx: RequestContext,
) -> Response[InquiryDetail]:
    """assigned | replied → converted: links the customer with the inquiry's email or creates one as a
    lead (`customer_status: prospect` for a prospect); the answer carries `customer_id`."""
    target = path_id(inquiry_id, "inquiry")
    return await _once(
        ctx,
        data,
        inquiries.convert_inquiry,
        principal=ctx.principal,
        settings=ctx.org_settings,
        inquiry_id=target,
        data=data,
    )


@post("/inquiries/{inquiry_id:str}/lose", opt=MANAGE, tags=TAGS, status_code=200, summary="Close as lost")
async def lose_inquiry(inquiry_id: str, data: InquiryLose, ctx: RequestContext) -> Response[InquiryDetail]:
    """new | assigned | replied → lost, with the reason."""
    target = path_id(inquiry_id, "inquiry")
    return await _once(
        ctx, data, inquiries.lose_inquiry, principal=ctx.principal, inquiry_id=target, reason=data.reason
    )


ROUTES = [
    submit_inquiry,
    list_inquiries,
    get_inquiry,
    assign_inquiry,
    reply_to_inquiry,
    convert_inquiry,
    lose_inquiry,
]
