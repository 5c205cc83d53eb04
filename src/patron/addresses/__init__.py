"""Customer address books: one default shipping and one default billing address each."""
