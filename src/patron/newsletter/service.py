"""Newsletter use cases. Never commits: the request or command owns the unit of work."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from patron.customers import service as customers
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock, validators
from patron.kernel.errors import InvalidValue, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.newsletter import events, rules
from patron.newsletter import repository as repo
from patron.newsletter.records import LinkOutcome, SubscriberRecord
from patron.newsletter.rules import LinkSigner, Purpose
from patron.newsletter.schemas import (
    ClientInfo,
    NewsletterStats,
    SubscriberDetail,
    SubscriberPage,
    SubscriberRead,
    SubscriptionCreate,
    SubscriptionStatus,
)
from patron.ratelimits import service as ratelimits

STATUSES = ("pending", "subscribed", "unsubscribed")
_LINK_NOT_FOUND = Message("subscriber.link_not_found")


def to_read(row: SubscriberRecord, links: LinkSigner) -> SubscriberRead:
    return SubscriberRead(
        id=row.id,
        email=row.email,
        status=row.status,
        topics=row.topics,
        locale=row.locale,
        customer_id=row.customer_id,
        opt_in_level=row.opt_in_level,
        subscribed_at=row.subscribed_at,
        confirmed_at=row.confirmed_at,
        unsubscribed_at=row.unsubscribed_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        unsubscribe_url=links.url("unsubscribe", row.org_id, row.id, row.token_version),
    )


def _validated(data: SubscriptionCreate) -> tuple[str, list[str], str | None]:
    try:
        email = validators.normalise_email(data.email)
    except InvalidValue as exc:
        raise ValidationFailed.single("email", exc.message) from None
    try:
        locale = validators.normalise_locale(data.locale) if data.locale else None
    except InvalidValue as exc:
        raise ValidationFailed.single("locale", exc.message) from None
    return email, rules.normalise_topics(data.topics), locale


def _evidence(
    uow: UnitOfWork, row: SubscriberRecord, *, action: str, source: str, client: ClientInfo, consent_text: str | None
) -> None:
    repo.insert_consent(
        uow.conn,
        {
            "org_id": row.org_id,
            "id": uuid7(),
            "subscriber_id": row.id,
            "action": action,
            "occurred_at": clock.now(),
            "source": source,
            "opt_in_level": row.opt_in_level,
            "topics": row.topics,
            "ip_address": client.ip_address,
            "user_agent": (client.user_agent or "")[:500] or None,
            "consent_text": consent_text,
        },
    )


def subscribe(
    uow: UnitOfWork, *, org_slug: str, data: SubscriptionCreate, client: ClientInfo, rate_limit: tuple[int, int] | None
) -> tuple[SubscriptionStatus, bool]:
    """Sign an email up (again), merging topics; returns the status and whether the subscriber is new.

    With the organization's double opt-in the subscriber stays pending until the confirmation link.
    At most `rate_limit` (count, seconds) sign-ups per client address and per email: each may
    send a confirmation mail, so an unlimited form mails a victim's address without end. None:
    no limit (the demo loader, not the public).
    """
    org_id, settings = identity.find_organization(uow, slug=org_slug)
    email, topics, locale = _validated(data)
    conn = uow.conn
    now = clock.now()
    if rate_limit is not None:
        ratelimits.count_against_limits(
            uow,
            org_id=org_id,
            scope="newsletter:",
            email=email,
            client_ip=client.ip_address,
            limit=rate_limit,
            now=now,
            refused=Message("newsletter.rate_limited", most=rate_limit[0], seconds=rate_limit[1]),
        )
    status = rules.status_after_sign_up(None, double_opt_in=settings.double_opt_in)
    row = repo.insert_if_absent(
        conn,
        {
            "org_id": org_id,
            "id": uuid7(),
            "email": email,
            "status": status,
            "topics": topics,
            "locale": locale or settings.locale,
            "customer_id": customers.customer_id_for_email(uow, org_id=org_id, email=email),
            "opt_in_level": "double" if settings.double_opt_in else "single",
            "token_version": 1,
            "created_at": now,
            "updated_at": now,
            "subscribed_at": now if status == "subscribed" else None,
            "confirmed_at": None,
            "unsubscribed_at": None,
        },
    )
    created = row is not None
    if row is None:
        existing = repo.get_by_email_for_update(conn, org_id, email)
        assert existing is not None  # the insert found it
        row = _sign_up_again(uow, existing, topics=topics, locale=locale, settings=settings, now=now)
        if row is None:
            return SubscriptionStatus(status=existing.status), False
    else:
        uow.record(events.SubscriberSubscribed(org_id, row.id, status=row.status, topics=row.topics))
    _evidence(uow, row, action="subscribe", source=data.source, client=client, consent_text=data.consent_text)
    return SubscriptionStatus(status=row.status), created


def _sign_up_again(
    uow: UnitOfWork,
    row: SubscriberRecord,
    *,
    topics: list[str],
    locale: str | None,
    settings: OrganizationSettings,
    now: datetime,
) -> SubscriberRecord | None:
    """Apply a repeated sign-up; None when it changes nothing."""
    status = rules.status_after_sign_up(row.status, double_opt_in=settings.double_opt_in)
    merged = rules.merge_topics(row.topics, topics)
    values: dict[str, Any] = {}
    if status != row.status:
        values.update(status=status, opt_in_level="double" if settings.double_opt_in else "single")
        values.update(unsubscribed_at=None, subscribed_at=now if status == "subscribed" else None)
    if merged != row.topics:
        values["topics"] = merged
    if locale and locale != row.locale:
        values["locale"] = locale
    if row.customer_id is None:  # the customer may have been created since the first sign-up
        customer_id = customers.customer_id_for_email(uow, org_id=row.org_id, email=row.email)
        if customer_id is not None:
            values["customer_id"] = customer_id
    if not values:
        return None
    updated = repo.update(uow.conn, row.org_id, row.id, {**values, "updated_at": now})
    if status != row.status:
        uow.record(events.SubscriberSubscribed(row.org_id, row.id, status=status, topics=merged))
    elif merged != row.topics:
        uow.record(events.SubscriberTopicsChanged(row.org_id, row.id, topics=merged))
    return updated


def link_customer_emails(uow: UnitOfWork, *, org_id: uuid.UUID, emails: Sequence[str]) -> None:
    """Customers took these emails (created, registered, changed to them): each subscriber with
    one links to the customer that email finds now (registered first, else the latest guest).

    SPEC §7: a subscriber links to the customer with its email, whichever came first. A
    subscriber keeps its link when that customer later leaves the email (deleted, changed):
    the subscription is still that person's.
    """
    if not emails:
        return
    for row in repo.links_of_emails(uow.conn, org_id, sorted(set(emails))):
        customer_id = customers.customer_id_for_email(uow, org_id=org_id, email=row.email)
        if customer_id is not None and customer_id != row.customer_id:
            repo.link_customer(uow.conn, org_id, row.id, customer_id, clock.now())


def _by_token(uow: UnitOfWork, links: LinkSigner, purpose: Purpose, token: str) -> SubscriberRecord:
    claim = links.read(token)
    row = repo.get(uow.conn, claim.org_id, claim.subscriber_id, for_update=True) if claim else None
    if claim is None or row is None or not links.verifies(purpose, claim, row.token_version):
        raise NotFound(_LINK_NOT_FOUND, code="subscriber.link_not_found")
    return row


def confirm(uow: UnitOfWork, *, links: LinkSigner, token: str, client: ClientInfo) -> LinkOutcome:
    """Confirm a pending subscription by its emailed link (double opt-in); repeating it is harmless."""
    row = _by_token(uow, links, "confirm", token)
    if row.status != "pending":
        return LinkOutcome(status=row.status, locale=row.locale)
    now = clock.now()
    values = {"status": "subscribed", "subscribed_at": now, "confirmed_at": now, "updated_at": now}
    updated = repo.update(uow.conn, row.org_id, row.id, values)
    uow.record(events.SubscriberConfirmed(row.org_id, row.id, topics=row.topics))
    _evidence(uow, updated, action="confirm", source="confirmation_link", client=client, consent_text=None)
    return LinkOutcome(status="subscribed", locale=row.locale)


def unsubscribe(uow: UnitOfWork, *, links: LinkSigner, token: str, client: ClientInfo) -> LinkOutcome:
    """Unsubscribe by the link's token, with no sign-in; repeating it is harmless."""
    row = _by_token(uow, links, "unsubscribe", token)
    if row.status == "unsubscribed":
        return LinkOutcome(status="unsubscribed", locale=row.locale)
    now = clock.now()
    updated = repo.update(
        uow.conn, row.org_id, row.id, {"status": "unsubscribed", "unsubscribed_at": now, "updated_at": now}
    )
    uow.record(events.SubscriberUnsubscribed(row.org_id, row.id, previous_status=row.status))
    _evidence(uow, updated, action="unsubscribe", source="unsubscribe_link", client=client, consent_text=None)
    return LinkOutcome(status="unsubscribed", locale=row.locale)


