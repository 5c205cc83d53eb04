"""Every table that refers to customers is declared: moved by a merge, or left with a reason.

A table added later with a `customer_id` column or a foreign key to the customer fails this
test until patron.merging.repository says what a merge does with its rows.
"""

from __future__ import annotations

from patron.merging import repository


def test_every_table_referring_to_customers_is_moved_or_deliberately_left() -> None:
    referring = set(repository.tables_referring_to_customers())
    declared = set(repository.MOVED) | set(repository.LEFT)
    assert sorted(referring - declared) == [], "tables a merge neither moves nor declares left"
    # LEFT also names tables that refer to customers by other columns (a dismissed pair's ids,
    # an event's subject), which the metadata cannot tell; every MOVED one it can.
    assert sorted(set(repository.MOVED) - referring) == [], "moved tables that do not refer to customers"
    assert set(repository.MOVED).isdisjoint(repository.LEFT)
    assert all(reason.strip() for reason in repository.LEFT.values())


def test_every_moved_table_moves_by_its_customer_id_column() -> None:
    tables = repository.tables_referring_to_customers()
    for name in repository.MOVED:
        assert "customer_id" in tables[name].c, name
