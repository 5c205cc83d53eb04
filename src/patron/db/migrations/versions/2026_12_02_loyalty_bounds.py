"""loyalty settings within their bounds: at most one point per minor unit, tier names of at most 40 characters

Revision ID: 9a41c7e2d5b0
Revises: 9a41c0d7e2b5
Create Date: 2026-12-02 05:00:00

Settings saved before the bounds could earn more points per order than a 64-bit balance
holds (paying then failed on every retry) or name a tier longer than the customer's
`loyalty_tier` column. Stored documents are read into the bounded settings struct, so
each is brought within the bounds: the rate is capped at one point per minor unit, long
tier names are cut (the first of two that cut alike is kept), thresholds are capped, and
of more than 20 tiers the 20 lowest are kept. The numbers are copied here, not imported.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "9a41c7e2d5b0"
down_revision = "9a41c0d7e2b5"
branch_labels = None
depends_on = None

_MAX_ORDER_TOTAL = 10**15
_MAX_TIER_THRESHOLD = 10**18
_TIER_NAME_LENGTH = 40
_MAX_TIERS = 20

_organization = sa.table(
    "organization",
    sa.column("id", sa.Uuid()),
    sa.column("settings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
)


def _bounded(loyalty: dict[str, Any]) -> dict[str, Any]:
    fixed = dict(loyalty)
    amount = fixed.get("earn_amount")
    if isinstance(amount, int):
        fixed["earn_amount"] = amount = min(max(amount, 1), _MAX_ORDER_TOTAL)
        points = fixed.get("earn_points")
        if isinstance(points, int):
            fixed["earn_points"] = min(max(points, 0), amount)
    tiers = fixed.get("tiers")
    if isinstance(tiers, dict):
        kept: dict[str, Any] = {}
        by_threshold = sorted(tiers.items(), key=lambda item: (not isinstance(item[1], int), item[1]))
        for name, threshold in by_threshold:
            short = name[:_TIER_NAME_LENGTH]
            if short.strip() and short not in kept and len(kept) < _MAX_TIERS:
                kept[short] = min(threshold, _MAX_TIER_THRESHOLD) if isinstance(threshold, int) else threshold
        fixed["tiers"] = kept or {"bronze": 0}
    return fixed


def upgrade() -> None:
    conn = op.get_bind()
    for org_id, settings in conn.execute(sa.select(_organization.c.id, _organization.c.settings)).all():
        loyalty = (settings or {}).get("loyalty")
        if not isinstance(loyalty, dict):
            continue
        bounded = _bounded(loyalty)
        if bounded != loyalty:
            conn.execute(
                sa.update(_organization)
                .where(_organization.c.id == org_id)
                .values(settings={**settings, "loyalty": bounded})
            )


def downgrade() -> None:
    # The documents stay within the bounds; nothing to undo.
    pass
