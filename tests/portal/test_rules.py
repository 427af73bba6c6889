"""The predicates and the querysets that list objects must agree, for every role."""

import pytest

from portal.models import Organisation
from portal.roles import Role, roles_of
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(applicant, colleague, other_applicant, reviewer, officer, ministry, admin_user):
    return [applicant, colleague, other_applicant, reviewer, officer, ministry, admin_user]


def test_visible_organisations_are_exactly_those_the_rule_allows(people, organisation):
    OrganisationFactory()  # nobody's
    for person in people:
        visible = set(Organisation.objects.visible_to(person))
        allowed = {
            o for o in Organisation.objects.all() if person.has_perm("portal.view_organisation", o)
        }
        assert visible == allowed, person


def test_membership_predicates(organisation, applicant, colleague, other_applicant):
    assert applicant.has_perm("portal.manage_members", organisation)
    assert colleague.has_perm("portal.change_organisation", organisation)
    assert not colleague.has_perm("portal.manage_members", organisation)
    assert not other_applicant.has_perm("portal.view_organisation", organisation)


def test_roles_come_from_groups_and_everyone_may_apply(
    reviewer, officer, ministry, admin_user, applicant
):
    assert roles_of(reviewer) == [Role.REVIEWER, Role.APPLICANT]
    assert roles_of(officer) == [Role.OFFICER, Role.APPLICANT]
    assert roles_of(ministry) == [Role.MINISTRY, Role.APPLICANT]
    assert roles_of(admin_user)[0] == Role.ADMIN
    assert roles_of(applicant) == [Role.APPLICANT]
