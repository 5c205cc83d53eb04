"""The guest purge's keepers come from the metadata: every table whose foreign key to the
customer does not cascade, so a table added later keeps its guests too."""

from __future__ import annotations

import sqlalchemy as sa

from patron.customers import repository
from patron.db.references import blocking_references


def test_the_keepers_are_the_non_cascading_references_to_the_customer() -> None:
    keepers = {constraint.table.name for constraint in repository.KEEPERS}
    assert keepers == {"deal", "interaction", "loyalty_entry", "memo", "merge_journal", "shop_order"}
    cascading = {"address", "company_member", "customer_list", "customer_product_rule"}
    assert keepers.isdisjoint(cascading)


def test_a_table_added_later_is_found() -> None:
    metadata = sa.MetaData()
    parent = sa.Table(
        "parent", metadata, sa.Column("org_id", sa.Uuid, primary_key=True), sa.Column("id", sa.Uuid, primary_key=True)
    )

    def child(name: str, **fk: str) -> sa.Table:
        return sa.Table(
            name,
            metadata,
            sa.Column("org_id", sa.Uuid, primary_key=True),
            sa.Column("parent_id", sa.Uuid),
            sa.ForeignKeyConstraint(["org_id", "parent_id"], ["parent.org_id", "parent.id"], **fk),
        )

    child("kept")
    child("also_kept", ondelete="SET NULL")
    child("cascaded", ondelete="CASCADE")
    found = blocking_references(parent)
    assert [constraint.table.name for constraint in found] == ["also_kept", "kept"]
    assert [(e.parent.name, e.column.name) for e in found[0].elements] == [("org_id", "org_id"), ("parent_id", "id")]
