"""Resolving a webhook's host and checking every address it resolves to, before any connection."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from patron.events.webhook_rules import refusal
from patron.kernel.messages import Message


class AddressRefused(Exception):
    """The URL may not receive webhooks (bad form, unresolvable, or a forbidden address)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal address resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(Message("webhook.url_unresolvable", host=host, reason=str(exc))) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str, allowances: frozenset[str]) -> tuple[str, int, str]:
    """(host, port, address to connect to) for an allowed http(s) URL; AddressRefused otherwise.

    Every resolved address must be allowed, so a name cannot hide a private address
    behind a public one; the caller connects to the returned, checked address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(Message("webhook.url_scheme"))
    if parts.username or parts.password:
        raise AddressRefused(Message("webhook.url_credentials"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused(Message("webhook.url_port")) from None
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise AddressRefused(Message("webhook.url_no_address", host=parts.hostname))
    for address in addresses:
        reason = refusal(address, allowances)
        if reason is not None:
            raise AddressRefused(reason)
    return parts.hostname, port, addresses[0]
