"""Sign-in through OpenID Connect providers: the federal authentication service (FAS, with
CSAM's eID and itsme), itsme directly, or any other provider an administrator configures.

Providers are configuration, not code: ``settings.OIDC_PROVIDERS`` (the ``OIDC_PROVIDERS``
environment variable, JSON) lists them, each with its issuer, client id and the name of the
environment variable holding its secret (docs/sign-in.md). Authlib does the protocol:
discovery, the authorisation-code flow with PKCE (S256), state and nonce kept in the session,
the ID token's signature, issuer, audience and expiry.

This module decides who the person is (``account_for``), in this order: the provider's
subject already linked to an account; the Belgian national number, which is never kept in
clear, only as a keyed hash (HMAC-SHA256 with ``NATIONAL_NUMBER_HASH_KEY``); an email address
the provider says it verified; else a new account, active at once (the provider verified the
address) in French. An address the provider did not verify never opens an existing account.
"""

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import ExternalIdentity, User

# Claim names differ between providers: the standard ones, then FAS's.
EMAIL_CLAIMS = ("email", "mail")
GIVEN_NAME_CLAIMS = ("given_name", "givenName")
FAMILY_NAME_CLAIMS = ("family_name", "surname")


@dataclass(frozen=True)
class Provider:
    """One configured OpenID Connect provider."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str = "openid email profile"
    # The claim carrying the Belgian national number, if the provider sends one
    # (FAS: "egovNRN"; itsme: "http://itsme.services/v2/claim/BENationalNumber").
    national_number_claim: str = ""
    # Extra parameters of the authorisation request (FAS's acr_values, itsme's claims).
    authorize_params: dict = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


class SignInRefused(Exception):
    """The provider's answer cannot open an account; the message is for the person."""


def providers() -> list[Provider]:
    """The providers of ``settings.OIDC_PROVIDERS``, their secrets read from the environment."""
    configured = []
    for entry in settings.OIDC_PROVIDERS:
        try:
            secret_variable = entry.get("client_secret_env", "")
            configured.append(
                Provider(
                    name=entry["name"],
                    label=entry.get("label") or entry["name"],
                    issuer=entry["issuer"],
                    client_id=entry["client_id"],
                    client_secret=os.environ.get(secret_variable, "") if secret_variable else "",
                    scope=entry.get("scope", Provider.scope),
                    national_number_claim=entry.get("national_number_claim", ""),
                    authorize_params=entry.get("authorize_params", {}),
                )
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ImproperlyConfigured(
                f"OIDC_PROVIDERS: each provider needs a name, an issuer and a client_id ({error})."
            ) from None
    return configured


def get_provider(name: str) -> Provider | None:
    return next((provider for provider in providers() if provider.name == name), None)


_CLIENTS: dict[str, object] = {}


def client(provider: Provider):
    """The Authlib client of ``provider``; its discovery document is fetched once per process."""
    key = repr(provider)
    if key not in _CLIENTS:
        registry = OAuth()
        registry.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scope,
                "code_challenge_method": "S256",
                "timeout": 10,
            },
            authorize_params=provider.authorize_params or None,
        )
        _CLIENTS[key] = registry.create_client(provider.name)
    return _CLIENTS[key]


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the portal's hashing key: equal values match, and the
    value cannot be read back nor guessed from the hash without the key."""
    key = settings.NATIONAL_NUMBER_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def national_number_hash(value: str) -> str:
    """The keyed hash of a national number, whatever its punctuation (85.01.02-442.29)."""
    return keyed_hash("national-number", re.sub(r"\D", "", value))


def subject_hash(provider: Provider, subject: str) -> str:
    """The provider's identifier of the person, hashed too: some providers derive it from the
    national number."""
    return keyed_hash(f"subject:{provider.issuer}", subject)


def _first(claims: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _full_name(claims: dict) -> str:
    given, family = _first(claims, GIVEN_NAME_CLAIMS), _first(claims, FAMILY_NAME_CLAIMS)
    return " ".join(part for part in (given, family) if part) or _first(claims, ("name",))


def _known_person(number_hash: str, email: str) -> User | None:
    """The account of the same national number; else the account of an address the
    provider verified (``email`` is only passed on when verified)."""
    if number_hash and (user := User.objects.filter(national_number_hash=number_hash).first()):
        return user
    return User.objects.filter(email__iexact=email).first() if email else None


def _new_account(claims: dict, email: str) -> User:
    if not email:
        raise SignInRefused(
            _(
                "The sign-in service did not give your email address, which Guichet needs to "
                "write to you. Allow it to share your address, or create an account with a "
                "password."
            )
        )
    if User.objects.filter(email__iexact=email).exists():
        raise SignInRefused(
            _(
                "An account already uses the address %(email)s, and the sign-in service did not "
                "confirm that it is yours. Sign in with your password, then link this sign-in "
                "service from your profile."
            )
            % {"email": email}
        )
    return User.objects.create_user(
        email=email,
        password=None,
        full_name=_full_name(claims) or email,
        language=settings.LANGUAGE_CODE,
        # Confirmed by the provider, or at least nobody else's: no confirmation email.
        is_active=True,
    )


@transaction.atomic
def account_for(provider: Provider, claims: dict, *, current: User | None = None) -> User:
    """The account the provider's ``claims`` sign in to, found or created, and linked to the
    provider's subject for next time. With ``current`` (a person already signed in), the
    provider's identity is linked to that account instead.

    The national number, if any, is hashed here and nowhere kept in clear.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused(_("The sign-in service did not say who you are. Please try again."))
    number = claims.get(provider.national_number_claim) if provider.national_number_claim else ""
    number_hash = national_number_hash(str(number)) if number else ""
    email = _first(claims, EMAIL_CLAIMS).lower()
    verified = claims.get("email_verified") is True

    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider.name, subject_hash=subject_hash(provider, subject))
        .first()
    )
    user = (
        current
        or (identity.user if identity else None)
        or _known_person(number_hash, email if verified else "")
        or _new_account(claims, email)
    )
    if user.erased_at is not None:
        raise SignInRefused(_("This account was deleted."))
    if number_hash and user.national_number_hash != number_hash:
        if User.objects.filter(national_number_hash=number_hash).exclude(pk=user.pk).exists():
            raise SignInRefused(
                _("Another account is already linked to your identity. Sign in to that one.")
            )
        user.national_number_hash = number_hash
    if verified and email == user.email and not user.is_active:
        # An unconfirmed sign-up whose address the provider has just confirmed.
        user.is_active = True
    if not user.is_active:
        raise SignInRefused(_("This account is disabled. Please contact the administrators."))
    user.save()
    if identity is None or identity.user_id != user.pk:
        ExternalIdentity.objects.update_or_create(
            provider=provider.name,
            subject_hash=subject_hash(provider, subject),
            defaults={"user": user},
        )
    ExternalIdentity.objects.filter(provider=provider.name, user=user).update(
        last_used_at=timezone.now()
    )
    return user
