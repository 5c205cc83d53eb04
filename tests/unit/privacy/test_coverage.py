"""The access export and the erasure cover every table that refers to a customer, read from the metadata.

A table refers to a customer by a foreign key to `customer`, by a column declared in
`coverage.CUSTOMER_ID_COLUMNS` or named `customer_id`, or through a foreign key to a table that
does (list items, consents, replies). A table added later with such a reference fails here until
`patron.privacy.coverage` names the export key that carries it.
"""

from __future__ import annotations

import msgspec
import sqlalchemy as sa

import patron.db.models  # noqa: F401  (every table in the metadata)
from patron.db.base import Base
from patron.privacy.coverage import COVERAGE, CUSTOMER_ID_COLUMNS
from patron.privacy.schemas import AccessExport


def _referring_tables() -> set[str]:
    tables = Base.metadata.tables
    found = {"customer"}
    for table in tables.values():
        refers = any(fk.referred_table.name == "customer" for fk in table.foreign_key_constraints)
        if refers or "customer_id" in table.c:
            found.add(table.name)
    found |= set(CUSTOMER_ID_COLUMNS)
    while True:  # children of referring tables refer to the customer too
        more = {
            table.name
            for table in tables.values()
            if table.name not in found
            and any(fk.referred_table.name in found - {"customer"} for fk in table.foreign_key_constraints)
        }
        if not more:
            return found
        found |= more


def test_every_table_that_refers_to_a_customer_is_in_the_export() -> None:
    missing = _referring_tables() - set(COVERAGE)
    assert not missing, f"tables referring to a customer that the access export leaves out: {sorted(missing)}"


def test_the_walk_finds_the_tables_reached_through_another() -> None:
    found = _referring_tables()
    assert {"customer_list_item", "newsletter_consent", "inquiry_reply", "loyalty_entry"} <= found
    assert {"company", "staff_user", "organization"}.isdisjoint(found)  # what a customer refers to, not back


def test_the_coverage_names_tables_and_export_keys_that_exist() -> None:
    keys = {field.encode_name for field in msgspec.structs.fields(AccessExport)}
    assert set(COVERAGE.values()) <= keys
    assert set(COVERAGE) <= set(Base.metadata.tables)
    for table_name, columns in CUSTOMER_ID_COLUMNS.items():
        table = Base.metadata.tables[table_name]
        assert all(isinstance(table.c[column].type, sa.Uuid) for column in columns)


def test_a_new_table_with_a_customer_key_would_fail_the_walk() -> None:
    probe = sa.Table(
        "probe_customer_note",
        Base.metadata,
        sa.Column("org_id", sa.Uuid(), primary_key=True),
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("customer_id", sa.Uuid()),
    )
    try:
        assert "probe_customer_note" in _referring_tables() - set(COVERAGE)
    finally:
        Base.metadata.remove(probe)
