"""The staff list of activity reports as an export (see ``portal.exports``)."""

from django.utils.translation import gettext_lazy as _

from portal.exports import Source
from reporting.filters import staff_reports
from reporting.resources import ActivityReportResource, indicators_in


def report_source(user, query, scope="") -> Source:
    """The staff list of reports with its filter (see ``reporting.filters.staff_reports``),
    and a column for each indicator of the listed reports' programmes."""
    reports = staff_reports(user, query).qs
    resource = ActivityReportResource(indicators=indicators_in(reports))
    return Source(resource, reports, _("Activity reports"))
