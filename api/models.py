"""API tokens and the log of every API call.

A token is shown once, when it is made: only its SHA-256 digest is stored, with a short
prefix that names it in lists and logs. A token reads what its scopes name *and* what its
owner may read at the time of the request (``api.scopes``), never more."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_START = "gch_"


def digest_of(secret: str) -> str:
    """The stored form of a token: its SHA-256, hexadecimal. A token is 256 random bits, so
    a fast hash is enough (no password stretching needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, today=None) -> "ApiTokenQuerySet":
        """Not revoked and not past their last valid day (Brussels)."""
        return self.filter(revoked_at__isnull=True, expires_on__gte=today or timezone.localdate())


class ApiToken(models.Model):
    """A person's token for the API: its scopes, its last valid day, its revocation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_START}{self.prefix}…)"

    @classmethod
    def make(cls, user, *, name: str, scopes: list[str], expires_on) -> tuple["ApiToken", str]:
        """A new token and its secret, which is never stored nor shown again."""
        prefix = secrets.token_hex(4)
        secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=digest_of(secret),
            scopes=sorted(set(scopes)),
            expires_on=expires_on,
        )
        return token, secret

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class ApiCall(models.Model):
    """One request to the API: which token, whose, when, what, and the answer's status."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
