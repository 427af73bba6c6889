from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from portal import exports


@login_required
@require_safe
def reviews_export(request, slug, fmt):
    """The submitted reviews of a call, one column per criterion, for the dossier list's
    current filter (see ``portal.exports``); staff of the call's programme only."""
    return exports.respond(request, "reviews", fmt, scope=slug)
