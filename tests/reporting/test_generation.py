"""The daily job asks for each period's report once and reminds holders once."""

import datetime as dt

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation

from labels import services as label_services
from labels.models import Label
from portal.transitions import perform
from reporting import services
from reporting.models import ActivityReport, ReportingSchedule
from tests.labels.conftest import granted
from tests.pages import text_of


def periods_of(label):
    return list(
        ActivityReport.objects.filter(label=label)
        .order_by("period_start")
        .values_list("period_start", "period_end", "due_on")
    )


def test_reports_are_asked_for_each_ended_period_once(schedule, label):
    # The first one was asked when the label was issued (15 December 2025).
    assert services.generate_reports(today=dt.date(2026, 7, 1)) == 1
    assert periods_of(label) == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 30)),
    ]
    assert services.generate_reports(today=dt.date(2026, 7, 1)) == 0
    assert services.generate_reports(today=dt.date(2026, 10, 5)) == 1
    assert len(periods_of(label)) == 3


def test_no_report_for_periods_before_the_schedule_or_after_the_label(schedule, call, officer):
    schedule.starts_on = dt.date(2026, 2, 15)  # the first whole quarter is Q2
    schedule.save()
    label = label_services.issue_label(granted(call), today=dt.date(2025, 12, 15))
    Label.objects.filter(pk=label.pk).update(valid_until=dt.date(2026, 8, 31))
    services.generate_reports(today=dt.date(2027, 1, 10))
    assert [start for start, _end, _due in periods_of(label)] == [
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
    ]


def test_revoked_labels_are_not_asked_for_reports(schedule, label, officer):
    perform(label, "revoke", by=officer, comment="Fraude")
    assert services.generate_reports(today=dt.date(2026, 7, 1)) == 0


def test_half_yearly_and_yearly_schedules(schedule, call, officer):
    schedule.frequency = "half_yearly"
    schedule.save()
    label = label_services.issue_label(granted(call), today=dt.date(2025, 12, 15))
    services.generate_reports(today=dt.date(2027, 1, 2))
    assert [(s, e) for s, e, _ in periods_of(label)] == [
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
    ]
    ActivityReport.objects.all().delete()
    schedule.frequency = "yearly"
    schedule.save()
    services.generate_reports(today=dt.date(2027, 1, 2))
    assert [(s, e) for s, e, _ in periods_of(label)] == [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ]


def reminders_to(address):
    return [message.subject for message in mail.outbox if address in message.to]


def test_reminders_are_sent_once_before_the_due_date_and_once_when_overdue(
    schedule, label, holder, django_capture_on_commit_callbacks
):
    services.generate_reports(today=dt.date(2026, 4, 2))  # Q1 2026, due on 30 April
    run = lambda day: services.send_reminders(today=day)  # noqa: E731

    with django_capture_on_commit_callbacks(execute=True):
        assert run(dt.date(2026, 4, 22)) == (0, 0)  # 8 days before: too early
        assert run(dt.date(2026, 4, 23)) == (1, 0)
        assert run(dt.date(2026, 4, 24)) == (0, 0)
        assert run(dt.date(2026, 4, 30)) == (0, 0)  # due today: not overdue yet
        assert run(dt.date(2026, 5, 1)) == (0, 1)
        assert run(dt.date(2026, 5, 20)) == (0, 0)
    subjects = reminders_to(holder.email)
    assert len(subjects) == 2
    assert "30 avril 2026" in subjects[0]
    assert "en retard" in subjects[1]


def test_a_filed_report_gets_no_reminder(schedule, label, holder):
    services.generate_reports(today=dt.date(2026, 4, 2))
    report = ActivityReport.objects.get()
    ActivityReport._meta.get_field("state").set_state(report, ActivityReport.State.SUBMITTED)
    report.save()
    assert services.send_reminders(today=dt.date(2026, 5, 10)) == (0, 0)


