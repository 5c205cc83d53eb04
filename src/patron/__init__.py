"""Patron: customer management as a multi-tenant HTTP API, admin UI and CLI."""

__version__ = "0.1.0"
