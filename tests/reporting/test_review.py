"""Officers accept a submitted report or return it with a comment; the holder resubmits."""

import datetime as dt

import pytest
from django.urls import reverse

from labels import services as label_services
from portal.pagination import KeysFirst
from reporting.filters import staff_reports
from reporting.models import ActivityReport
from tests.labels.conftest import granted
from tests.pages import text_of
from tests.reporting.conftest import FILLED, make_report


@pytest.fixture
def submitted(label):
    return make_report(label, dt.date(2026, 1, 1), ActivityReport.State.SUBMITTED, **FILLED)


def url(report):
    return reverse("reporting:staff_detail", args=[report.pk])


def test_returning_needs_a_comment(client, officer, submitted):
    client.force_login(officer)
    response = client.post(url(submitted), {"action": "return", "comment": " "})
    assert response.status_code == 400
    assert "Dites ce qui doit être corrigé." in text_of(response)
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.SUBMITTED


def test_return_then_resubmit_then_accept(client, officer, holder, submitted, mailoutbox):
    client.force_login(officer)
    client.post(
        url(submitted), {"action": "return", "comment": "Le taux d'occupation semble élevé."}
    )
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.RETURNED
    assert submitted.reviewed_by == officer

    client.force_login(holder)
    page = text_of(client.get(submitted.get_absolute_url()))
    assert "Le taux d'occupation semble élevé." in page
    data = {name: str(value) for name, value in FILLED.items()}
    client.post(submitted.get_absolute_url(), {**data, "occupancy_rate": "55", "action": "submit"})
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.SUBMITTED
    assert submitted.values["occupancy_rate"] == "55.00"

    client.force_login(officer)
    client.post(url(submitted), {"action": "accept", "comment": ""})
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.ACCEPTED
    timeline = text_of(client.get(url(submitted))).split("Historique")[-1]
    assert timeline.index("Renvoyé pour corrections") < timeline.index("Accepté")


