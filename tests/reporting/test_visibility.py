"""The report lists (``visible_to``, ``staff_visible_to``) agree with the
``reporting.view_report`` rule for every role (SPEC §10)."""

import datetime as dt

import pytest
import rules

from reporting.models import ActivityReport
from tests.factories import MembershipFactory, UserFactory
from tests.reporting.conftest import make_report


@pytest.fixture
def people(label, holder, officer, other_officer, ministry, programme, admin_user):
    reviewer = UserFactory(roles=["reviewer"])
    programme.staff.create(user=reviewer, role="reviewer")
    return {
        "holder": holder,
        "other applicant": MembershipFactory().user,
        "officer": officer,
        "other officer": other_officer,
        "ministry": ministry,
        "reviewer": reviewer,
        "admin": admin_user,
    }


EXPECTED = {"holder", "officer", "ministry", "admin"}


def test_lists_and_rule_agree_for_every_role(people, label):
    report = make_report(label, dt.date(2026, 1, 1))
    for role, user in people.items():
        listed = (
            (
                ActivityReport.objects.visible_to(user)
                | ActivityReport.objects.staff_visible_to(user)
            )
            .filter(pk=report.pk)
            .exists()
        )
        allowed = rules.has_perm("reporting.view_report", user, report)
        assert listed == allowed == (role in EXPECTED), role
