"""The localities of a Belgian postcode, for the script that fills the municipality field's
list as the postcode is typed (``portal/static/portal/postcodes.js``). Without the script,
the form offers the same list once submitted (``portal.forms.LocalityInput``)."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal import postcodes


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def localities(request, code):
    """bpost's localities for ``code``, in alphabetical order; 404 for an unknown postcode.
    Public and read-only: the list is bpost's, the same for everyone."""
    served = postcodes.localities(code)
    if not served:
        raise Http404
    return JsonResponse({"postcode": code, "localities": list(served)})
