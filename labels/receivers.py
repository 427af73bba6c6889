"""Receivers of signals sent by the apps below labels."""

from labels import services


def issue_on_grant(sender, application, decided_by=None, granted_on=None, **kwargs):
    """``applications.signals.application_granted``: issue the dossier's label, dated from
    the decision."""
    services.issue_label(application, today=granted_on)
