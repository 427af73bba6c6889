"""Receivers of signals sent by the apps below surveillance."""

from surveillance import watch


def evaluate_on_acceptance(sender, report, **kwargs):
    """``reporting.signals.report_accepted`` (after commit): evaluate the label's conditions
    on reports at once, rather than at the next daily job."""
    watch.evaluate_label(report.label)
