"""`patron segment preview --org SLUG "QUERY"`: how many customers a segment query selects, and the first of them."""

from __future__ import annotations

from rich.table import Table

from patron.cli.output import console
from patron.db.uow import Database
from patron.identity import service as identity
from patron.kernel.tenancy import SYSTEM, Principal, Role
from patron.segments import service as segments


def show_preview(database: Database, *, slug: str, query: str) -> int:
    """Print the count and the first customers, as POST /segments/preview answers; answers the count."""
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        org_id, settings = identity.find_organization(uow, slug=slug)
        # The CLI acts with the machine's authority, as the organization's owner would.
        principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
        preview = segments.preview(uow, principal=principal, settings=settings, query=query)
    table = Table(
        "number", "name", "email", "tier", "status", "tags", title=f"First customers of the segment in {slug}"
    )
    for c in preview.items:
        name = " ".join(part for part in (c.first_name, c.last_name) if part) or "-"
        table.add_row(c.customer_number, name, c.email, c.tier, c.status, ", ".join(c.tags))
    console.print(table)
    console.print(f"{preview.count} customers match")
    return preview.count
