"""Staff passwords for the admin UI: argon2id with the library's recommended parameters."""

from __future__ import annotations

from argon2 import PasswordHasher

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)
