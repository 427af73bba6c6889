import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail

from labels import services
from labels.models import Label, add_months
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db


def test_granting_issues_exactly_one_label(call, officer, django_capture_on_commit_callbacks):
    application = granted(call)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.issue_label(application, today=dt.date(2026, 3, 31))
    second = services.issue_label(application, today=dt.date(2026, 4, 1))

    assert first == second
    assert Label.objects.count() == 1
    assert first.number == "CW-LBL-2026-001"
    assert (first.issued_on, first.valid_until) == (dt.date(2026, 3, 31), dt.date(2029, 3, 30))
    assert any("CW-LBL-2026-001" in m.subject for m in mail.outbox)


def test_numbers_follow_each_other_per_programme_and_year(call, officer):
    numbers = [
        services.issue_label(granted(call), today=dt.date(2026, 5, 1)).number for _ in range(3)
    ]
    next_year = services.issue_label(granted(call), today=dt.date(2027, 1, 2)).number

    assert numbers == ["CW-LBL-2026-001", "CW-LBL-2026-002", "CW-LBL-2026-003"]
    assert next_year == "CW-LBL-2027-001"


def test_the_grant_hook_issues_the_label(call):
    from applications.models import Application
    from applications.signals import application_granted

    application = granted(call)
    application_granted.send(sender=Application, application=application, granted_on=None)

    assert Label.objects.get().application == application


def test_a_renewal_supersedes_the_old_label(call, officer):
    old = services.issue_label(granted(call), today=dt.date(2023, 1, 1))
    renewal = granted(call)
    renewal.organisation = old.organisation
    renewal.save()

    new = services.issue_label(renewal, today=dt.date(2026, 1, 1))

    old.refresh_from_db()
    assert old.state == Label.State.RENEWED
    assert old.superseded_by == new


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs two real connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_grants_at_once_get_consecutive_numbers(reference_data, call, officer):
    from django.db import connections

    applications = [granted(call), granted(call)]
    barrier = threading.Barrier(2)

    def issue(application):
        barrier.wait()
        try:
            services.issue_label(application, today=dt.date(2026, 6, 1))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(Label.objects.values_list("number", flat=True))
    assert numbers == ["CW-LBL-2026-001", "CW-LBL-2026-002"]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_months_are_added_to_the_calendar(start, months, end):
    assert add_months(start, months) == end


def test_the_daily_job_issues_labels_a_failed_hook_left_out(call):
    from django.core.management import call_command

    application = granted(call)

    call_command("label_jobs")
    call_command("label_jobs")

    assert Label.objects.get().application == application
