"""Receivers of signals sent by the apps below reporting."""

from reporting import services


def ask_first_report(sender, label, **kwargs):
    """``labels.signals.label_issued``: ask the new label's first activity report, so that
    its holder sees the due date from the day of issue."""
    services.ask_first_report(label)
