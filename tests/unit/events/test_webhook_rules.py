"""Webhook rules without I/O: address policy, event matching, retry timing, signatures."""

from __future__ import annotations

import hmac

import pytest

from patron.events.webhook_rules import RetryPolicy, matches, parse_allowances, refusal, signature


@pytest.mark.parametrize(
    ("address", "allowances", "refused"),
    [
        ("93.184.216.34", frozenset(), False),
        ("127.0.0.1", frozenset(), True),
        ("127.0.0.1", frozenset({"loopback"}), False),
        ("::1", frozenset({"loopback"}), False),
        ("10.0.0.1", frozenset({"loopback"}), True),
        ("10.0.0.1", frozenset({"private"}), False),
        ("172.16.5.4", frozenset(), True),
        ("100.64.0.1", frozenset(), True),
        ("169.254.169.254", frozenset({"loopback", "private"}), True),
        ("fe80::1", frozenset({"loopback", "private"}), True),
        ("fd00:ec2::254", frozenset(), True),
        ("::ffff:10.0.0.1", frozenset(), True),
        ("224.0.0.1", frozenset({"private"}), True),
        ("0.0.0.0", frozenset({"loopback", "private"}), True),
    ],
)
def test_address_policy(address: str, allowances: frozenset[str], refused: bool) -> None:
    assert (refusal(address, allowances) is not None) is refused


def test_allowances_are_parsed_strictly() -> None:
    assert parse_allowances("") == frozenset()
    assert parse_allowances("loopback, private") == {"loopback", "private"}
    with pytest.raises(ValueError, match="everything"):
        parse_allowances("everything")


def test_event_type_patterns() -> None:
    assert matches(["*"], "customer.created")
    assert matches(["inquiry.*"], "inquiry.status_changed")
    assert not matches(["inquiry.*"], "inquiries.x")
    assert matches(["customer.created"], "customer.created")
    assert not matches(["customer.created"], "customer.updated")


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(base_seconds=10, max_seconds=60, max_attempts=8)
    assert [policy.delay(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_signature_is_hmac_of_timestamp_and_body() -> None:
    assert signature("s", 1, b"{}") == "t=1,v1=" + hmac.new(b"s", b"1.{}", "sha256").hexdigest()
