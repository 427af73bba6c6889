"""Which addresses the portal posts to, so that a webhook cannot make it reach inside the
network it runs in (server-side request forgery).

Only ``https`` addresses whose host resolves to public addresses are accepted; an address
of the machine itself (``http://127.0.0.1``, ``http://localhost``), in http or https, only
when ``WEBHOOKS_ALLOW_LOCALHOST`` is on (development and tests). The check runs when an
endpoint is saved and again before each attempt, since a name may later resolve elsewhere.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


class RefusedAddress(ValueError):
    pass


def _resolve(host: str, port: int) -> set[ipaddress._BaseAddress]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise RefusedAddress(_("This host name cannot be found.")) from None
    return {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, IPv4-compatible):
# a network may route them to that IPv4 address.
_EMBEDDING = [ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "::/96")]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if any(address in network for network in _EMBEDDING):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_public(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not _is_public(embedded):
            return False
    return address.is_global and not address.is_multicast


def check_peer(host: str, peer: str) -> None:
    """Raise ``RefusedAddress`` unless the address a connection to ``host`` actually reached
    is one the portal may post to: checked on the open socket, so that a name answering a
    public address to the check and an internal one to the connection (DNS rebinding) is
    caught."""
    address = ipaddress.ip_address(peer.split("%")[0])
    local_allowed = getattr(settings, "WEBHOOKS_ALLOW_LOCALHOST", False)
    if local_allowed and host.lower().strip("[]") in LOCAL_NAMES and address.is_loopback:
        return
    if not _is_public(address):
        raise RefusedAddress(
            _("This address leads to a private or internal network; it is not accepted.")
        )


def check(url: str) -> None:
    """Raise ``RefusedAddress`` (with a reason for the officer) unless the portal may post
    to ``url``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise RefusedAddress(_("Give a full address, starting with https://."))
    if parts.username or parts.password:
        raise RefusedAddress(_("An address with a user name or password is not accepted."))
    local_allowed = getattr(settings, "WEBHOOKS_ALLOW_LOCALHOST", False)
    if host in LOCAL_NAMES and local_allowed and parts.scheme in ("http", "https"):
        return
    if parts.scheme != "https":
        raise RefusedAddress(_("Only https addresses are accepted."))
    try:
        port = parts.port or 443
    except ValueError:
        raise RefusedAddress(_("The port of this address is not valid.")) from None
    if not all(_is_public(address) for address in _resolve(host, port)):
        raise RefusedAddress(
            _("This address leads to a private or internal network; it is not accepted.")
        )
