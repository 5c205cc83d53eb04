"""Pure company rules: join codes (generation, normalising, hashing, status)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal

# Crockford's base32 without I, L, O, U: no look-alikes when a code is read aloud or typed.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS = 4
_GROUP_LENGTH = 4

JoinCodeStatus = Literal["active", "used", "expired", "revoked"]


def generate_code() -> str:
    """16 random characters of a 32-letter alphabet (80 bits), in four dash-separated groups of four."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    return "-".join(raw[i : i + _GROUP_LENGTH] for i in range(0, len(raw), _GROUP_LENGTH))


def normalise_code(value: str) -> str | None:
    """The canonical code a person typed (any case, spaces or dashes), or None when it cannot be one."""
    compact = "".join(ch for ch in value.upper() if ch not in " -")
    if len(compact) != _GROUPS * _GROUP_LENGTH or any(ch not in _ALPHABET for ch in compact):
        return None
    return "-".join(compact[i : i + _GROUP_LENGTH] for i in range(0, len(compact), _GROUP_LENGTH))


def hash_code(code: str) -> bytes:
    """SHA-256: the code has 80 random bits, lives days and works once, so a slow hash buys nothing."""
    return hashlib.sha256(code.encode()).digest()


def hint(code: str) -> str:
    """The last group, to tell codes apart in a list."""
    return code[-_GROUP_LENGTH:]


def status(
    *, expires_at: datetime, used_at: datetime | None, revoked_at: datetime | None, now: datetime
) -> JoinCodeStatus:
    if used_at is not None:
        return "used"
    if revoked_at is not None:
        return "revoked"
    if expires_at <= now:
        return "expired"
    return "active"
