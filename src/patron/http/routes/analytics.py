"""Analytics routes (SPEC §13.6): thin wrappers over patron.analytics.service."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from patron.analytics import service as analytics
from patron.analytics.schemas import ChurnRiskRead, ClvRead, GrowthRead, RetentionRead, RfmCustomerPage, RfmRead
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit
from patron.http.routing import get
from patron.identity.permissions import Permission

READ = requires(Permission.ANALYTICS_READ)
TAGS = ["analytics"]

AsOf = Annotated[
    str | None,
    Parameter(max_length=40, description="an ISO datetime or date (its end of day, UTC); default now"),
]
Period = Annotated[str, Parameter(max_length=10, description="`month` or `week`")]
Periods = Annotated[int, Parameter(ge=1, le=36, description="how many periods, 1-36")]
Segment = Annotated[str | None, Parameter(max_length=40, description="one of the eleven RFM segment names")]


@get("/analytics/rfm", opt=READ, tags=TAGS, summary="Customers by RFM segment")
async def rfm(ctx: RequestContext, as_of: AsOf = None) -> RfmRead:
    """R, F and M scores 1-5 by quintile among the live customers with orders, and how many fall in
    each of the eleven segments of the README's R/F grid (all eleven always listed)."""
    return await ctx.run(analytics.rfm, principal=ctx.principal, as_of=as_of)


@get("/analytics/rfm/customers", opt=READ, tags=TAGS, summary="Scored customers, by RFM segment")
async def rfm_customers(
    ctx: RequestContext, segment: Segment = None, limit: Limit = 50, cursor: Cursor = None, as_of: AsOf = None
) -> RfmCustomerPage:
    """The scored customers in id order; 422 naming `segment` for a name not of the grid."""
    return await ctx.run(
        analytics.rfm_customers, principal=ctx.principal, segment=segment, limit=limit, cursor=cursor, as_of=as_of
    )


@get("/analytics/clv", opt=READ, tags=TAGS, summary="Customer lifetime value")
async def clv(ctx: RequestContext, as_of: AsOf = None) -> ClvRead:
    """Historical value plus the expected next 12 months (the formula is in the README), minor units."""
    return await ctx.run(analytics.clv, principal=ctx.principal, settings=ctx.org_settings, as_of=as_of)


@get("/analytics/retention", opt=READ, tags=TAGS, summary="Retention by cohort of first order")
async def retention(
    ctx: RequestContext, period: Period = "month", cohorts: Periods = 12, as_of: AsOf = None
) -> RetentionRead:
    """Customers by the period of their first paid order (in the organization's time zone), and how
    many of them ordered in each later period."""
    return await ctx.run(
        analytics.retention,
        principal=ctx.principal,
        settings=ctx.org_settings,
        period=period,
        cohorts=cohorts,
        as_of=as_of,
    )


@get("/analytics/churn-risk", opt=READ, tags=TAGS, summary="Customers at risk of churning")
async def churn_risk(ctx: RequestContext, limit: Limit = 50, as_of: AsOf = None) -> ChurnRiskRead:
    """Time since the last order against the customer's own usual interval, riskiest first."""
    return await ctx.run(analytics.churn_risk, principal=ctx.principal, limit=limit, as_of=as_of)


@get("/analytics/growth", opt=READ, tags=TAGS, summary="Growth per period")
async def growth(
    ctx: RequestContext, period: Period = "month", periods: Periods = 12, as_of: AsOf = None
) -> GrowthRead:
    """New customers, subscribes and unsubscribes, paid orders and revenue per period."""
    return await ctx.run(
        analytics.growth,
        principal=ctx.principal,
        settings=ctx.org_settings,
        period=period,
        periods=periods,
        as_of=as_of,
    )


ROUTES = [rfm, rfm_customers, clv, retention, churn_risk, growth]
