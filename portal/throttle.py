"""Limits on actions that send email to an address someone types (sign-up, password reset,
invitations), so that nobody uses the portal to flood an inbox. Counters live in the cache."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.utils.crypto import salted_hmac

HOUR = 3600


def allow(action: str, key: str, limit: int, period: int = HOUR) -> bool:
    """Count one ``action`` for ``key``; False once ``limit`` is passed within ``period``."""
    name = f"throttle:{action}:{key.lower()}"
    cache.add(name, 0, period)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, period)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    return get_client_ip_address(request) or "unknown"


def pseudonym(value: str) -> str:
    """A stable stand-in for an address or IP in logs: the same person's attempts can be told
    apart and counted, but the log does not hold who they are."""
    return salted_hmac("portal.throttle.pseudonym", value.lower()).hexdigest()[:12]


def sign_in_client(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines (AXES_CLIENT_STR_CALLABLE)."""
    return f"{{user: {pseudonym(username or '')}, ip: {pseudonym(ip_address or '')}}}"
