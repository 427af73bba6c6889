from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from portal import exports


@login_required
@require_safe
def export(request, fmt):
    """The staff list of activity reports, for its current filter, in ``fmt``: csv,
    csv-excel, xlsx, ods or json (see ``portal.exports``)."""
    return exports.respond(request, "reports", fmt)
