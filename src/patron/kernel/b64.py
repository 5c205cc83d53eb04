"""URL-safe base64 without padding, for cursors and tokens that travel in URLs."""

from __future__ import annotations

import base64


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> bytes:
    """The bytes of `text`; raises ValueError (binascii.Error) when it is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
