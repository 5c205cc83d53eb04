"""Pure list rules: share tokens."""

from __future__ import annotations

import base64
import hashlib

from patron.lists import rules


def test_share_tokens_carry_at_least_128_random_bits_and_differ() -> None:
    tokens = {rules.new_share_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128


def test_only_the_hash_of_a_token_is_kept() -> None:
    token = rules.new_share_token()
    assert rules.token_hash(token) == hashlib.sha256(token.encode()).digest()
    assert token.encode() not in rules.token_hash(token)
