"""The demo's people: staff, groups, companies, customers and their addresses, through the services."""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from patron.addresses import service as addresses
from patron.addresses.schemas import AddressCreate
from patron.cli import demo_data as data
from patron.companies import service as companies
from patron.companies.schemas import CompanyCreate, MemberAdd
from patron.customers import lifecycle
from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate, CustomerRead
from patron.db.uow import UnitOfWork
from patron.groups import service as groups
from patron.groups.schemas import GroupCreate
from patron.identity import service as identity
from patron.identity.schemas import OrganizationSettings, StaffCreate
from patron.kernel.tenancy import Principal, Role

CUSTOMERS = 200
GUESTS = 24
# Target status shares of registered customers; some reach theirs through the lifecycle actions.
STATUS_WEIGHTS = {"lead": 28, "prospect": 20, "customer": 42, "churned": 10}
TIER_WEIGHTS = {"free": 50, "basic": 25, "pro": 15, "enterprise": 10}
# (created as, actions that lead to the target): the timeline then shows real transitions.
WALKS = {"prospect": ("lead", ["qualify"]), "customer": ("prospect", ["convert"]), "churned": ("customer", ["churn"])}


@dataclass
class Cast:
    """Who acts in the demo and what exists so far; each step adds to it."""

    uow: UnitOfWork
    rng: random.Random
    now: datetime
    org_id: uuid.UUID
    slug: str
    owner: Principal
    settings: OrganizationSettings
    staff: dict[str, list[Principal]] = field(default_factory=dict)
    group_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    company_ids: list[uuid.UUID] = field(default_factory=list)
    company_domains: dict[uuid.UUID, str] = field(default_factory=dict)
    account_managers: dict[uuid.UUID, Principal] = field(default_factory=dict)
    customers: list[CustomerRead] = field(default_factory=list)
    countries: dict[uuid.UUID, str] = field(default_factory=dict)

    @property
    def sales(self) -> list[Principal]:
        return self.staff["sales"]

    def registered(self) -> list[CustomerRead]:
        return [c for c in self.customers if not c.is_guest and c.deleted_at is None]


def fold(text: str) -> str:
    """ASCII for an email's local part: `Nguyễn Đức` -> `nguyenduc`."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _digits(rng: random.Random, pattern: str) -> str:
    """`+82 10 {4} {4}` with each `{n}` replaced by n random digits."""
    return re.sub(r"\{(\d+)\}", lambda m: "".join(str(rng.randrange(10)) for _ in range(int(m[1]))), pattern)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def add_staff(cast: Cast) -> None:
    """A few staff members of every role; the demo's owner is one of the owners."""
    cast.staff = {role.value: [] for role in Role}
    cast.staff["owner"].append(cast.owner)
    for role, name, local in data.STAFF:
        created = identity.create_staff(
            cast.uow,
            principal=cast.owner,
            data=StaffCreate(email=f"{local}@demo.patron.dev", name=name, role=role),  # type: ignore[arg-type]
        )
        principal = Principal(org_id=cast.org_id, staff_id=created.staff.id, role=Role(role), api_key_id=None)
        cast.staff[role].append(principal)


def add_groups_and_companies(cast: Cast) -> None:
    for name, is_merchant in data.GROUPS:
        group = groups.create_group(
            cast.uow, principal=cast.owner, data=GroupCreate(name=name, is_merchant=is_merchant)
        )
        cast.group_ids[name] = group.id
    for i, (name, vat_id, domain) in enumerate(data.COMPANIES):
        manager = cast.sales[i % len(cast.sales)]
        company = companies.create_company(
            cast.uow,
            principal=cast.owner,
            settings=cast.settings,
            data=CompanyCreate(name=name, vat_id=vat_id, account_manager_id=manager.staff_id),
        )
        cast.company_ids.append(company.id)
        cast.company_domains[company.id] = domain
        cast.account_managers[company.id] = manager


