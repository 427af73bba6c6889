"""Who may do what with a label's conditions and non-conformities: the programme's officers
define conditions and handle cases, the holder's members answer them, ministry staff read."""

import rules

from applications.rules import is_programme_officer, is_programme_staff
from labels.rules import is_holder
from portal.rules import is_admin


@rules.predicate
def is_case_holder(user, case) -> bool:
    return case is not None and is_holder(user, case.label)


rules.add_perm("surveillance.define_conditions", is_programme_officer | is_admin)
rules.add_perm("surveillance.view_non_conformity", is_case_holder | is_programme_staff | is_admin)
rules.add_perm("surveillance.answer_non_conformity", is_case_holder)
rules.add_perm("surveillance.manage_non_conformity", is_programme_officer | is_admin)
