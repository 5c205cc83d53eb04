"""Pure list rules: share tokens and text clean-up."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits: unguessable


def new_share_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    """Only this is stored; a leaked table does not reveal working links."""
    return hashlib.sha256(token.encode()).digest()


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None
