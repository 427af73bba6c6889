"""The labels app's part of the demo (SPEC §9): the eight labels of the 2011 call, issued on
15 November 2012 by the grants (through the hook), then brought to every state.

The programme renewed its spaces yearly; to show a living directory today, the demo extends
the validity of six labels into the future (one expiring within 90 days, one suspended).
"""

import datetime as dt

from django.utils import timezone

from applications.models import Call
from labels import services
from labels.models import Label
from portal.models import User


def load(stdout) -> None:
    call = Call.objects.get(slug="creative-wallonia-coworking-2011")
    labels = list(Label.objects.filter(application__call=call).order_by("number"))
    if len(labels) < 8 or any(label.state != Label.State.ACTIVE for label in labels):
        return  # already brought to their states (or not issued)
    officer = User.objects.get(email="agent@demo.guichet.be")
    today = timezone.localdate()
    for position, label in enumerate(labels[:6]):
        days = 60 if position == 4 else 200 + 60 * position
        Label.objects.filter(pk=label.pk).update(valid_until=today + dt.timedelta(days=days))
    labels = list(Label.objects.filter(application__call=call).order_by("number"))
    suspended, revoked = labels[5], labels[6]
    services.suspend(
        suspended, by=officer, reason="Rapports d'activité non remis depuis deux trimestres."
    )
    services.revoke(revoked, by=officer, reason="L'espace a cessé ses activités.")
    services.expire_due()  # the last one: validity passed in 2015
    services.warn_expiring(today)
