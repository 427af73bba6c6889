"""Permission predicates of the portal, defined once and used by views, templates and admin.

Each predicate answers "may this user do that to this object"; querysets that list objects
use the matching ``visible_to(user)`` method, built on the same conditions.
"""

import rules

from portal.roles import Role, roles_of


def rule(permission: str):
    """A django-fsm ``permission=`` that asks the rules permission itself.

    ``user.has_perm`` answers yes to superusers for everything; a transition must instead
    follow its rule (which names administrators where they may act)."""

    def check(instance, user) -> bool:
        return rules.has_perm(permission, user, instance)

    check.__name__ = permission
    return check


def _has_role(role: Role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return role in roles_of(user)

    return predicate


is_admin = rules.is_superuser
is_officer = _has_role(Role.OFFICER)
is_reviewer = _has_role(Role.REVIEWER)
is_ministry = _has_role(Role.MINISTRY)
is_staff_member = is_officer | is_ministry | is_admin


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_organisation_owner(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    from portal.models import Membership

    return organisation.memberships.filter(user=user, role=Membership.Role.OWNER).exists()


rules.add_perm("portal.view_organisation", is_organisation_member | is_admin)
rules.add_perm("portal.change_organisation", is_organisation_member | is_admin)
rules.add_perm("portal.manage_members", is_organisation_owner | is_admin)
rules.add_perm("portal.add_organisation", rules.is_authenticated)
rules.add_perm("portal.use_admin", is_admin)
# Each role's dashboard (applicants: everyone signed in).
rules.add_perm("portal.view_applicant_dashboard", rules.is_authenticated)
rules.add_perm("portal.view_reviewer_dashboard", is_reviewer)
rules.add_perm("portal.view_officer_dashboard", is_officer)
rules.add_perm("portal.view_ministry_dashboard", is_ministry)
rules.add_perm("portal.view_admin_dashboard", is_admin)
rules.add_perm("portal.delete_organisation", is_admin)
