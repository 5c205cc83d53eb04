"""Newsletter subscribers: public sign-up, double opt-in, signed unsubscribe links, statistics."""
