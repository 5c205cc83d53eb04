"""A demo organization with realistic customers, for a first look."""

from __future__ import annotations

from datetime import date

from patron.customers import service as customers
from patron.customers.schemas import CustomerCreate
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate, OrganizationCreated
from patron.kernel.tenancy import Principal, Role

DEMO_SLUG = "demo"

_PEOPLE = [
    ("Lan", "Nguyễn", "lan.nguyen@example.vn", "0912 345 678", "female", date(1990, 4, 12), ["vip"]),
    ("Minh", "Trần", "minh.tran@example.vn", "0987 654 321", "male", date(1985, 9, 3), []),
    ("Thảo", "Đặng", "thao.dang@example.vn", "0903 111 222", "female", None, ["newsletter"]),
    ("Jürgen", "Müller", "juergen.mueller@example.de", "+49 30 901820", "male", date(1978, 1, 30), ["b2b"]),
    ("Chloé", "Lefèvre", "chloe.lefevre@example.fr", "+33 1 42 68 53 00", "female", None, []),
    ("Hùng", "Phạm", "hung.pham@example.vn", "0938 222 333", "male", date(1995, 12, 1), ["vip", "pos"]),
    ("Ngọc", "Võ", "ngoc.vo@example.vn", None, None, None, []),
    ("Sara", "Lindqvist", "sara.lindqvist@example.se", "+46 8 123 456 78", "female", date(1988, 6, 21), []),
]


def create_demo(uow: UnitOfWork) -> OrganizationCreated:
    """The demo organization, its owner key and a handful of customers."""
    created = identity.create_organization(
        uow,
        data=OrganizationCreate(
            name="Phở Demo Co.",
            slug=DEMO_SLUG,
            owner_email="owner@demo.patron.dev",
            owner_name="Demo Owner",
            locale="vi",
            region="VN",
            currency="VND",
            timezone="Asia/Ho_Chi_Minh",
        ),
    )
    principal = Principal(org_id=created.organization.id, staff_id=created.owner.id, role=Role.OWNER, api_key_id=None)
    settings = identity.load_settings(uow.conn, principal.org_id)
    people = [
        CustomerCreate(
            email=email,
            first_name=first,
            last_name=last,
            phone=phone,
            gender=gender,  # type: ignore[arg-type]
            birthday=birthday,
            tags=tags,
            source="pos" if "pos" in tags else "website",
        )
        for first, last, email, phone, gender, birthday, tags in _PEOPLE
    ]
    people.append(CustomerCreate(email="sales@acme.example", company_name="ACME Việt Nam", vat_id="0100109106"))
    people.append(CustomerCreate(email="walkin@example.vn", first_name="Khách", is_guest=True, source="pos"))
    customers.create_customers(uow, principal=principal, settings=settings, data=people, batch=True)
    return created
