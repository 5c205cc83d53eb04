"""`patron duplicates --org SLUG`: the likely duplicate pairs, as GET /duplicates lists them, in a table."""

from __future__ import annotations

from rich.table import Table

from patron.cli.output import console
from patron.customers import service as customers
from patron.db.uow import Database
from patron.duplicates import service as duplicates
from patron.identity import service as identity
from patron.kernel.tenancy import SYSTEM, Principal, Role


def _who(first: str | None, last: str | None, number: str, email: str) -> str:
    name = " ".join(part for part in (first, last) if part) or "-"
    return f"{number} {name}\n{email}"


def show_duplicates(database: Database, *, slug: str, min_score: float, limit: int) -> int:
    """Print the first `limit` pairs scoring at least `min_score`; answers how many were printed."""
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        org_id, _settings = identity.find_organization(uow, slug=slug)
        # The CLI acts with the machine's authority, as the organization's owner would.
        principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
        page = duplicates.list_duplicates(uow, principal=principal, min_score=min_score, limit=limit, cursor=None)
        table = Table("score", "reasons", "customer", "customer", title=f"Likely duplicates in {slug}")
        for pair in page.items:
            shown = []
            for customer_id in pair.customer_ids:
                c = customers.get_customer(uow, principal=principal, customer_id=customer_id)
                shown.append(_who(c.first_name, c.last_name, c.customer_number, c.email))
            table.add_row(f"{pair.score:.2f}", ", ".join(pair.reasons), *shown)
    console.print(table)
    more = " (more with a lower score or a higher --limit)" if page.next_cursor else ""
    console.print(f"{len(page.items)} pairs with a score of at least {min_score}{more}")
    return len(page.items)
