"""A demo organization that shows the product: a Vietnamese shop with 18 months of history.

Everything is created through the services, as the HTTP routes would, so every invariant
holds and every event is in the outbox. A seeded random source makes the data the same on
every run; only the dates move with the clock (orders are placed relative to now).
"""

from __future__ import annotations

import random

from patron.cli import demo_activity as activity
from patron.cli import demo_people as people
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import LoyaltySettings, OrganizationCreate, OrganizationCreated, OrganizationUpdate
from patron.kernel import clock
from patron.kernel.tenancy import Principal, Role

DEMO_SLUG = "demo"
SEED = 20261122
# 1 point per 10 000 VND; silver from 3 million VND spent, gold from 7 million (a few regulars).
LOYALTY = LoyaltySettings(
    enabled=True, earn_amount=10_000, earn_points=1, tiers={"bronze": 0, "silver": 300, "gold": 700}
)


def create_demo(uow: UnitOfWork) -> OrganizationCreated:
    """The demo organization, its owner key, staff, customers and their history."""
    created = identity.create_organization(
        uow,
        data=OrganizationCreate(
            name="Phở Demo Co.",
            slug=DEMO_SLUG,
            owner_email="owner@demo.patron.dev",
            owner_name="Demo Owner",
            # Currency (VND) and locale (vi) follow from the region.
            region="VN",
            timezone="Asia/Ho_Chi_Minh",
        ),
    )
    org_id = created.organization.id
    owner = Principal(org_id=org_id, staff_id=created.owner.id, role=Role.OWNER, api_key_id=None)
    identity.update_organization(
        uow, principal=owner, data=OrganizationUpdate(loyalty=LOYALTY, double_opt_in=True, guest_retention_days=730)
    )
    cast = people.Cast(
        uow=uow,
        rng=random.Random(SEED),
        now=clock.now(),
        org_id=org_id,
        slug=DEMO_SLUG,
        owner=owner,
        settings=identity.load_settings(uow.conn, org_id),
    )
    people.add_staff(cast)
    people.add_groups_and_companies(cast)
    people.add_customers(cast)
    people.add_addresses(cast)
    people.add_members(cast)
    activity.add_orders(cast)
    activity.spend_points(cast)
    activity.add_subscribers(cast)
    activity.add_inquiries(cast)
    activity.add_deals(cast)
    activity.add_notes(cast)
    people.retire_some(cast)
    return created
