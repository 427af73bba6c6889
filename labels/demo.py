"""The labels app's part of the demo (SPEC §9): the eight labels of the 2011 call, issued on
15 November 2012 by the grants (through the hook), then brought to every state; the first one
was renewed by the 2015 renewal grant.

The programme renewed its spaces yearly; to show a living directory today, the demo extends
the validity of five labels into the future (one expiring within 90 days, one suspended);
the last one expires, as its validity passed in 2015.
"""

import datetime as dt

from django.utils import timezone

from applications.models import Call
from labels import services
from labels.models import Label
from portal.models import User


def load(stdout) -> None:
    call = Call.objects.get(slug="creative-wallonia-coworking-2011")
    if Label.objects.filter(application__call=call, state=Label.State.REVOKED).exists():
        return  # already brought to their states
    # The first 2012 label was renewed in 2015 (its renewal label has expired since).
    labels = list(
        Label.objects.filter(application__call=call, state=Label.State.ACTIVE).order_by("number")
    )
    if len(labels) < 7:
        return
    officer = User.objects.get(email="agent@demo.guichet.be")
    today = timezone.localdate()
    for position, label in enumerate(labels[:5]):
        days = 60 if position == 3 else 200 + 60 * position
        Label.objects.filter(pk=label.pk).update(valid_until=today + dt.timedelta(days=days))
    labels = list(
        Label.objects.filter(application__call=call, state=Label.State.ACTIVE).order_by("number")
    )
    suspended, revoked = labels[4], labels[5]
    services.suspend(
        suspended, by=officer, reason="Rapports d'activité non remis depuis deux trimestres."
    )
    services.revoke(revoked, by=officer, reason="L'espace a cessé ses activités.")
    services.expire_due()  # the renewal of 2015 and the last 2012 label have passed
    services.warn_expiring(today)
