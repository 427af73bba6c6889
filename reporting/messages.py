"""The messages the reporting app sends (``portal.messages``): about an activity report,
with the placeholders of its label and its dossier (``labels.messages``)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.messages import DOSSIER
from labels.messages import LABEL, about_label, example_label, required
from portal.dates import long_date
from portal.links import absolute_url
from portal.messages import Message, Placeholder
from reporting.models import ActivityReport

PERIOD = Placeholder("period", _("the report's period, e.g. Q3 2026"), required=True)
DUE_ON = Placeholder("due_on", _("the day the report is due"))
REPORT_LINK = Placeholder(
    "report_link", _("the address of the report's page, where the holder fills and submits it")
)
STAFF_REPORT_LINK = Placeholder(
    "report_link", _("the address of the page where the officer reviews the report")
)
COMMENT = Placeholder("comment", _("the officer's comment, or nothing when none was given"))
CORRECTIONS = Placeholder("comment", _("what the officer asks to correct"), required=True)


def _values(staff: bool = False):
    def values(context) -> dict[str, object]:
        report = context["report"]
        if staff:
            page = reverse("reporting:staff_detail", args=[report.pk])
        else:
            page = report.get_absolute_url()
        return {
            **about_label(report.label, staff=staff),
            "period": report.period_name,
            "due_on": long_date(report.due_on),
            "report_link": absolute_url(page),
            "comment": context.get("comment", ""),
        }

    return values


def _programme(context):
    return context["report"].label.programme


def example_report(application) -> ActivityReport:
    """The first report of the dossier's label, or an unsaved one for its first quarter
    (numbered 0: its links show the shape of the address)."""
    label = example_label(application)
    if label.pk is not None:
        report = label.reports.order_by("period_start").first()
        if report is not None:
            return report
    start = label.issued_on.replace(day=1)
    end = (start + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1)
    return ActivityReport(
        pk=0, label=label, period_start=start, period_end=end, due_on=end + dt.timedelta(days=30)
    )


def _example(**extra):
    def example(application):
        return {"report": example_report(application), **extra}

    return example


def _message(name, title, placeholders, *, order, staff=False, **example) -> Message:
    return Message(
        key=f"reporting/emails/{name}",
        title=title,
        placeholders=(*placeholders, *LABEL, *DOSSIER),
        values=_values(staff),
        programme=_programme,
        example=_example(**example),
        order=order,
    )


MESSAGES = [
    _message(
        "reminder",
        _("Activity report: reminder before it is due"),
        (PERIOD, *required([DUE_ON], "due_on"), REPORT_LINK),
        order=80,
    ),
    _message(
        "overdue",
        _("Activity report overdue"),
        (PERIOD, *required([DUE_ON], "due_on"), REPORT_LINK),
        order=81,
    ),
    _message(
        "submitted",
        _("Activity report submitted (to the programme's officers)"),
        (PERIOD, DUE_ON, STAFF_REPORT_LINK),
        order=82,
        staff=True,
    ),
    _message(
        "returned",
        _("Activity report returned for corrections"),
        (PERIOD, DUE_ON, REPORT_LINK, CORRECTIONS),
        order=83,
        comment=_("(what the officer asks to correct)"),
    ),
    _message(
        "accepted",
        _("Activity report accepted"),
        (PERIOD, DUE_ON, REPORT_LINK, COMMENT),
        order=84,
        comment=_("(the officer's comment, if any)"),
    ),
]
