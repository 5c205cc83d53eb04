"""Customer lists (wishlists included): product references with quantities, shareable by link."""
