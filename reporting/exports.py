"""The staff list of activity reports as an export (see ``portal.exports``)."""

from django.http import Http404

from applications.models import Programme
from portal.exports import Source
from reporting.filters import ActivityReportFilter
from reporting.models import ActivityReport
from reporting.resources import ActivityReportResource


def report_source(user, query, scope="") -> Source:
    """The reports of the programmes ``user`` works on, filtered like the staff list;
    404 for someone who works on none."""
    if not Programme.objects.staff_visible_to(user).exists():
        raise Http404
    reports = ActivityReport.objects.staff_visible_to(user).order_by(
        "due_on", "label__number", "pk"
    )
    filtered = ActivityReportFilter(query or None, queryset=reports).qs
    return Source(ActivityReportResource(), filtered, "activity-reports")