def confirmation_url(uow: UnitOfWork, *, links: LinkSigner, org_id: uuid.UUID, subscriber_id: uuid.UUID) -> str | None:
    """The confirmation link of a pending subscriber (what the confirmation mail carries)."""
    row = repo.get(uow.conn, org_id, subscriber_id)
    if row is None or row.status != "pending":
        return None
    return links.url("confirm", org_id, row.id, row.token_version)


def list_subscribers(
    uow: UnitOfWork,
    *,
    principal: Principal,
    links: LinkSigner,
    status: str | None,
    topic: str | None,
    email: str | None,
    limit: int,
    offset: int,
    cursor: str | None,
) -> SubscriberPage:
    """A page of subscribers, newest first, filtered by status, topic and part of the email."""
    conn = uow.conn
    topic = topic.strip().lower() if topic else None
    email = email.strip().lower() if email else None
    filters = {"status": status, "topic": topic, "email": email}
    page = repo.NEWEST_FIRST.request(limit=limit, offset=offset, cursor=cursor, filters=filters)
    rows, total = repo.list_page(conn, principal.org_id, **filters, page=page)
    return page.answer(SubscriberPage, rows, total, item=lambda r: to_read(r, links))


def _subscriber_or_404(
    uow: UnitOfWork, principal: Principal, subscriber_id: uuid.UUID, *, lock: bool
) -> SubscriberRecord:
    row = repo.get(uow.conn, principal.org_id, subscriber_id, for_update=lock)
    if row is None:
        raise NotFound(Message("subscriber.not_found"), code="subscriber.not_found")
    return row


