"""The signals of the reporting app, for the apps above it (see docs/architecture.md)."""

from django.dispatch import Signal

# An officer accepted an activity report (sent after commit): ``report``. The surveillance
# of labels evaluates the label's conditions on reports then.
report_accepted = Signal()
