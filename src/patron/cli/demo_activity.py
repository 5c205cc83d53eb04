"""What the demo's people did: orders and points, sign-ups, inquiries, deals, calls and notes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from patron.cli import demo_data as data
from patron.cli.demo_people import Cast, fold
from patron.crm import service as crm
from patron.crm.schemas import InteractionCreate, MemoCreate
from patron.customers import service as customers
from patron.deals import service as deals
from patron.deals.schemas import DealCreate, DealMove, PipelineCreate, StageSpec
from patron.inquiries import service as inquiries
from patron.inquiries.schemas import InquiryConvert, InquiryCreate
from patron.loyalty import service as loyalty
from patron.loyalty.schemas import AdjustCreate, RedeemCreate
from patron.newsletter import service as newsletter
from patron.newsletter.rules import LinkSigner
from patron.newsletter.schemas import ClientInfo, SubscriptionCreate
from patron.orders import service as orders
from patron.orders.schemas import OrderCreate

HISTORY_DAYS = 540  # 18 months of orders
# The public form's limit as the server applies it by default (PATRON_INQUIRY_RATE_LIMIT=20/hour).
INQUIRY_RATE_LIMIT = (20, 3600)
# Only for the links the demo "clicks" itself: a token is checked against the subscriber's stored
# token version, never stored, so the server's own links (its secret) work for these subscribers.
DEMO_LINKS = LinkSigner.for_service(b"patron-demo-links", "http://127.0.0.1:8000")


@dataclass(frozen=True)
class _Order:
    placed_at: datetime
    customer_id: uuid.UUID | None
    total: int
    outcome: str  # paid, refunded, open, cancelled


def _outcome(cast: Cast, placed_at: datetime) -> str:
    roll = cast.rng.random()
    if cast.now - placed_at < timedelta(days=10) and roll < 0.4:
        return "open"  # this week's baskets, not paid yet
    if roll < 0.07:
        return "refunded"
    if roll < 0.12:
        return "cancelled"
    return "paid"


def _plan_orders(cast: Cast) -> list[_Order]:
    rng, plans = cast.rng, []
    for customer in cast.customers:
        if customer.deleted_at is not None:
            continue
        if customer.is_guest:
            count, oldest, newest = rng.randint(1, 2), HISTORY_DAYS, 0
        elif customer.status == "customer":
            count, oldest, newest = rng.randint(2, 6), HISTORY_DAYS, 0
        elif customer.status == "churned":  # nothing in the last seven months
            count, oldest, newest = rng.randint(1, 3), HISTORY_DAYS, 210
        else:
            continue
        for _ in range(count):
            placed_at = cast.now - timedelta(days=rng.uniform(newest, oldest))
            total = rng.randrange(45, 2_500) * 1_000  # 45 000 - 2 500 000 VND
            plans.append(_Order(placed_at, customer.id, total, _outcome(cast, placed_at)))
    for _ in range(15):  # walk-in sales nobody was attached to
        placed_at = cast.now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        plans.append(_Order(placed_at, None, rng.randrange(30, 400) * 1_000, "paid"))
    return sorted(plans, key=lambda o: o.placed_at)


def add_orders(cast: Cast) -> dict[str, int]:
    """Orders in time order, paid, refunded, open or cancelled as the till would report them."""
    counts = {"paid": 0, "refunded": 0, "open": 0, "cancelled": 0}
    cashiers = cast.staff["cashier"]
    for n, plan in enumerate(_plan_orders(cast), start=1):
        till = cashiers[n % len(cashiers)]
        order = orders.create_order(
            cast.uow,
            principal=till,
            data=OrderCreate(
                external_ref=f"DH-{n:06d}",
                total=plan.total,
                currency=cast.settings.currency,
                customer_id=plan.customer_id,
                placed_at=plan.placed_at,
            ),
        )
        if plan.outcome in ("paid", "refunded"):
            orders.pay_order(cast.uow, principal=till, settings=cast.settings, order_id=order.id)
        if plan.outcome == "refunded":
            orders.refund_order(cast.uow, principal=cast.owner, settings=cast.settings, order_id=order.id)
        elif plan.outcome == "cancelled":
            orders.cancel_order(cast.uow, principal=till, order_id=order.id)
        counts[plan.outcome] += 1
    return counts


def spend_points(cast: Cast) -> int:
    """Some customers spend part of their points at the till; one gets a goodwill adjustment."""
    redeemed = 0
    earners = [c for c in cast.registered() if c.status == "customer"]
    for customer in earners[::3]:
        balance = customers.get_customer(cast.uow, principal=cast.owner, customer_id=customer.id).points_balance
        if balance < 50:
            continue
        points = cast.rng.randrange(20, balance // 2 + 21)
        loyalty.redeem_points(
            cast.uow,
            principal=cast.staff["cashier"][0],
            customer_id=customer.id,
            data=RedeemCreate(points=min(points, balance)),
        )
        redeemed += 1
    loyalty.adjust_points(
        cast.uow,
        principal=cast.owner,
        settings=cast.settings.loyalty,
        customer_id=earners[0].id,
        data=AdjustCreate(points=200, reason="Giao hàng trễ: tặng điểm xin lỗi"),
    )
    return redeemed


def add_subscribers(cast: Cast) -> None:
    """Sign-ups from the site, the till and events (double opt-in), then confirmations and unsubscribes."""
    rng = cast.rng
    people = [c.email for c in cast.registered() if rng.random() < 0.55]
    fans = [f"fan.{i + 1}@example.vn" for i in range(20)]
    for n, email in enumerate(people + fans):
        client = ClientInfo(ip_address=f"203.0.113.{n % 250 + 1}", user_agent=rng.choice(data.USER_AGENTS))
        sign_up = SubscriptionCreate(
            email=email,
            topics=rng.sample(data.TOPICS, rng.randint(1, 3)),
            locale=rng.choice(["vi", "vi", "vi", "en"]),
            consent_text=data.CONSENT_TEXT,
            source=rng.choice(data.SIGN_UP_SOURCES),
        )
        newsletter.subscribe(cast.uow, org_slug=cast.slug, data=sign_up, client=client, rate_limit=None)
    page = newsletter.list_subscribers(
        cast.uow,
        principal=cast.owner,
        links=DEMO_LINKS,
        status=None,
        topic=None,
        email=None,
        limit=1000,
        offset=0,
        cursor=None,
    )
    for subscriber in sorted(page.items, key=lambda s: s.email):
        roll = rng.random()
        client = ClientInfo(ip_address=f"198.51.100.{rng.randrange(1, 250)}", user_agent=rng.choice(data.USER_AGENTS))
        if roll < 0.78:
            url = newsletter.confirmation_url(
                cast.uow, links=DEMO_LINKS, org_id=cast.org_id, subscriber_id=subscriber.id
            )
            assert url is not None  # every subscriber is pending under double opt-in
            newsletter.confirm(cast.uow, links=DEMO_LINKS, token=url.rsplit("/", 1)[1], client=client)
        if 0.66 < roll < 0.9:  # some confirmed ones, and some who never confirmed, leave
            token = subscriber.unsubscribe_url.rsplit("/", 1)[1]
            newsletter.unsubscribe(cast.uow, links=DEMO_LINKS, token=token, client=client)


# How far each inquiry gets: every state of new -> assigned -> replied -> converted | lost.
INQUIRY_PATHS = [[], ["assign"], ["assign", "reply"], ["assign", "reply", "convert"], ["assign", "convert"], ["lose"],
                 ["assign", "reply", "lose"]]  # fmt: skip


def add_inquiries(cast: Cast) -> None:
    """Inquiries from the public form, some from known customers; sales take them on."""
    rng = cast.rng
    known = [c for c in cast.registered() if c.status in ("lead", "prospect")][:8]
    for n in range(35):
        if n < len(known):
            name = " ".join(p for p in (known[n].last_name, known[n].first_name) if p)
            email, company = known[n].email, None
        else:
            family, given = (
                rng.choice(data.VN_FAMILY_NAMES),
                rng.choice(data.VN_GIVEN_NAMES["female"] + data.VN_GIVEN_NAMES["male"]),
            )
            name, email = f"{family} {given}", f"{fold(given)}.{fold(family)}.{n}@lienhe.example.vn"
            company = rng.choice([None, f"Công ty TNHH {given}"])
        receipt = inquiries.submit_inquiry(
            cast.uow,
            org_slug=cast.slug,
            data=InquiryCreate(name=name, email=email, message=rng.choice(data.INQUIRY_MESSAGES), company_name=company),
            client_ip=f"192.0.2.{n + 1}",
            user_agent=rng.choice(data.USER_AGENTS),
            rate_limit=INQUIRY_RATE_LIMIT,
        )
        rep = cast.sales[n % len(cast.sales)]
        for action in INQUIRY_PATHS[n % len(INQUIRY_PATHS)]:
            if action == "assign":
                inquiries.assign_inquiry(cast.uow, principal=rep, inquiry_id=receipt.id, staff_id=rep.staff_id)
            elif action == "reply":
                message = rng.choice(data.INQUIRY_REPLIES)
                inquiries.reply_to_inquiry(cast.uow, principal=rep, inquiry_id=receipt.id, message=message)
            elif action == "convert":
                status = rng.choice(["lead", "prospect"])
                inquiries.convert_inquiry(
                    cast.uow,
                    principal=rep,
                    settings=cast.settings,
                    inquiry_id=receipt.id,
                    data=InquiryConvert(customer_status=status),  # type: ignore[arg-type]
                )
            else:
                reason = rng.choice(data.LOST_REASONS)
                inquiries.lose_inquiry(cast.uow, principal=rep, inquiry_id=receipt.id, reason=reason)


def add_deals(cast: Cast) -> None:
    """One pipeline with the company deals and some larger private ones; some won, some lost."""
    rng = cast.rng
    pipeline = deals.create_pipeline(
        cast.uow,
        principal=cast.owner,
        data=PipelineCreate(name=data.PIPELINE, stages=[StageSpec(n, k) for n, k in data.STAGES]),  # type: ignore[arg-type]
    )
    open_stages = [s for s in pipeline.stages if s.kind == "open"]
    won, lost = (next(s for s in pipeline.stages if s.kind == kind) for kind in ("won", "lost"))
    parties: list[tuple[uuid.UUID | None, uuid.UUID | None]] = []
    for company in cast.company_ids:
        contact = next(c for c in cast.customers if c.company_id == company)
        parties += [(contact.id, company)] * rng.randint(1, 3)
    buyers = [c for c in cast.registered() if c.status in ("prospect", "customer") and c.company_id is None]
    parties += [(c.id, None) for c in rng.sample(buyers, 15)]
    for n, (customer_id, company_id) in enumerate(parties):
        owner = cast.account_managers.get(company_id) if company_id else cast.sales[n % len(cast.sales)]
        assert owner is not None
        size = rng.choice([20, 40, 60, 120, 200])
        deal = deals.create_deal(
            cast.uow,
            principal=owner,
            data=DealCreate(
                title=rng.choice(data.DEAL_TITLES).format(n=size),
                value=size * rng.randrange(150, 450) * 1_000,
                currency=cast.settings.currency,
                customer_id=customer_id,
                company_id=company_id,
                expected_close_on=cast.now.date() + timedelta(days=rng.randrange(-30, 120)),
                pipeline_id=pipeline.id,
                stage_id=rng.choice(open_stages).id,
            ),
        )
        if n % 4 in (1, 2):
            target = won if n % 4 == 1 else lost
            deals.move_deal(cast.uow, principal=owner, deal_id=deal.id, data=DealMove(stage_id=target.id))


def add_notes(cast: Cast) -> None:
    """Calls, emails, meetings and notes with customers and companies; memos on some customers."""
    rng = cast.rng
    kinds = list(data.INTERACTIONS)
    contacted = [c for c in cast.registered() if c.status != "lead" or rng.random() < 0.3]
    for n, customer in enumerate(rng.sample(contacted, min(80, len(contacted)))):
        rep = cast.sales[n % len(cast.sales)]
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(kinds)
            at = cast.now - timedelta(days=rng.uniform(0, 365))
            crm.log_interaction(
                cast.uow,
                principal=rep,
                data=InteractionCreate(
                    kind=kind,  # type: ignore[arg-type]
                    summary=rng.choice(data.INTERACTIONS[kind]),
                    outcome=rng.choice(data.OUTCOMES),
                    occurred_at=at,
                ),
                customer_id=customer.id,
            )
    for company_id, manager in cast.account_managers.items():
        for _ in range(rng.randint(2, 3)):
            kind = rng.choice(["call", "meeting", "email"])
            crm.log_interaction(
                cast.uow,
                principal=manager,
                data=InteractionCreate(
                    kind=kind,  # type: ignore[arg-type]
                    summary=rng.choice(data.INTERACTIONS[kind]),
                    occurred_at=cast.now - timedelta(days=rng.uniform(0, 180)),
                ),
                company_id=company_id,
            )
    for n, customer in enumerate(rng.sample(cast.registered(), 45)):
        author = cast.sales[n % len(cast.sales)] if n % 3 else cast.owner
        crm.add_memo(cast.uow, principal=author, customer_id=customer.id, data=MemoCreate(body=rng.choice(data.MEMOS)))
