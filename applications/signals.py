"""Signals other apps listen to, so that applications imports none of them.

``application_granted(sender=Application, application=…, decided_by=…, granted_on=…)`` (the
decision's date in Brussels) is sent once, after
the transaction that granted the dossier commits. The labels app connects its issuance to it
(in its ``AppConfig.ready``); the receiver must be idempotent.

``call_tolerance_changed(sender=Call, call=…)`` is sent by ``services.save_call``, inside the
transaction that saved the call, when its disagreement tolerance changed. The review app
connects the refresh of the call's standings to it (``review.ranking.tolerance_changed``),
which waits for the commit.

``call_duplicated(sender=Call, source=…, call=…)`` is sent by ``services.duplicate_call``,
inside its transaction, once ``call`` has been created from ``source`` with the settings,
documents, eligibility questions and form this app owns. The review app copies the scoring
criteria (``review.receivers.copy_criteria``).

``dossiers_imported(sender=Application, programme_ids=…)`` is sent by the import of legacy
dossiers (``resources.ApplicationImportResource``), inside its transaction, once it has
written dossiers of these programmes without their transitions. The reporting app computes
its summaries of them again once the import commits (``reporting.tallies``).
"""

from django.dispatch import Signal

application_granted = Signal()
call_tolerance_changed = Signal()
call_duplicated = Signal()
dossiers_imported = Signal()
