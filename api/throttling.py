"""Rate limits: per token owner (all of a person's tokens share one budget, so that making
more tokens gives no more calls), per address for anonymous callers. The rates are read
from ``API_THROTTLE_RATES`` at each request, so that settings (and tests) can change them."""

from django.conf import settings
from rest_framework import throttling

from api.models import ApiToken


class TokenRateThrottle(throttling.SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.user_id}


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    scope = "anonymous"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
