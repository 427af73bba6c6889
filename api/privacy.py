"""What the API keeps about a person (see ``portal.privacy``): their tokens (never the
secret: it is not stored) and the log of the calls made with them or in their name."""

from django.db.models import Count

from api.models import ApiCall, ApiToken
from portal.models import User
from portal.privacy import Holder, when


def _collect(user: User) -> dict:
    calls = ApiCall.objects.filter(user=user)
    return {
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": f"gch_{token.prefix}",
                "scopes": token.scopes,
                "created_on": when(token.created_at),
                "valid_until": token.expires_on.isoformat(),
                "revoked_on": when(token.revoked_at),
                "last_used_on": when(token.last_used_at),
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "api_calls": {
            "count": calls.count(),
            "by_status": dict(
                calls.values_list("status").annotate(n=Count("pk")).order_by("status")
            ),
            "last": [
                {
                    "at": when(call.at),
                    "method": call.method,
                    "path": call.path,
                    "status": call.status,
                }
                for call in calls.order_by("-at", "-pk")[:100]
            ],
        },
    }


def _erase(user: User) -> None:
    """Tokens only served their owner: they go (the calls' log keeps the anonymised account)."""
    ApiToken.objects.filter(user=user).delete()


HOLDER = Holder("api", collect=_collect, erase=_erase)
