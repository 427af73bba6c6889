"""The agency's signing keys and the compact JWS they sign (docs/verifiable-labels.md).

Ed25519 keys (JOSE ``OKP``, algorithm ``EdDSA``) through joserfc. A key's private half is
kept in the database encrypted with ``LABEL_SIGNING_SECRET`` (Fernet, its key derived by
HKDF), so that a copy of the database alone signs nothing; it is only ever decrypted here,
to sign. The public halves, retired ones included, make ``/.well-known/jwks.json``: a
retired key signs nothing more, but what it signed still verifies.

``EdDSA`` is the algorithm name every JOSE verifier knows; RFC 9864 (2025) deprecates it in
favour of the fully-specified ``Ed25519``, which verifiers are only starting to accept. We
sign with ``EdDSA`` and accept both.
"""

import base64
import datetime as dt
import warnings
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from labels.models import SigningKey

ALGORITHM = "EdDSA"
ACCEPTED_ALGORITHMS = ["EdDSA", "Ed25519"]
# The members of a published key: public ones only (never ``d``, the private scalar).
PUBLIC_MEMBERS = ("kty", "crv", "x", "kid", "alg", "use")
# A member of our own (JWK allows them; verifiers ignore what they do not know) that tells
# an offline verifier a key is retired, and since when.
RETIRED_MEMBER = "retired_at"


class Forged(Exception):
    """The token is not one the agency signed: malformed, unknown key or bad signature."""


@dataclass(frozen=True)
class Verified:
    """A token whose signature checks, its claims and whether its key is retired."""

    claims: dict[str, Any]
    kid: str
    retired: bool


def _fernet() -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"guichet label signing keys").derive(
        settings.LABEL_SIGNING_SECRET.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def create_key() -> SigningKey:
    """A new key, the one that signs from now on; its identifier is its RFC 7638
    thumbprint."""
    key = OKPKey.generate_key("Ed25519")
    kid = key.thumbprint()
    public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
    return SigningKey.objects.create(
        kid=kid,
        public_jwk={member: public[member] for member in PUBLIC_MEMBERS},
        encrypted_private_key=_fernet().encrypt(key.as_pem(private=True)).decode(),
    )


def rotate() -> SigningKey:
    """Retire the keys in use and make a new one; the retired stay published."""
    with transaction.atomic():
        SigningKey.objects.select_for_update().filter(retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        return create_key()


def current_key() -> SigningKey:
    """The key that signs: the newest not retired, made on first need."""
    key = SigningKey.objects.filter(retired_at__isnull=True).first()
    return key if key is not None else create_key()


def _private(key: SigningKey) -> OKPKey:
    try:
        pem = _fernet().decrypt(key.encrypted_private_key.encode())
    except InvalidToken:
        raise ImproperlyConfigured(
            f"The label signing key {key.kid} cannot be decrypted: LABEL_SIGNING_SECRET "
            "(or SECRET_KEY when it is unset) is not the one it was made with."
        ) from None
    return OKPKey.import_key(pem, {"kid": key.kid})


def sign(claims: dict[str, Any]) -> str:
    """``claims`` as a compact JWS (a JWT) signed with the current key."""
    key = current_key()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's notice that EdDSA is deprecated (above)
        return jwt.encode(
            {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"},
            claims,
            _private(key),
            algorithms=[ALGORITHM],
        )


def published_jwk(key: SigningKey) -> dict[str, Any]:
    jwk = {member: key.public_jwk[member] for member in PUBLIC_MEMBERS if member in key.public_jwk}
    if key.retired_at is not None:
        jwk[RETIRED_MEMBER] = key.retired_at.isoformat(timespec="seconds")
    return jwk


def jwks() -> dict[str, Any]:
    """The published key set: every key's public half, the one in use first, then the
    retired ones, the latest retired first."""
    keys = SigningKey.objects.order_by(F("retired_at").desc(nulls_first=True), "-created_at")
    return {"keys": [published_jwk(key) for key in keys]}


def kid_of(token: str) -> str | None:
    """The key id a token's header names, unverified."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jws.extract_compact(token.encode()).protected.get("kid")
    except (JoseError, ValueError, TypeError, UnicodeError):
        return None


def verify(token: str, key_set: dict[str, Any]) -> Verified:
    """The claims of ``token`` if a key of ``key_set`` (a JWKS document) signed it; raises
    ``Forged`` otherwise. Reads nothing but its arguments: it runs offline."""
    token = (token or "").strip()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            header = jws.extract_compact(token.encode()).protected
    except (JoseError, ValueError, TypeError, UnicodeError) as error:
        raise Forged("malformed") from error
    if header.get("alg") not in ACCEPTED_ALGORITHMS:
        raise Forged("algorithm")
    kid = header.get("kid")
    jwk = next(
        (
            key
            for key in key_set.get("keys", [])
            if isinstance(key, dict) and key.get("kid") == kid and key.get("kty") == "OKP"
        ),
        None,
    )
    if jwk is None:
        raise Forged("unknown key")
    try:
        public = OKPKey.import_key({member: jwk[member] for member in ("kty", "crv", "x")})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            claims = jwt.decode(token, public, algorithms=ACCEPTED_ALGORITHMS).claims
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise Forged("signature") from error
    return Verified(claims=claims, kid=kid, retired=RETIRED_MEMBER in jwk)


def timestamp(moment: dt.datetime) -> int:
    return int(moment.timestamp())
