"""A customer's right of access (everything stored about them, as one document) and erasure (SPEC §13.3)."""
