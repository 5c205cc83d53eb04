"""The points ledger: awards for paid orders, reversals, redemptions, adjustments, tiers."""
