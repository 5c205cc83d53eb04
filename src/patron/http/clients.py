"""The client's address: the TCP peer, or what X-Forwarded-For says when the peer is a trusted proxy.

PATRON_TRUSTED_PROXIES lists the proxies (IP addresses or CIDR networks; none by default).
Without it X-Forwarded-For is anyone's to write, and a rate limit per address would count
whatever address each request claims. `patron serve` gives uvicorn the same list, and the
app applies it itself too, so it holds under any server: the same walk as uvicorn's, so
applied twice it answers the same.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from litestar import Request

from patron.config import Network


class TrustedProxies:
    def __init__(self, networks: Iterable[Network] = ()) -> None:
        self.networks = tuple(networks)

    def trusts(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def client_address(self, peer: str | None, forwarded_for: Iterable[str]) -> str | None:
        """The peer, or the last address before the trusted proxies in X-Forwarded-For."""
        if peer is None or not self.networks or not self.trusts(peer):
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop[:100]
        return hops[0] if hops else peer  # every hop is a proxy of ours: the first is the client


def client_address(request: Request[Any, Any, Any]) -> str | None:
    """The address rate limits and consent records count this request from."""
    proxies: TrustedProxies = request.app.state.trusted_proxies
    peer = request.client.host if request.client else None
    return proxies.client_address(peer, request.headers.getall("x-forwarded-for", []))
