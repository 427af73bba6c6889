"""Fixtures of the tests of the surveillance's pages: a label of the programme of
``tests.applications.conftest``, its holder, a condition and a case."""

import datetime as dt

import pytest
from django.utils import timezone

from labels import services as label_services
from portal.transitions import record_creation
from surveillance.models import Condition, NonConformity
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    ministry,
    officer,
    other_officer,
    private_storage,
    programme,
)
from tests.labels.conftest import granted


@pytest.fixture
def label(call, officer):
    return label_services.issue_label(granted(call, legal_name="La Forge ASBL"))


@pytest.fixture
def holder(label):
    return label.organisation.memberships.get().user


@pytest.fixture
def condition(programme):
    return Condition.objects.create(
        programme=programme,
        kind=Condition.Kind.REPORTS_ON_TIME,
        label_fr="Chaque rapport trimestriel remis dans son délai",
        label_en="Every quarterly report filed within its deadline",
        grace_days=30,
    )


def open_case(label, condition=None, *, days_left=30, measured="", summary=""):
    """A pending case, as the daily job opens it."""
    today = timezone.localdate()
    case = NonConformity.objects.create(
        label=label,
        condition=condition,
        summary=summary,
        measured=measured,
        opened_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=days_left),
    )
    record_creation(case, by=None)
    return case


@pytest.fixture
def case(label, condition):
    return open_case(label, condition, measured="1 rapport remis en retard")
