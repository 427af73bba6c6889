"""The reporting obligations of the grant letter (registered in ``apps.py``): how often
the labelled space reports, and when its first report is due."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import dates
from portal.letters import LetterSection
from reporting.models import ActivityReport, ReportingSchedule


def reporting_section(application) -> LetterSection | None:
    schedule = ReportingSchedule.objects.filter(programme=application.call.programme_id).first()
    if schedule is None:
        return None
    paragraphs = [
        ngettext(
            "The labelled space reports on its activity on the portal (%(frequency)s report), "
            "within %(days)s day after the end of each period.",
            "The labelled space reports on its activity on the portal (%(frequency)s report), "
            "within %(days)s days after the end of each period.",
            schedule.days_allowed,
        )
        % {"frequency": schedule.get_frequency_display(), "days": schedule.days_allowed}
    ]
    first = ActivityReport.objects.filter(label__application=application).order_by("due_on").first()
    if first is not None:
        paragraphs.append(
            _("The first report, on %(start)s to %(end)s, is due on %(due)s.")
            % {
                "start": dates.long_date(first.period_start),
                "end": dates.long_date(first.period_end),
                "due": dates.long_date(first.due_on),
            }
        )
    return LetterSection(heading=_("Reporting obligations"), paragraphs=paragraphs, order=30)
