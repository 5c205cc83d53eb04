"""API keys: 256 random bits, shown once, stored as SHA-256.

The key carries its organization's id so that the lookup is keyed on `org_id` like
every other tenant-owned row (and a sharded deployment can route by it). A fast hash
is right here: the secret has 256 bits of entropy, so it cannot be guessed offline;
argon2 is for passwords, which can.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

KEY_PREFIX = "pat_"


@dataclass(frozen=True, slots=True)
class NewApiKey:
    plaintext: str
    key_hash: bytes
    display_prefix: str


@dataclass(frozen=True, slots=True)
class ParsedApiKey:
    org_id: uuid.UUID
    key_hash: bytes


def hash_key(plaintext: str) -> bytes:
    return hashlib.sha256(plaintext.encode()).digest()


def generate(org_id: uuid.UUID) -> NewApiKey:
    plaintext = f"{KEY_PREFIX}{org_id.hex}_{secrets.token_urlsafe(32)}"
    return NewApiKey(plaintext=plaintext, key_hash=hash_key(plaintext), display_prefix=plaintext[-6:])


def parse(plaintext: str) -> ParsedApiKey | None:
    """The organization and hash of a well-formed key, or None."""
    if not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 200:
        return None
    org_hex, _, secret = plaintext[len(KEY_PREFIX) :].partition("_")
    if len(org_hex) != 32 or len(secret) < 40:
        return None
    try:
        org_id = uuid.UUID(hex=org_hex)
    except ValueError:
        return None
    return ParsedApiKey(org_id=org_id, key_hash=hash_key(plaintext))