class _Names:
    """Emails that stay unique: a second `lan.nguyen` becomes `lan.nguyen2`."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def email(self, first: str, last: str, domain: str) -> str:
        local = f"{fold(first.split()[-1])}.{fold(last)}"
        count = self.seen[local] = self.seen.get(local, 0) + 1
        return f"{local}{count if count > 1 else ''}@{domain}"


def _person(rng: random.Random, names: _Names) -> tuple[dict[str, Any], str]:
    """Name, email, phone and locale of one person, and the country they live in."""
    gender = rng.choice(["female", "male"])
    if rng.random() < 0.72:
        family = rng.choice(data.VN_FAMILY_NAMES)
        first = f"{rng.choice(data.VN_MIDDLE_NAMES[gender])} {rng.choice(data.VN_GIVEN_NAMES[gender])}"  # type: ignore[index]
        phone = f"{rng.choice(data.VN_MOBILE_PREFIXES)} {_digits(rng, '{3} {4}')}"
        values = {"first_name": first, "last_name": family, "phone": phone, "gender": gender}
        values["email"] = names.email(first, family, rng.choice(data.VN_EMAIL_DOMAINS))
        return values, "VN"
    country, locale, domain, phone_format, (women, men), families = rng.choice(data.INTERNATIONAL)
    first = rng.choice(women if gender == "female" else men)
    family = rng.choice(families)
    values = {"first_name": first, "last_name": family, "gender": gender, "locale": locale}
    values["email"] = names.email(first, family, domain)
    if rng.random() < 0.7:
        values["phone"] = _digits(rng, phone_format)
    return values, country


def _birthday(rng: random.Random, today: date) -> date | None:
    if rng.random() < 0.4:
        return None
    return today - timedelta(days=rng.randrange(18 * 365, 70 * 365))


def plan_customers(cast: Cast) -> tuple[list[CustomerCreate], list[str], list[str]]:
    """The registered customers and guests to create, each one's country and its target status."""
    rng, names = cast.rng, _Names()
    merchant_group = next(cast.group_ids[n] for n, merchant in data.GROUPS if merchant)
    plain_groups = [cast.group_ids[n] for n, merchant in data.GROUPS if not merchant]
    plans: list[CustomerCreate] = []
    countries: list[str] = []
    targets: list[str] = []
    for i in range(CUSTOMERS):
        person, country = _person(rng, names)
        target = _weighted(rng, STATUS_WEIGHTS)
        start, _ = WALKS.get(target, (target, []))
        status = start if target in WALKS and rng.random() < 0.3 else target
        extra: dict[str, Any] = {}
        if i < len(cast.company_ids):  # each company's first contact
            company_id = cast.company_ids[i]
            person["email"] = f"{fold(person['first_name'].split()[-1])}@{cast.company_domains[company_id]}"
            extra |= {"company_id": company_id, "tier": "enterprise", "source": "cold-call", "tags": ["b2b"]}
        elif i % 23 == 5:
            extra |= {"group_id": merchant_group, "company_name": f"Đại lý {person['last_name']}", "tags": ["b2b"]}
        elif rng.random() < 0.25:
            extra["group_id"] = rng.choice(plain_groups)
        sales = cast.sales[i % len(cast.sales)]
        plans.append(
            CustomerCreate(
                **person,
                birthday=_birthday(rng, cast.now.date()),
                status=status,  # type: ignore[arg-type]
                tier=extra.pop("tier", _weighted(rng, TIER_WEIGHTS)),
                source=extra.pop("source", rng.choice(data.SOURCES)),
                tags=extra.pop("tags", rng.sample(data.TAGS, rng.choice([0, 0, 1, 1, 2, 3]))),
                assigned_to=sales.staff_id if rng.random() < 0.6 else None,
                is_favorite=rng.random() < 0.08,
                credit=rng.choice([50_000, 100_000, 200_000, 500_000]) if rng.random() < 0.1 else 0,
                **extra,
            )
        )
        countries.append(country)
        targets.append(target)
    for i in range(GUESTS):
        person, country = _person(rng, names)
        guest = {"first_name": person["first_name"], "email": f"khach.{i + 1}@guest.example.vn"}
        plans.append(CustomerCreate(**guest, is_guest=True, source="pos", status="customer"))
        countries.append(country)
        targets.append("customer")
    return plans, countries, targets


