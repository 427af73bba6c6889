"""Signals the apps above labels listen to, so that labels imports none of them.

``label_issued(sender=Label, label=…)`` is sent once per label, inside the transaction that
issues it (a receiver's rows commit or roll back with the label). The reporting app asks
the label's first activity report on it (``reporting/receivers.py``).
"""

from django.dispatch import Signal

label_issued = Signal()
