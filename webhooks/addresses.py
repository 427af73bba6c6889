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


def _is_public(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


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
