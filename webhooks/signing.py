"""The signature of a delivery, and how a receiver checks it.

``Guichet-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is HMAC-SHA256, keyed with the
endpoint's secret, of ``<t>.<raw body>``. Signing the timestamp with the body lets a receiver
refuse a replayed request: a captured delivery cannot be sent again later with a new time.
``verify`` is what a receiver in Python does (docs/webhooks.md shows it); the tests use it.
"""

import hashlib
import hmac
import time

TOLERANCE = 300  # seconds a receiver should accept between the signature's time and its clock


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the ``Guichet-Signature`` header."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


class InvalidSignature(Exception):
    pass


def verify(
    secret: str, value: str, body: bytes, *, tolerance: int = TOLERANCE, now: float | None = None
) -> int:
    """Check a ``Guichet-Signature`` header against the raw body; its timestamp, or
    ``InvalidSignature`` when it is malformed, forged or too old (or too far ahead)."""
    parts = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise InvalidSignature("malformed signature header") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        raise InvalidSignature("signature does not match")
    return timestamp
