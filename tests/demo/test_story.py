"""What the demo shows: the 2011 call's story, an account per role, quarterly reports, open
data. The demo is loaded once for these tests (tests/demo/conftest.py)."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from applications.models import Application, Programme
from labels.models import Label
from portal.models import Organisation
from portal.roles import Role, roles_of
from reporting.models import ActivityReport
from review.models import Decision
from tests.reporting.test_open_data import WALLOON_REGION, assert_valid_360giving, get_json

# One worker loads the demo for all of this module's tests (see the conftest).
pytestmark = pytest.mark.xdist_group("demo")

EXPECTED_ROLES = {
    "admin": Role.ADMIN,
    "officer": Role.OFFICER,
    "rural_officer": Role.OFFICER,
    "reviewer": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "reviewer3": Role.REVIEWER,
    "ministry": Role.MINISTRY,
    "applicant": Role.APPLICANT,
    "applicant2": Role.APPLICANT,
}


def test_every_demo_account_signs_in_on_its_dashboard(client, demo):
    for name, role in EXPECTED_ROLES.items():
        user = getattr(demo, name)
        client.logout()
        response = client.post(
            reverse("portal:login"),
            {"username": user.email, "password": "guichet-demo-2026"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == f"/dashboard/{role.value}/", user.email
        assert roles_of(user)[0] == role


def test_the_two_founders_own_different_organisations(demo):
    first = Organisation.objects.of_member(demo.applicant)
    second = Organisation.objects.of_member(demo.applicant2)
    assert first.count() == second.count() == 1
    assert first.get() != second.get()


def test_the_demo_tells_the_2011_story(demo):
    states = Application.objects.filter(reference__startswith="CW-2011").values_list(
        "state", flat=True
    )
    assert sorted(set(states)) == ["granted", "refused"]
    assert Label.objects.get(number="CW-LBL-2012-001").superseded_by.number == "CW-LBL-2015-001"
    assert list(states).count("granted") == 8
    granted_2011 = Decision.objects.filter(application__reference__startswith="CW-2011")
    assert granted_2011.aggregate(total=Sum("amount"))["total"] == 600000
    labels_2011 = Label.objects.filter(application__reference__startswith="CW-2011")
    assert set(labels_2011.values_list("state", flat=True)) == {
        "active",
        "suspended",
        "revoked",
        "expired",
        "renewed",
    }


def test_the_demo_has_two_years_of_quarterly_reports_in_every_state(demo):
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


def test_the_demo_grants_are_funded_by_the_walloon_region(client, demo):
    package = get_json(client)
    assert package["grants"]
    assert_valid_360giving(package)
    assert {grant["fundingOrganization"][0]["id"] for grant in package["grants"]} == {
        WALLOON_REGION
    }
    assert set(Programme.objects.values_list("funder_identifier", flat=True)) == {WALLOON_REGION}
