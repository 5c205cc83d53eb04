"""Pure webhook rules: which events a webhook takes, signatures, retry timing, allowed addresses."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from patron.kernel.messages import Message

# `*`, a domain's every event (`inquiry.*`) or one type (`inquiry.created`).
EVENT_PATTERN = re.compile(r"^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$")


def names_known_types(pattern: str, known: Collection[str]) -> bool:
    """Whether the pattern takes any event type there is: `*`, a domain with events, or a known type.

    A misspelt type (`customer.create`) or domain (`custmer.*`) would match nothing, silently,
    forever: webhooks and `GET /events?type=` refuse it instead.
    """
    if not EVENT_PATTERN.match(pattern):
        return False
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return any(known_type.startswith(pattern[:-1]) for known_type in known)
    return pattern in known


def matches(patterns: Iterable[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def derive_secret(server_secret: bytes, org_id: uuid.UUID, webhook_id: uuid.UUID, version: int) -> str:
    """The webhook's signing secret; derived, so it never needs to be stored."""
    message = f"webhook|{org_id}|{webhook_id}|{version}".encode()
    return "whsec_" + hmac.new(server_secret, message, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`Patron-Signature` header: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base_seconds: float = 10.0
    max_seconds: float = 3600.0
    max_attempts: int = 8

    def delay(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones: doubling, capped."""
        return float(min(self.max_seconds, self.base_seconds * 2 ** max(0, attempts - 1)))


ALLOWANCES = frozenset({"loopback", "private"})


def parse_allowances(value: str) -> frozenset[str]:
    """PATRON_WEBHOOK_ALLOW_PRIVATE: empty, or a comma list of `loopback`, `private`."""
    found = frozenset(v.strip().lower() for v in value.split(",") if v.strip())
    unknown = found - ALLOWANCES
    if unknown:
        raise ValueError(f"PATRON_WEBHOOK_ALLOW_PRIVATE: unknown {', '.join(sorted(unknown))} (use loopback, private)")
    return found


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# RFC 6052 §2.2: where a NAT64 prefix of each length carries the IPv4 address (bits 64-71 are
# zero and skipped). A local-use prefix (64:ff9b:1::/48) may be any of these lengths from 48.
_NAT64_LAYOUTS = {48: (48, 72), 56: (56, 72), 64: (72, 104), 96: (96, 128)}


def _nat64_ipv4(ip: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    start, end = _NAT64_LAYOUTS[prefix_length]
    bits = int(ip)
    if start < 64 < end:  # the address straddles the skipped u octet
        high = (bits >> (128 - 64)) & ((1 << (64 - start)) - 1)
        low_bits = 32 - (64 - start)
        low = (bits >> (128 - 72 - low_bits)) & ((1 << low_bits) - 1)
        return ipaddress.IPv4Address((high << low_bits) | low)
    return ipaddress.IPv4Address((bits >> (128 - end)) & 0xFFFFFFFF)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address reaches through a translation or tunnel, if any.

    IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), 6to4 (2002::/16), NAT64
    (64:ff9b::/96) and local-use NAT64 (64:ff9b:1::/48, every RFC 6052 layout): each can
    carry 127.0.0.1 or 169.254.169.254 inside an address that looks global.
    """
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are themselves
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip in _LOCAL_NAT64:
        return [_nat64_ipv4(ip, length) for length in _NAT64_LAYOUTS]
    return []


def refusal(address: str, allowances: frozenset[str]) -> Message | None:
    """Why an address may not receive webhooks, or None when it may.

    Link-local (cloud metadata at 169.254.169.254), multicast, reserved and unspecified
    addresses are always refused; loopback and private ranges only when configured. An IPv6
    address that carries an IPv4 one (`embedded_ipv4`) is refused for what it carries, and a
    local-use NAT64 address is private whatever it carries.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        carried = embedded_ipv4(ip)
        for inner in carried:
            reason = _refusal(inner, allowances)
            if reason is not None:
                return reason
        if carried and ip not in _LOCAL_NAT64:
            return None  # the IPv4 address it reaches is allowed
    return _refusal(ip, allowances)


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allowances: frozenset[str]) -> Message | None:
    if ip.is_loopback:
        return None if "loopback" in allowances else Message("webhook.url_loopback", address=str(ip))
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return Message("webhook.url_reserved", address=str(ip))
    if ip.is_private or not ip.is_global or ip in _LOCAL_NAT64:
        return None if "private" in allowances else Message("webhook.url_private", address=str(ip))
    return None
