"""Creating the reports of each period, reminding their holders, and moving reports through
their machine (SPEC §3 ActivityReport, §6)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services import members_of, officers_of
from labels.models import Label
from portal.emails import send_to_user
from portal.models import User
from portal.transitions import perform
from reporting import signals
from reporting.indicators import check_values
from reporting.models import ActivityReport, Indicator, ReportingSchedule, overdue_condition


class ReportLocked(Exception):
    """The report was filed or reviewed in the meantime: it can no longer be changed."""


def generate_reports(today: dt.date | None = None) -> int:
    """Create the missing report of every label valid during a period of its
    programme's schedule that has ended. Idempotent: a period already asked is skipped,
    and the unique (label, period) constraint settles two runs at once."""
    today = today or timezone.localdate()
    created = 0
    for schedule in ReportingSchedule.objects.select_related("programme"):
        periods = list(schedule.periods_ended_by(today))
        if not periods:
            continue
        # Labels whose validity overlaps the periods: an expired label still owes the
        # report of its last period; a revoked or superseded one owes nothing more.
        labels = (
            Label.objects.exclude(state__in=[Label.State.REVOKED, Label.State.RENEWED])
            .filter(
                programme=schedule.programme,
                issued_on__lte=periods[-1][1],
                valid_until__gte=periods[0][0],
            )
            .only("pk", "issued_on", "valid_until")
        )
        asked = set(
            ActivityReport.objects.filter(
                label__in=labels, period_start__gte=periods[0][0]
            ).values_list("label_id", "period_start")
        )
        missing = [
            ActivityReport(
                label=label,
                period_start=start,
                period_end=end,
                due_on=schedule.due_on(end),
            )
            for label in labels
            for start, end in periods
            # The period overlaps the label's validity.
            if label.issued_on <= end
            and start <= label.valid_until
            and (label.pk, start) not in asked
        ]
        ActivityReport.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
        created += len(missing)
    return created


def _first_report(schedule: ReportingSchedule, label: Label, day: dt.date) -> ActivityReport | None:
    """The first report ``label`` owes under ``schedule`` (unsaved): the period that holds
    ``day``, or the schedule's first period if it starts later; none beyond its validity."""
    start, end = next(schedule.periods_ended_by(dt.date.max))
    if day > end:
        start, end = schedule.period_containing(day)
    if start > label.valid_until:
        return None
    return ActivityReport(
        label=label, period_start=start, period_end=end, due_on=schedule.due_on(end)
    )


def ask_first_report(label: Label, day: dt.date | None = None) -> ActivityReport | None:
    """Ask ``label``'s first report — the period of its programme's schedule that holds
    ``day`` (the issue day by default), or the schedule's first period if it starts later —
    so that the holder knows from the start what is due, and when. Nothing without a
    schedule, beyond the label's validity, or when that period was already asked."""
    schedule = ReportingSchedule.objects.filter(programme=label.programme_id).first()
    if schedule is None:
        return None
    first = _first_report(schedule, label, day or label.issued_on)
    if first is None:
        return None
    report, created = ActivityReport.objects.get_or_create(
        label=label,
        period_start=first.period_start,
        defaults={"period_end": first.period_end, "due_on": first.due_on},
    )
    return report if created else None


@transaction.atomic
def set_schedule(schedule: ReportingSchedule) -> ReportingSchedule:
    """Save a programme's schedule; reports still open take the new number of days
    allowed. The frequency is fixed once reports were asked (periods must not overlap),
    which the form checks. Labels in force that were never asked a report are asked
    their first one now, in one insert whatever their number."""
    schedule.save()
    ActivityReport.objects.open().filter(label__programme=schedule.programme_id).update(
        due_on=F("period_end") + dt.timedelta(days=schedule.days_allowed)
    )
    today = timezone.localdate()
    unasked = Label.objects.public().filter(programme=schedule.programme_id, reports__isnull=True)
    firsts = (_first_report(schedule, label, max(today, label.issued_on)) for label in unasked)
    ActivityReport.objects.bulk_create(
        [report for report in firsts if report], ignore_conflicts=True
    )
    return schedule


def _holders(report: ActivityReport):
    return members_of(report.label.application)


def _officers(report: ActivityReport):
    return officers_of(report.label.application)


def _notify(users, report: ActivityReport, template: str, **context) -> None:
    for user in users:
        send_to_user(user, f"reporting/emails/{template}", {"report": report, **context})


