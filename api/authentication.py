"""``Authorization: Bearer gch_…``: the token's digest looked up, refused (401) when it is
unknown, revoked, expired or its owner's account is closed."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import TOKEN_START, ApiToken, digest_of


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        keyword, _space, secret = header.partition(" ")
        if keyword != self.keyword:
            return None
        secret = secret.strip()
        if not secret.startswith(TOKEN_START):
            raise exceptions.AuthenticationFailed(_("Unknown API token."))
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown API token."))
        if not token.is_usable:
            raise exceptions.AuthenticationFailed(_("This API token is revoked or expired."))
        if not token.user.is_active or token.user.erased_at is not None:
            raise exceptions.AuthenticationFailed(_("Unknown API token."))
        # Once a minute at most, so that a busy client does not write on every call.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
