"""The demo organization holds what a first look needs, with every invariant and event, the same every run."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from typer.testing import CliRunner

from patron.app import create_app
from patron.cli.main import DEMO_KEY_FILE, app
from patron.config import Settings
from patron.db.base import table
from patron.db.engine import create_engine
from patron.db.models import (
    Address,
    Company,
    CompanyMember,
    Customer,
    CustomerGroup,
    Deal,
    Inquiry,
    Interaction,
    LoyaltyEntry,
    Memo,
    NewsletterConsent,
    NewsletterSubscriber,
    Order,
    Organization,
    OutboxEvent,
    PipelineStage,
    StaffUser,
)
from patron.db.uow import Database
from tests.conftest import _drop_postgres_database, _postgres_database
from tests.factories import ledger_problems

customer, order, subscriber, consent = (
    table(Customer),
    table(Order),
    table(NewsletterSubscriber),
    table(NewsletterConsent),
)
inquiry, deal, stage, outbox, entry = (
    table(Inquiry),
    table(Deal),
    table(PipelineStage),
    table(OutboxEvent),
    table(LoyaltyEntry),
)


@dataclasses.dataclass
class Demo:
    database: Database
    url: str
    org_id: uuid.UUID
    owner_key: str

    def rows(self, statement: Any) -> list[Any]:
        with self.database.engine.connect() as conn:
            return list(conn.execute(statement).all())

    def organization(self) -> Any:
        organizations = table(Organization)
        [row] = self.rows(sa.select(organizations).where(organizations.c.id == self.org_id))
        return row

    def of_org(self, source: sa.Table, *columns: Any) -> list[Any]:
        return self.rows(sa.select(*(columns or (source,))).where(source.c.org_id == self.org_id))

    def count_by(self, source: sa.Table, column: sa.Column[Any]) -> Counter[Any]:
        return Counter(value for (value,) in self.of_org(source, column))


def _fresh_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'demo.db'}"
    return _postgres_database(f"patron_demo_{os.getpid()}_{uuid.uuid4().hex[:6]}")


@contextmanager
def _build(backend: str, tmp_path: Path) -> Iterator[Demo]:
    """`patron demo` on a fresh database, as `make run` does on first start."""
    url = _fresh_url(backend, tmp_path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PATRON_DATABASE_URL", url)
        env.chdir(tmp_path)  # where the CLI saves the owner's key
        result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    database = Database(create_engine(url, pool_size=4))
    try:
        organizations = table(Organization)
        with database.engine.connect() as conn:
            org_id = conn.execute(sa.select(organizations.c.id).where(organizations.c.slug == "demo")).scalar_one()
        yield Demo(database, url, org_id, (tmp_path / DEMO_KEY_FILE).read_text().strip())
    finally:
        database.dispose()
        if backend == "postgresql":
            _drop_postgres_database(sa.engine.make_url(url).database or "")


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with _build(backend, tmp_path_factory.mktemp("demo")) as built:
        yield built


def test_the_organization_is_a_vietnamese_shop_with_loyalty_and_double_opt_in(demo: Demo) -> None:
    row = demo.organization()
    settings = row.settings
    assert (row.slug, settings["region"], settings["timezone"]) == ("demo", "VN", "Asia/Ho_Chi_Minh")
    # Not given by the demo: they follow from the region.
    assert (settings["currency"], settings["locale"]) == ("VND", "vi")
    assert settings["loyalty"]["enabled"]
    assert settings["double_opt_in"]
    roles = demo.count_by(table(StaffUser), table(StaffUser).c.role)
    assert all(roles[role] >= 2 for role in ("owner", "cashier", "marketing", "sales")), roles


def test_customers_span_statuses_tiers_guests_groups_and_companies(demo: Demo) -> None:
    rows = demo.of_org(customer)
    live = [r for r in rows if r.deleted_at is None]
    registered = [r for r in live if not r.is_guest]
    assert len(registered) >= 200
    assert sum(r.is_guest for r in live) >= 20
    statuses = Counter(r.status for r in registered)
    assert all(statuses[s] >= 15 for s in ("lead", "prospect", "customer", "churned")), statuses
    tiers = Counter(r.tier for r in registered)
    assert all(tiers[t] >= 10 for t in ("free", "basic", "pro", "enterprise")), tiers
    assert len({tag for r in registered for tag in r.tags}) >= 8
    assert all(r.churned_at is not None for r in live if r.status == "churned")
    assert sum(r.last_name in ("Nguyễn", "Trần", "Lê") for r in registered) >= 50
    assert sum(r.locale != "vi" for r in registered) >= 30  # the international customers
    assert sum(r.deleted_at is not None for r in rows) >= 1
    assert sum(r.credit > 0 for r in registered) >= 5

    merchant_groups = {g.id for g in demo.of_org(table(CustomerGroup)) if g.is_merchant}
    in_groups = [r for r in registered if r.group_id is not None]
    assert len(in_groups) >= 30
    assert merchant_groups
    in_merchant = [r for r in in_groups if r.group_id in merchant_groups]
    assert in_merchant
    assert all(r.is_merchant for r in in_merchant)

    companies = demo.of_org(table(Company))
    members = demo.of_org(table(CompanyMember))
    assert len(companies) >= 8
    assert {m.company_id for m in members} == {c.id for c in companies}
    assert Counter(m.role for m in members).keys() >= {"admin", "buyer"}
    contacts = {r.id for r in live if r.company_id is not None}
    assert {m.customer_id for m in members} <= contacts
    assert len(demo.of_org(table(Address))) >= 150


def test_orders_cover_eighteen_months_and_every_balance_is_its_ledger(demo: Demo) -> None:
    rows = demo.of_org(order)
    statuses = Counter(r.status for r in rows)
    least = {"paid": 250, "refunded": 10, "open": 1, "cancelled": 5}
    assert all(statuses[s] >= n for s, n in least.items()), statuses
    assert {r.currency for r in rows} == {"VND"}
    paid_at = [r.placed_at for r in rows if r.status == "paid"]
    assert max(paid_at) - min(paid_at) >= timedelta(days=365)
    # The months of the last year and a half with a paid order: nearly all of them.
    assert len({(p.year, p.month) for p in paid_at}) >= 16

    assert ledger_problems(demo.database.engine, str(demo.org_id)) == []
    kinds = demo.count_by(entry, entry.c.kind)
    assert kinds["award"] >= 250
    assert kinds["reversal"] >= 10
    assert kinds["redemption"] >= 10
    assert kinds["adjustment"] >= 1
    balances = [r.points_balance for r in demo.of_org(customer)]
    assert min(balances) >= 0
    assert sum(b > 0 for b in balances) >= 60
    assert {r.loyalty_tier for r in demo.of_org(customer)} >= {"bronze", "silver", "gold"}


def test_subscribers_inquiries_deals_and_notes_are_in_every_state(demo: Demo) -> None:
    subscribers = demo.of_org(subscriber)
    statuses = Counter(r.status for r in subscribers)
    assert all(statuses[s] >= 10 for s in ("subscribed", "pending", "unsubscribed")), statuses
    assert sum(r.customer_id is not None for r in subscribers) >= 80
    evidence = demo.of_org(consent)
    signed_up = {c.subscriber_id for c in evidence if c.action == "subscribe" and c.ip_address and c.consent_text}
    assert signed_up == {s.id for s in subscribers}
    confirmed = {c.subscriber_id for c in evidence if c.action == "confirm"}
    assert {s.id for s in subscribers if s.status == "subscribed"} <= confirmed
    left = {c.subscriber_id for c in evidence if c.action == "unsubscribe"}
    assert {s.id for s in subscribers if s.status == "unsubscribed"} == left

    inquiries = demo.count_by(inquiry, inquiry.c.status)
    assert all(inquiries[s] >= 3 for s in ("new", "assigned", "replied", "converted", "lost")), inquiries
    converted = demo.rows(sa.select(inquiry.c.customer_id).where(inquiry.c.status == "converted"))
    assert all(customer_id is not None for (customer_id,) in converted)

    deals = demo.count_by(deal, deal.c.status)
    assert all(deals[s] >= 5 for s in ("open", "won", "lost")), deals
    open_stages = demo.rows(sa.select(sa.func.count(sa.distinct(deal.c.stage_id))).where(deal.c.status == "open"))
    assert open_stages[0][0] >= 3
    interactions = demo.of_org(table(Interaction))
    assert len(interactions) >= 100
    assert {i.kind for i in interactions} == {"call", "email", "meeting", "note"}
    assert sum(i.company_id is not None for i in interactions) >= 9
    assert len(demo.of_org(table(Memo))) >= 40


@pytest.mark.parametrize(
    ("source", "event_type", "where"),
    [
        (customer, "customer.created", None),
        (order, "order.created", None),
        (order, "order.paid", order.c.status.in_(["paid", "refunded"])),
        (order, "order.refunded", order.c.status == "refunded"),
        (subscriber, "subscriber.subscribed", None),
        (inquiry, "inquiry.created", None),
        (deal, "deal.created", None),
        (table(Company), "company.created", None),
    ],
)
def test_every_record_has_its_event_in_the_outbox(demo: Demo, source: sa.Table, event_type: str, where: Any) -> None:
    statement = sa.select(source.c.id).where(source.c.org_id == demo.org_id)
    ids = {i for (i,) in demo.rows(statement if where is None else statement.where(where))}
    events = demo.rows(
        sa.select(outbox.c.subject_id).where(outbox.c.org_id == demo.org_id, outbox.c.type == event_type)
    )
    assert ids
    assert Counter(s for (s,) in events) == Counter(ids)


def test_every_award_and_redemption_has_its_event(demo: Demo) -> None:
    kinds = demo.count_by(entry, entry.c.kind)
    events = demo.count_by(outbox, outbox.c.type)
    assert events["points.awarded"] == kinds["award"]
    assert events["points.reversed"] == kinds["reversal"]
    assert events["points.redeemed"] == kinds["redemption"]


def test_a_second_run_on_a_fresh_database_makes_the_same_people(
    demo: Demo, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    def people(run: Demo) -> list[tuple[Any, ...]]:
        columns = (customer.c.customer_number, customer.c.email, customer.c.first_name, customer.c.last_name)
        rows = run.of_org(customer, *columns, customer.c.status, customer.c.tier, customer.c.points_balance)
        return sorted(tuple(r) for r in rows)

    with _build(backend, tmp_path_factory.mktemp("demo-again")) as second:
        assert len(people(demo)) >= 220
        assert people(second) == people(demo)
        assert second.count_by(order, order.c.status) == demo.count_by(order, order.c.status)


def test_the_api_serves_the_demo_with_its_owner_key(demo: Demo, settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, database_url=demo.url), demo.database)
    headers = {"Authorization": f"Bearer {demo.owner_key}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/api/v1/customers", params={"limit": 500}, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        live = [r for r in demo.of_org(customer) if r.deleted_at is None]
        assert body["total"] == len(live)
        assert len(body["items"]) == len(live)
        found = client.get("/api/v1/customers", params={"q": "nguyen"}, headers=headers).json()
        assert found["total"] >= 20
        assert all("Nguyễn" in str(c) for c in found["items"][:5])
        stats = client.get("/api/v1/newsletter/stats", headers=headers).json()
        assert stats["total"] == len(demo.of_org(subscriber))