def _claim(report: ActivityReport, field: str, today: dt.date) -> bool:
    """Mark ``field`` as sent today unless another run did: only the run that marks it sends."""
    return bool(
        ActivityReport.objects.filter(pk=report.pk, **{f"{field}__isnull": True}).update(
            **{field: today}
        )
    )


def send_reminders(today: dt.date | None = None) -> tuple[int, int]:
    """Remind holders of reports due within their schedule's reminder days, and tell them
    once when a report is overdue. Each reminder goes once per report, whatever the number
    of runs. Returns (reminders, overdue notices)."""
    today = today or timezone.localdate()
    open_reports = ActivityReport.objects.open().select_related("label__application__call")
    reminded = noticed = 0
    # Each schedule has its own reminder days: one window per programme.
    windows = Q()
    for schedule in ReportingSchedule.objects.all():
        windows |= Q(
            label__programme=schedule.programme_id,
            due_on__range=(today, today + dt.timedelta(days=schedule.reminder_days)),
        )
    if windows:
        upcoming = open_reports.filter(windows, reminder_sent_on__isnull=True)
    else:
        upcoming = open_reports.none()
    for report in upcoming:
        with transaction.atomic():
            if _claim(report, "reminder_sent_on", today):
                _notify(_holders(report), report, "reminder")
                reminded += 1
    overdue = open_reports.filter(overdue_condition(today), overdue_notice_sent_on__isnull=True)
    for report in overdue:
        with transaction.atomic():
            if _claim(report, "overdue_notice_sent_on", today):
                _notify(_holders(report), report, "overdue")
                noticed += 1
    return reminded, noticed


def save_draft(report: ActivityReport, values: dict, narrative: str, *, by: User) -> ActivityReport:
    """Save what the holder typed, complete or not: ``values`` as stored (see
    ``reporting.indicators.ReportForm.values``, which checked them). Raises ``ReportLocked``
    if the report was filed or reviewed meanwhile (the holder's text is kept on the page).

    The programme's indicators are locked and the values checked again against them: an
    officer who changed an indicator's bounds or deleted it since the form was read (which
    ``reporting.indicatorbuilder`` does under the same lock, after checking the values
    given) cannot be undone by a draft; a ``ValidationError`` by code says what no longer
    holds."""
    with transaction.atomic():
        current = ActivityReport.objects.select_for_update().get(pk=report.pk)
        if not current.is_editable:
            raise ReportLocked
        indicators = list(
            Indicator.objects.select_for_update().filter(programme__labels=current.label_id)
        )
        known = {indicator.code for indicator in indicators}
        values = {code: value for code, value in values.items() if code in known}
        errors = check_values(indicators, values, current.period_days)
        if errors:
            raise ValidationError(errors)
        current.values = values
        current.narrative = narrative or ""
        current.save(update_fields=["values", "narrative"])
    # The indicators asked do not change with the values: no need to read them again.
    if "_asked" in report.__dict__:
        current._asked = report._asked
    current.label = report.label
    return current


def submit(report: ActivityReport, *, by: User) -> None:
    """File the report: every required indicator it asks and the narrative present (values
    were validated when saved). The programme's officers are told."""

    def check() -> list[str]:
        missing = report.missing()
        if missing:
            return [_("Still missing: %(fields)s.") % {"fields": ", ".join(missing)}]
        return []

    with transaction.atomic():
        report.refresh_from_db()
        perform(report, "submit", by=by, check=check)
        _notify(_officers(report), report, "submitted")


def accept(report: ActivityReport, *, by: User, comment: str = "") -> None:
    with transaction.atomic():
        perform(report, "accept", by=by, comment=comment)
        _notify(_holders(report), report, "accepted", comment=comment)
        transaction.on_commit(lambda: signals.report_accepted.send(ActivityReport, report=report))


def return_problems(comment: str) -> list[str]:
    """Why a report cannot be returned with ``comment``: the holder must learn what to
    correct."""
    return [] if comment.strip() else [_("Say what must be corrected.")]


def return_for_corrections(report: ActivityReport, *, by: User, comment: str) -> None:
    """Send the report back to its holder; the comment says what to correct."""
    with transaction.atomic():
        perform(
            report,
            "return_for_corrections",
            by=by,
            comment=comment,
            check=lambda: return_problems(comment),
        )
        _notify(_holders(report), report, "returned", comment=comment)