def test_ministry_reads_but_cannot_review(client, ministry, submitted):
    client.force_login(ministry)
    response = client.get(url(submitted))
    assert response.status_code == 200
    assert "Accepter le rapport" not in text_of(response)
    assert client.post(url(submitted), {"action": "accept"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.SUBMITTED


def test_other_programmes_officer_and_holder_get_404_on_the_staff_page(
    client, other_officer, holder, submitted
):
    for user in (other_officer, holder):
        client.force_login(user)
        assert client.get(url(submitted)).status_code == 404
        assert client.post(url(submitted), {"action": "accept"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == ActivityReport.State.SUBMITTED


def test_staff_list_flags_overdue_reports_and_filters_them(client, officer, label, submitted):
    overdue = make_report(label, dt.date(2025, 10, 1))
    client.force_login(officer)
    page = text_of(client.get(reverse("reporting:staff_list")))
    assert "En retard" in page
    response = client.get(reverse("reporting:staff_list"), {"overdue": "on"})
    assert list(response.context["page"]) == [overdue]


def test_staff_list_query_count_does_not_grow(
    client, officer, label, django_assert_max_num_queries
):
    make_report(label, dt.date(2025, 1, 1))
    client.force_login(officer)
    client.get(reverse("reporting:staff_list"))
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("reporting:staff_list")).status_code == 200
    few = len(few.captured_queries)  # read now: the log keeps the last 9,000 queries only
    # Many more reports, of several labels and holders: not one query more.
    for number in range(2, 6):
        other = label_services.issue_label(
            granted(label.application.call, legal_name=f"Espace {number}"),
            today=dt.date(2025, 12, 15),
        )
        for month in (1, 4, 7, 10):
            make_report(other, dt.date(2025, month, 1))
    client.get(reverse("reporting:staff_list"))  # the labels' emails go once a request ends
    with django_assert_max_num_queries(few):
        assert client.get(reverse("reporting:staff_list")).status_code == 200


def test_the_staff_list_pages_read_keys_first_in_the_lists_order(
    client, officer, label, monkeypatch, django_assert_num_queries
):
    """Pages are read as keys in the list's order (newest periods, then label numbers),
    then those reports: every report once, in the order of the whole list."""
    for number in range(2, 5):
        other = label_services.issue_label(
            granted(label.application.call, legal_name=f"Espace {number}"),
            today=dt.date(2025, 12, 15),
        )
        for month in (1, 4, 7):
            make_report(other, dt.date(2025, month, 1))
    make_report(label, dt.date(2025, 4, 1))
    whole = list(staff_reports(officer, {}).qs)
    monkeypatch.setattr("reporting.views.staff.PER_PAGE", 4)
    client.force_login(officer)

    read = []
    for number in (1, 2, 3):
        page = client.get(reverse("reporting:staff_list"), {"page": number}).context["page"]
        read += list(page)

    assert [report.period_start.month for report in whole[:4]] == [7, 7, 7, 4]
    assert [report.label.number for report in whole[:3]] == sorted(
        report.label.number for report in whole[:3]
    )
    assert read == whole and len(whole) == 10
    with django_assert_num_queries(0):  # the rows come with their labels' holders
        assert all(report.label.organisation.legal_name for report in read)


def test_a_report_gone_from_the_list_between_the_two_reads_is_left_out(officer, label, monkeypatch):
    """Between the keys and the rows, a report may leave the list (filed meanwhile while
    the list shows the due ones): the page shows the others, without an error."""
    first, second = (make_report(label, dt.date(2025, month, 1)) for month in (1, 4))
    reports = KeysFirst(staff_reports(officer, {"state": "due"}).qs)
    read_rows = type(reports.queryset).in_bulk

    def filed_meanwhile(queryset, keys):
        ActivityReport.objects.filter(pk=second.pk).update(state=ActivityReport.State.SUBMITTED)
        return read_rows(queryset, keys)

    monkeypatch.setattr(type(reports.queryset), "in_bulk", filed_meanwhile)

    assert reports[0:50] == [first]


def test_the_staff_list_is_404_for_people_without_a_programme(client, holder):
    client.force_login(holder)
    assert client.get(reverse("reporting:staff_list")).status_code == 404


def test_officers_set_the_schedule(client, officer, other_officer, programme):
    url = reverse("reporting:schedule", args=[programme.slug])
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    data = {
        "frequency": "half_yearly",
        "starts_on": "2026-01-01",
        "days_allowed": "45",
        "reminder_days": "10",
    }
    assert client.post(url, data).status_code == 302
    assert programme.reporting_schedule.frequency == "half_yearly"
    response = client.post(url, {**data, "days_allowed": "0"})
    assert response.status_code == 200
    programme.reporting_schedule.refresh_from_db()
    assert programme.reporting_schedule.days_allowed == 45


def test_a_new_delay_moves_open_reports_and_the_frequency_stays_fixed(
    client, officer, programme, schedule, label, submitted
):
    due = make_report(label, dt.date(2026, 4, 1))
    url = reverse("reporting:schedule", args=[programme.slug])
    client.force_login(officer)
    data = {
        "frequency": "yearly",
        "starts_on": "2020-01-01",
        "days_allowed": "45",
        "reminder_days": "7",
    }
    assert client.post(url, data).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.starts_on) == ("quarterly", dt.date(2026, 1, 1))
    due.refresh_from_db()
    submitted.refresh_from_db()
    assert due.due_on == dt.date(2026, 8, 14)  # 30 June + 45 days
    assert submitted.due_on == dt.date(2026, 4, 30)  # filed: its due date is history


def test_a_concurrent_change_is_reported_about_the_report(client, officer, submitted, monkeypatch):
    from portal.transitions import ConcurrentTransition
    from reporting import services

    def changed_meanwhile(*args, **kwargs):
        raise ConcurrentTransition("changed")

    monkeypatch.setattr(services, "accept", changed_meanwhile)
    client.force_login(officer)
    response = client.post(url(submitted), {"action": "accept"}, follow=True)
    assert "Quelqu'un d'autre a modifié ce rapport entre-temps" in text_of(response)
