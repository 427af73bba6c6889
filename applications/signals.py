"""Signals other apps listen to, so that applications imports none of them.

``application_granted(sender=Application, application=…, decided_by=…, granted_on=…)`` (the
decision's date in Brussels) is sent once, after
the transaction that granted the dossier commits. The labels app connects its issuance to it
(in its ``AppConfig.ready``); the receiver must be idempotent.
"""

from django.dispatch import Signal

application_granted = Signal()