def get_subscriber(
    uow: UnitOfWork, *, principal: Principal, links: LinkSigner, subscriber_id: uuid.UUID
) -> SubscriberDetail:
    """One subscriber with its consent evidence, oldest first."""
    row = _subscriber_or_404(uow, principal, subscriber_id, lock=False)
    return SubscriberDetail(
        subscriber=to_read(row, links), consents=repo.consents(uow.conn, principal.org_id, subscriber_id)
    )


def revoke_links(
    uow: UnitOfWork, *, principal: Principal, links: LinkSigner, subscriber_id: uuid.UUID
) -> SubscriberRead:
    """Invalidate every link given out before (e.g. a forwarded mail); the answer holds the new one."""
    row = _subscriber_or_404(uow, principal, subscriber_id, lock=True)
    values = {"token_version": row.token_version + 1, "updated_at": clock.now()}
    updated = repo.update(uow.conn, principal.org_id, subscriber_id, values)
    uow.record(events.SubscriberLinksRevoked(principal.org_id, subscriber_id))
    return to_read(updated, links)


# A customer may hold several subscriptions (one per email it has had): the one nearest to consent speaks.
_NEAREST_CONSENT = {"subscribed": 0, "pending": 1, "unsubscribed": 2}


def statuses_of_customers(
    uow: UnitOfWork, *, org_id: uuid.UUID, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The newsletter status of each of these customers that has a subscription."""
    statuses: dict[uuid.UUID, str] = {}
    for customer_id, status in repo.statuses_of_customers(uow.conn, org_id, customer_ids):
        held = statuses.get(customer_id)
        if held is None or _NEAREST_CONSENT[status] < _NEAREST_CONSENT[held]:
            statuses[customer_id] = status
    return statuses


def get_stats(uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings) -> NewsletterStats:
    """Subscriber counts by status and topic, and sign-ups this month."""
    conn = uow.conn
    by_status = dict.fromkeys(STATUSES, 0) | repo.count_by_status(conn, principal.org_id)
    by_topic: Counter[str] = Counter()
    for topics in repo.subscribed_topics(conn, principal.org_id):
        by_topic.update(topics)
    since = rules.month_start(clock.now(), settings.timezone)
    return NewsletterStats(
        total=sum(by_status.values()),
        subscribed=by_status["subscribed"],
        pending=by_status["pending"],
        unsubscribed=by_status["unsubscribed"],
        new_this_month=repo.count_created_since(conn, principal.org_id, since),
        by_status=by_status,
        by_topic=dict(sorted(by_topic.items())),
    )
