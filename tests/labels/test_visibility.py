"""The lists of labels agree with the ``labels.view_label`` rule, for every role and every
state of the label: a person finds a label in one of their lists (the holder's "my labels"
and dashboard panel, the staff list and its panel) exactly when they may open it."""

import datetime as dt

import pytest
import rules
from django.http import Http404
from django.utils import timezone

from labels.filters import staff_labels
from labels.models import Label
from labels.panels import holder_panel
from tests.factories import CallFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# The states a visitor may read: each of the machine's, and a label still active whose
# validity has passed (the daily job has not expired it yet).
STATES = [*Label.State.values, "lapsed"]


@pytest.fixture
def people(label, holder, officer, other_officer, programme, admin_user):
    def staff(role, on):
        user = UserFactory(roles=[role])
        on.staff.create(user=user, role=role)
        return user

    other_programme = CallFactory().programme
    return {
        "holder": holder,
        "colleague": MembershipFactory(organisation=label.organisation, role="member").user,
        "other applicant": MembershipFactory().user,
        "reviewer": staff("reviewer", programme),
        "officer": officer,
        "other officer": other_officer,
        "ministry": staff("ministry", programme),
        "other ministry": staff("ministry", other_programme),
        "admin": admin_user,
    }


EXPECTED = {"holder", "colleague", "officer", "ministry", "admin"}


def listed(user, label) -> bool:
    """Whether ``label`` is in one of ``user``'s lists, as the pages build them."""
    mine = holder_panel(user).context["labels"]  # Label.objects.held_by, as "my labels"
    try:
        staff = staff_labels(user, None).qs
    except Http404:  # staff of no programme: no staff list at all
        staff = Label.objects.none()
    return mine.filter(pk=label.pk).exists() or staff.filter(pk=label.pk).exists()


@pytest.mark.parametrize("state", STATES)
def test_lists_and_rule_agree_for_every_role(people, label, state):
    if state == "lapsed":
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        Label.objects.filter(pk=label.pk).update(valid_until=yesterday)
    else:
        Label.objects.filter(pk=label.pk).update(state=state)

    wrong = []
    for role, user in people.items():
        stored = Label.objects.get(pk=label.pk)
        in_a_list = listed(user, stored)
        may_open = rules.has_perm("labels.view_label", user, stored)
        if not in_a_list == may_open == (role in EXPECTED):
            wrong.append(f"{role}: listed {in_a_list}, may open {may_open}")

    assert not wrong, "\n".join(wrong)