def test_the_daily_command_is_idempotent_over_time(schedule, label, holder, capsys):
    with time_machine.travel(dt.datetime(2026, 4, 25, 6, 0, tzinfo=dt.UTC), tick=False):
        call_command("report_jobs")
        call_command("report_jobs")
    with time_machine.travel(dt.datetime(2026, 7, 3, 6, 0, tzinfo=dt.UTC), tick=False):
        call_command("report_jobs")
        call_command("report_jobs")
    output = capsys.readouterr().out.splitlines()
    assert output == [  # Q1 was asked at issuance
        "0 report(s) asked, 1 reminder(s) and 0 overdue notice(s) sent.",
        "0 report(s) asked, 0 reminder(s) and 0 overdue notice(s) sent.",
        "1 report(s) asked, 0 reminder(s) and 1 overdue notice(s) sent.",
        "0 report(s) asked, 0 reminder(s) and 0 overdue notice(s) sent.",
    ]
    assert ActivityReport.objects.overdue(dt.date(2026, 7, 3)).count() == 1


def test_an_expired_label_still_owes_its_last_period(schedule, label):
    Label.objects.filter(pk=label.pk).update(valid_until=dt.date(2026, 5, 15))
    label.refresh_from_db()
    perform(label, "expire", by=None, system=True)
    services.generate_reports(today=dt.date(2026, 7, 2))
    assert [start for start, _end, _due in periods_of(label)] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
    ]


def test_a_report_returned_after_its_due_date_is_not_overdue(schedule, label, holder):
    services.generate_reports(today=dt.date(2026, 4, 2))
    report = ActivityReport.objects.get()
    ActivityReport._meta.get_field("state").set_state(report, ActivityReport.State.RETURNED)
    report.save()
    assert not ActivityReport.objects.overdue(dt.date(2026, 6, 1)).exists()
    assert services.send_reminders(today=dt.date(2026, 6, 1)) == (0, 0)


def test_a_label_issued_under_a_schedule_is_asked_its_first_report_at_once(
    schedule, call, officer, client
):
    label = label_services.issue_label(granted(call), today=dt.date(2026, 5, 12))

    # The quarter of the issue day, due 30 days after it ends: no wait for the daily job.
    assert periods_of(label) == [(dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 30))]
    holder = label.organisation.memberships.get().user
    holder.language = "en"  # (the French wording awaits the reporting catalogue)
    holder.save()
    client.force_login(holder)
    page = text_of(client.get(reverse("portal:role_dashboard", args=["applicant"])))
    with translation.override("en"):
        due = formats.date_format(dt.date(2026, 7, 30), "DATE_FORMAT")
    assert f"Next activity report due on {due}" in page
    # The daily job does not ask it a second time.
    assert services.generate_reports(today=dt.date(2026, 7, 2)) == 0


def test_a_label_issued_before_its_programme_has_a_schedule_is_asked_when_it_gets_one(
    call, officer, programme
):
    label = label_services.issue_label(granted(call), today=dt.date(2026, 5, 12))
    assert periods_of(label) == []

    with time_machine.travel(dt.datetime(2026, 8, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        services.set_schedule(ReportingSchedule(programme=programme, starts_on=dt.date(2026, 7, 1)))

    assert periods_of(label) == [(dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 30))]


def test_no_first_report_without_a_schedule_or_for_a_label_ending_before_it(
    call, officer, programme
):
    ReportingSchedule.objects.create(programme=programme, starts_on=dt.date(2030, 1, 1))
    label = label_services.issue_label(granted(call), today=dt.date(2026, 5, 12))

    assert label.valid_until < dt.date(2030, 1, 1)
    assert periods_of(label) == []


def test_a_new_schedule_asks_every_label_in_force_in_a_few_queries(
    call, officer, programme, django_assert_max_num_queries
):
    """As many queries for eight labels as for one: the schedule is read once and the first
    reports are inserted together."""
    labels = [
        label_services.issue_label(granted(call), today=dt.date(2026, 5, 12)) for _ in range(8)
    ]

    with (
        time_machine.travel(dt.datetime(2026, 8, 3, 9, 0, tzinfo=dt.UTC), tick=False),
        django_assert_max_num_queries(6),
    ):
        services.set_schedule(ReportingSchedule(programme=programme, starts_on=dt.date(2026, 7, 1)))

    for label in labels:
        assert periods_of(label) == [
            (dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 30))
        ]
