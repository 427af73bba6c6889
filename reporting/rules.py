"""Who may do what with activity reports: the label holder's members file them, the
programme's officers accept or return them, officers and ministry staff read them."""

import rules

from applications.rules import is_programme_officer, is_programme_staff
from labels.rules import is_holder
from portal.rules import is_admin


@rules.predicate
def is_report_holder(user, report) -> bool:
    return report is not None and is_holder(user, report.label)


@rules.predicate
def is_open(user, report) -> bool:
    return report is not None and report.is_editable


rules.add_perm("reporting.view_report", is_report_holder | is_programme_staff | is_admin)
rules.add_perm("reporting.change_report", is_report_holder & is_open)
rules.add_perm("reporting.submit_report", is_report_holder)
rules.add_perm("reporting.review_report", is_programme_officer | is_admin)
# Statistics, exports and the programme report: staff of the programme.
rules.add_perm("reporting.view_statistics", is_programme_staff | is_admin)
rules.add_perm("reporting.set_schedule", is_programme_officer | is_admin)
# A programme's indicators: its officers define them.
rules.add_perm("reporting.define_indicators", is_programme_officer | is_admin)
