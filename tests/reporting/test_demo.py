import pytest
from django.core.management import call_command

from reporting.models import ActivityReport
from tests.portal.test_demo import private_storage_for_demo  # noqa: F401 - fixture


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_two_years_of_quarterly_reports_in_every_state(reference_data):
    call_command("demo", quiet=True)
    reports = ActivityReport.objects.filter(label__number__startswith="CW-LBL-2012")
    assert reports.values("label").distinct().count() == 5
    assert {report.period_days in (90, 91, 92) for report in reports} == {True}
    assert reports.filter(label__number="CW-LBL-2012-002").count() == 8
    assert set(reports.values_list("state", flat=True)) == {
        "due",
        "submitted",
        "returned",
        "accepted",
    }
    assert reports.overdue().exists()
    snapshot = list(reports.values_list("pk", "state", "desks").order_by("pk"))
    call_command("demo", quiet=True)
    assert list(reports.values_list("pk", "state", "desks").order_by("pk")) == snapshot
