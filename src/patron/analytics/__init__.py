"""Analytics (SPEC §13.6): RFM, lifetime value, retention, churn risk and growth."""
