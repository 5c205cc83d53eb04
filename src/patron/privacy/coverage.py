"""Which table reaches the access export under which key, and how: the one declaration the
metadata test (tests/unit/privacy/test_coverage.py) compares against the schema, so a
table added later that refers to a customer cannot be left out of the export or the erasure."""

from __future__ import annotations

from typing import Final

# table name → the export key its rows appear under.
COVERAGE: Final[dict[str, str]] = {
    "customer": "customer",  # the customer itself, and the customers merged into it (`merged`)
    "address": "addresses",
    "shop_order": "orders",
    "loyalty_entry": "points",
    "customer_list": "lists",
    "customer_list_item": "lists",  # each list's `items`
    "newsletter_subscriber": "subscriptions",
    "newsletter_consent": "subscriptions",  # each subscription's `consents` (the consent evidence)
    "inquiry": "inquiries",
    "inquiry_reply": "inquiries",  # each inquiry's `replies`
    "interaction": "interactions",
    "memo": "memos",
    "deal": "deals",
    "company_member": "companies",
    "customer_product_rule": "product_restrictions",
    "merge_journal": "merges",
    "duplicate_dismissal": "duplicate_dismissals",
    "outbox_event": "events",
}

# Columns that hold a customer id without a foreign key (the record outlives a purge or a merge),
# beside the foreign keys the test follows.
CUSTOMER_ID_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "newsletter_subscriber": ("customer_id",),
    "inquiry": ("customer_id",),
    "duplicate_dismissal": ("low_id", "high_id"),
    "outbox_event": ("subject_id",),
}
