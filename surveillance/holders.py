"""The daily re-check of label holders against the enterprise register (BCE/KBO open data,
``portal.register``): a label in force whose holder's enterprise has stopped — bankruptcy,
dissolution, liquidation, gone from the register — gets a non-conformity without condition,
flagged at once for the programme's officers, who decide (suspension, revocation, or closing
the case when, say, another enterprise took the space over).

Idempotent like the rest of the daily job: one pending case per label (a constraint settles
two runs at once), and a case an officer closed stands while the register says the same
thing (the case keeps what it measured: the situation's code, or the day the enterprise left).
Nothing happens while no register is loaded.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from labels import services as label_services
from labels.models import Label
from portal import bce, register
from portal.models import Enterprise
from portal.transitions import record_creation
from surveillance.models import NonConformity

State = NonConformity.State
OPENED = "non_conformity_opened"


def what_stopped(enterprise: Enterprise) -> str:
    """What the case keeps of the register's verdict, to tell a new fact from the same one."""
    if enterprise.left_register_on is not None:
        return f"left {enterprise.left_register_on.isoformat()}"
    if enterprise.status != Enterprise.ACTIVE:
        return f"status {enterprise.status}"
    return f"situation {enterprise.juridical_situation}"


def flag_stopped_holders(today: dt.date | None = None) -> int:
    """Open, flagged, a case on each label in force whose holder has stopped in the register
    and has none pending; the officers are told by the job's flag notice
    (``watch.announce_flagged``). Returns the number opened."""
    today = today or timezone.localdate()
    if not register.is_loaded():
        return 0
    labels = list(
        Label.objects.filter(
            state=Label.State.ACTIVE,
            issued_on__lte=today,
            valid_until__gte=today,
            organisation__enterprise_number__in=Enterprise.objects.stopped().values("number"),
        ).select_related("organisation")
    )
    if not labels:
        return 0
    numbers = {label.organisation.enterprise_number for label in labels}
    stopped = {e.number: e for e in Enterprise.objects.filter(number__in=numbers)}
    cases = NonConformity.objects.filter(holder_stopped=True)
    pending = set(cases.pending().values_list("label_id", flat=True))
    last_closed = dict(
        cases.filter(state__in=[State.RESOLVED, State.SANCTIONED])
        .values("label_id")
        .annotate(last=Max("pk"))
        .values_list("label_id", "last")
    )
    closed_measures = dict(
        NonConformity.objects.filter(pk__in=last_closed.values()).values_list(
            "label_id", "measured"
        )
    )
    opened = 0
    for label in labels:
        enterprise = stopped[label.organisation.enterprise_number]
        measured = what_stopped(enterprise)
        if label.pk in pending or closed_measures.get(label.pk) == measured:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            summary = _(
                "The holder's enterprise %(number)s has stopped in the Crossroads Bank for "
                "Enterprises: %(reason)s."
            ) % {"number": bce.display(enterprise.number), "reason": enterprise.stop_reason}
        try:
            with transaction.atomic():
                _open(label, summary, measured, today)
        except IntegrityError:  # a run at the same moment opened it
            continue
        opened += 1
    return opened


def _open(label: Label, summary: str, measured: str, today: dt.date) -> NonConformity:
    case = NonConformity(
        label=label,
        holder_stopped=True,
        summary=summary,
        measured=measured[:200],
        opened_on=today,
        deadline=today,
        state=State.FLAGGED,
        opening_notice_sent_on=today,  # the officers decide; the holder is not asked
    )
    case.save()
    record_creation(case, by=None, comment=summary)
    label_services.note(label, OPENED, by=None, comment=summary)
    return case
