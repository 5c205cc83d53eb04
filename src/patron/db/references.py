"""Which tables refer to a table, read from the metadata, so a table added later is seen."""

from __future__ import annotations

import sqlalchemy as sa


def blocking_references(target: sa.Table) -> tuple[sa.ForeignKeyConstraint, ...]:
    """The foreign keys to `target` that are not ON DELETE CASCADE: a row referring through
    one of them outlives the target row or keeps it from being deleted. Sorted by table."""
    import patron.db.models  # noqa: F401  (every table in the metadata)

    found = [
        constraint
        for table in target.metadata.sorted_tables
        for constraint in table.foreign_key_constraints
        if constraint.referred_table is target and (constraint.ondelete or "").upper() != "CASCADE"
    ]
    return tuple(sorted(found, key=lambda constraint: (constraint.table.name, str(constraint.name))))
