"""Webhook rules without I/O: address policy, event matching, retry timing, signatures."""

from __future__ import annotations

import hmac
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Every IPv4 range the policy refuses, and each way an IPv6 address can carry an IPv4 one.
REFUSED_IPV4 = [
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]
ALLOWANCE_SETS = [frozenset(), frozenset({"loopback"}), frozenset({"private"}), frozenset({"loopback", "private"})]


def _local_nat64(v4: int, prefix_length: int, noise: int) -> int:
    """64:ff9b:1::/48 with `v4` where RFC 6052 puts it for a prefix of that length."""
    prefix = 0x0064_FF9B_0001 << 80
    if prefix_length == 96:
        return prefix | (noise & ((1 << 48) - 1)) << 32 | v4
    if prefix_length == 64:
        return prefix | (noise & 0xFFFF) << 64 | v4 << 24
    high_bits = 64 - prefix_length  # the part before the u octet (bits 64-71)
    high, low = v4 >> (32 - high_bits), v4 & ((1 << (32 - high_bits)) - 1)
    subnet = (noise & ((1 << (prefix_length - 48)) - 1)) << (128 - prefix_length) if prefix_length > 48 else 0
    return prefix | subnet | high << 64 | low << (128 - 72 - (32 - high_bits))


def _embeddings(v4: int, noise: int) -> dict[str, str]:
    forms = {
        "mapped": 0xFFFF << 32 | v4,
        "6to4": 0x2002 << 112 | v4 << 80 | (noise & ((1 << 80) - 1)),
        "nat64": 0x0064_FF9B << 96 | v4,
        **{f"local-nat64/{n}": _local_nat64(v4, n, noise) for n in (48, 56, 64, 96)},
    }
    if v4 > 1:  # ::0.0.0.0 and ::0.0.0.1 are :: and ::1, addresses of their own
        forms["compatible"] = v4
    return {name: str(ipaddress.IPv6Address(value)) for name, value in forms.items()}


@settings(max_examples=400)
@given(
    network=st.sampled_from(REFUSED_IPV4),
    offset=st.integers(min_value=0, max_value=2**32),
    noise=st.integers(min_value=0, max_value=2**80),
    allowances=st.sampled_from(ALLOWANCE_SETS),
)
def test_a_refused_ipv4_address_is_refused_in_every_ipv6_embedding(
    network: ipaddress.IPv4Network, offset: int, noise: int, allowances: frozenset[str]
) -> None:
    v4 = network[offset % network.num_addresses]
    if refusal(str(v4), allowances) is None:
        return  # allowed by this configuration (loopback or private allowed)
    for form, address in _embeddings(int(v4), noise).items():
        assert refusal(address, allowances) is not None, f"{v4} as {form} ({address}) accepted"


@given(
    v4=st.ip_addresses(v=4).filter(lambda ip: refusal(str(ip), frozenset()) is None),
    noise=st.integers(min_value=0, max_value=2**80),
)
def test_a_public_ipv4_address_stays_reachable_through_translation(v4: ipaddress.IPv4Address, noise: int) -> None:
    forms = _embeddings(int(v4), noise)
    for form in ("mapped", "6to4", "nat64"):
        assert refusal(forms[form], frozenset()) is None, f"{v4} as {form} ({forms[form]}) refused"


def test_the_reported_6to4_form_of_loopback_is_refused() -> None:
    assert refusal("2002:7f00:1::", frozenset()) is not None
    assert refusal("2002:a9fe:a9fe::", frozenset({"loopback", "private"})) is not None
