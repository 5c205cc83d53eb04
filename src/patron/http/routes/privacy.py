"""Right of access and erasure routes (SPEC §13.3): thin wrappers over patron.privacy.service."""

from __future__ import annotations

from litestar import Response

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import path_id
from patron.http.routing import get, post
from patron.identity.permissions import Permission
from patron.privacy import service as privacy
from patron.privacy.schemas import AccessExport, ErasureCreate, ErasureRead

TAGS = ["privacy"]
ONE = "/customers/{customer_id:str}"


@get(ONE + "/export", opt=requires(Permission.PRIVACY_ACCESS), tags=TAGS, summary="Everything about a customer")
async def export_customer(customer_id: str, ctx: RequestContext) -> AccessExport:
    """The right of access: every stored record that refers to the customer (also merged into it) and
    its audit trail, as one JSON document; soft-deleted and erased customers too."""
    return await ctx.run(privacy.export_customer, principal=ctx.principal, customer_id=path_id(customer_id, "customer"))


@post(
    ONE + "/erase",
    opt=requires(Permission.PRIVACY_ERASE),
    tags=TAGS,
    status_code=200,
    summary="Erase a customer's personal data",
)
async def erase_customer(customer_id: str, data: ErasureCreate, ctx: RequestContext) -> Response[ErasureRead]:
    """Anonymises the customer and every customer merged into it, in one transaction, for good:
    names, contacts, birthday, VAT id, custom fields, tags, addresses, newsletter subscriptions
    (with their consent IP and user agent), inquiries' contact data and text, memo and interaction
    text, and the personal values in stored events, merge journals and idempotent answers. Orders
    and the points ledger stay. The customer stays soft-deleted with `erased_at`; a restore answers
    409. Erasing again answers 409 `customer.erased`; a blank `reason` 422."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[ErasureRead]:
        erased = privacy.erase_customer(uow, principal=ctx.principal, customer_id=target, data=data)
        return Response(erased, status_code=200)

    return await ctx.run_idempotent(data, produce)


ROUTES = [export_customer, erase_customer]
