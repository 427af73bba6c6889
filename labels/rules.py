"""Who may do what with labels: officers of the programme manage them, the holder's members
keep its public profile and download its certificate."""

import rules

from applications.rules import is_programme_ministry, is_programme_officer
from portal.rules import is_admin, is_organisation_member


@rules.predicate
def is_holder(user, label) -> bool:
    return label is not None and is_organisation_member(user, label.organisation)


rules.add_perm("labels.manage_label", is_programme_officer | is_admin)
rules.add_perm(
    "labels.view_label", is_holder | is_programme_officer | is_programme_ministry | is_admin
)
rules.add_perm("labels.edit_profile", is_holder)
