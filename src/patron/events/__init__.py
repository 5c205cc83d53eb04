"""The outbox feed (and later webhooks and the live stream)."""
