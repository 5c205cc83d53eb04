"""Small helpers the route modules share."""

from __future__ import annotations

import uuid

from patron.kernel.errors import NotFound
from patron.kernel.ids import parse_uuid


def path_id(value: str, what: str) -> uuid.UUID:
    """A path id; one that is not a UUID cannot exist, so it answers 404 like any unknown id."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise NotFound(f"{what} not found", code=f"{what.replace(' ', '_')}.not_found")
    return parsed
