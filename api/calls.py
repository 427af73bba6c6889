"""The log of API calls: one row per request, whatever its answer."""

from api.models import ApiCall, ApiToken


def record(request, response) -> None:
    """Write down who called what, when, and the status answered."""
    token = getattr(request, "auth", None)
    token = token if isinstance(token, ApiToken) else None
    user = getattr(request, "user", None)
    ApiCall.objects.create(
        token=token,
        user=user if user is not None and user.is_authenticated else None,
        method=request.method[:10],
        path=request.get_full_path()[:2000],
        status=response.status_code,
    )


class Logged:
    """Mixed into every API view: each answer is recorded in ``ApiCall``."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record(request, response)
        return response
