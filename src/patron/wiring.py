"""Connections between domains that cannot import each other, made once per process.

Every entry point calls `wire()` before it serves: the HTTP app (`create_app`), the CLI
and the tests' database fixture.
"""

from __future__ import annotations

from patron.companies import service as companies
from patron.customers import affiliations
from patron.groups import service as groups
from patron.newsletter import service as newsletter


def wire() -> None:
    """Groups, companies and the newsletter answer what customers asks of them (`patron.customers.affiliations`)."""
    affiliations.provide(groups=groups, companies=companies, subscriptions=newsletter)