def add_customers(cast: Cast) -> None:
    """Every planned customer in one batch, as `POST /customers/batch` would; then their lifecycle steps."""
    plans, countries, targets = plan_customers(cast)
    results = customers.create_customers(cast.uow, principal=cast.owner, settings=cast.settings, data=plans, batch=True)
    created = [customer for customer, _ in results]
    for i, (customer, target) in enumerate(zip(created, targets, strict=True)):
        cast.countries[customer.id] = countries[i]
        if customer.status != target:
            for action in WALKS[target][1]:
                actor = cast.sales[i % len(cast.sales)]
                customer = lifecycle.change_status(cast.uow, principal=actor, customer_id=customer.id, action=action)
            created[i] = customer
    cast.customers = created


def _address(cast: Cast, customer: CustomerRead, *, default: bool) -> AddressCreate:
    rng = cast.rng
    country = cast.countries[customer.id]
    place: tuple[str, str | None, str, list[str]]
    place = rng.choice(data.VN_PLACES) if country == "VN" else data.FOREIGN_PLACES[country]
    city, state, postcode, streets = place
    name = " ".join(p for p in (customer.last_name, customer.first_name) if p) if country == "VN" else None
    return AddressCreate(
        street=rng.choice(streets),
        house_number=str(rng.randrange(1, 300)),
        city=city,
        state=state,
        postcode=postcode,
        country=country,
        name=name or " ".join(p for p in (customer.first_name, customer.last_name) if p) or None,
        phone=customer.phone,
        is_default_shipping=default,
        is_default_billing=default,
    )


def add_addresses(cast: Cast) -> int:
    """A default address for most registered customers, a second (office) one for some."""
    count = 0
    for customer in cast.registered():
        if cast.rng.random() < 0.2:
            continue
        for default in [True, False][: 2 if cast.rng.random() < 0.25 else 1]:
            addresses.create_address(
                cast.uow,
                principal=cast.owner,
                settings=cast.settings,
                customer_id=customer.id,
                data=_address(cast, customer, default=default),
            )
            count += 1
    return count


def add_members(cast: Cast) -> None:
    """Each company's contact is its admin; a few other customers join as buyers and members."""
    free = [c for c in cast.registered() if c.company_id is None and c.group_id is None and c.status != "lead"]
    cast.rng.shuffle(free)
    joined: set[uuid.UUID] = set()
    for company_id in cast.company_ids:
        contact = next(c for c in cast.customers if c.company_id == company_id)
        roles = ("buyer", "member")[: cast.rng.randint(1, 2)]
        joining = [(contact.id, "admin")] + [(free.pop().id, role) for role in roles]
        for customer_id, role in joining:
            joined.add(customer_id)
            companies.add_member(
                cast.uow,
                principal=cast.account_managers[company_id],
                company_id=company_id,
                data=MemberAdd(customer_id=customer_id, role=role),  # type: ignore[arg-type]
            )
    # Membership made them contacts: read them again so later steps see their company.
    cast.customers = [
        customers.get_customer(cast.uow, principal=cast.owner, customer_id=c.id) if c.id in joined else c
        for c in cast.customers
    ]


def retire_some(cast: Cast) -> None:
    """Two leads deleted by mistake, one of them restored: the soft delete at work."""
    leads = [c for c in cast.registered() if c.status == "lead" and c.company_id is None][:2]
    for customer in leads:
        customers.delete_customer(cast.uow, principal=cast.owner, customer_id=customer.id)
    restored = customers.restore_customer(cast.uow, principal=cast.owner, customer_id=leads[0].id)
    deleted = customers.get_customer(cast.uow, principal=cast.owner, customer_id=leads[1].id)
    cast.customers = [restored if c.id == restored.id else deleted if c.id == deleted.id else c for c in cast.customers]
