from django.contrib.auth.decorators import login_required

from portal import exports


@login_required
def export(request, fmt):
    """The staff list of activity reports, for its current filter, in ``fmt``: csv,
    csv-excel, xlsx, ods or json (see ``portal.exports``)."""
    return exports.respond(request, "reports", fmt)
