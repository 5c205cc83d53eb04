"""The caller's language; message ids for msgspec's decode errors live in `patron.kernel.decode_errors`."""

from __future__ import annotations

from patron.kernel.decode_errors import allowed_values, decode_message

__all__ = ["allowed_values", "decode_message", "request_locale"]


def request_locale(accept_language: str) -> str:
    """`vi` when the first language asked for is Vietnamese (`vi`, `vi-VN`), else `en` (SPEC §10)."""
    first = accept_language.split(",")[0].strip().lower()
    return "vi" if first.startswith("vi") else "en"
