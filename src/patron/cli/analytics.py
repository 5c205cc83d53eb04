"""`patron analytics rfm --org SLUG`: the R/F grid with each cell's count and segment, and the segment totals."""

from __future__ import annotations

from rich.table import Table

from patron.analytics import rules
from patron.analytics import service as analytics
from patron.cli.output import console
from patron.db.uow import Database
from patron.identity import service as identity
from patron.kernel.tenancy import SYSTEM, Principal, Role


def show_rfm(database: Database, *, slug: str, as_of: str | None = None) -> int:
    """Print the grid and the totals of GET /analytics/rfm; answers how many customers were scored."""
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        org_id, _ = identity.find_organization(uow, slug=slug)
        # The CLI acts with the machine's authority, as the organization's owner would.
        principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
        grid = analytics.rfm_grid(uow, principal=principal, as_of=as_of)
        totals = analytics.rfm(uow, principal=principal, as_of=as_of)
    table = Table(
        "R \\ F", *(f"F={f}" for f in range(1, 6)), title=f"RFM grid of {slug} (5 = most recent / most orders)"
    )
    for r in range(5, 0, -1):
        table.add_row(f"R={r}", *(f"{grid.get((r, f), 0)} {rules.GRID[(r, f)]}" for f in range(1, 6)))
    console.print(table)
    summary = Table("segment", "customers", "share", title=f"Segments as of {totals.as_of.isoformat()}")
    for segment in totals.segments:
        summary.add_row(segment.name, str(segment.count), f"{segment.share:.1%}")
    console.print(summary)
    console.print(f"{totals.customers_scored} customers with orders scored")
    return totals.customers_scored
