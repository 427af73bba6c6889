"""Who reaches which endpoints; what they then see is scoped by ``api.scopes``."""

from rest_framework import permissions

from api.models import ApiToken
from api.scopes import PUBLIC


class PublicRead(permissions.BasePermission):
    """Anyone reads the public endpoints; a token presented there must carry ``read:public``
    (a token is used only for what it was made for)."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return not isinstance(token, ApiToken) or PUBLIC in token.scopes


class StaffToken(permissions.BasePermission):
    """The staff endpoints answer a token only (401 without one); each endpoint then reads
    only the programmes that the token and its owner both may read."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken)
