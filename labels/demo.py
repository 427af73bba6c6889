"""The labels app's part of the demo (SPEC §9): the labels issued by the grants of the past
calls (through the hook, dated from the decisions), then brought to their states.

- The eight labels of the 2011 call, issued on 15 November 2012; the first one was renewed
  by the 2015 renewal grant. The programme renewed its spaces yearly; to show a living
  directory today, the demo extends the validity of five labels into the future (one
  expiring within 90 days, one suspended); one is revoked, the others expire, as their
  validity passed in 2015.
- The thirteen labels of the rural call of 2017, issued on 14 December 2017 for three
  years: twelve extended likewise (one suspended), the last one expired in 2020.
"""

import datetime as dt

from django.utils import timezone

from applications.models import Call
from labels import services
from labels.models import Label
from portal.models import User


def bring_to_states(
    call: Call,
    officer: User,
    *,
    in_force: int,
    suspended: int,
    revoked: int | None = None,
    expiring_soon: int | None = None,
) -> None:
    """Extend the validity of the call's first ``in_force`` active labels (by number) into
    the future — the one at position ``expiring_soon`` to within 90 days —, suspend the one
    at position ``suspended`` and revoke the one at ``revoked``; the others are left to
    expire. A call whose labels were already brought to their states is left alone."""
    labels = list(
        Label.objects.filter(application__call=call, state=Label.State.ACTIVE).order_by("number")
    )
    if len(labels) <= max(in_force, suspended, revoked or 0):
        return  # already brought to their states, or not issued
    today = timezone.localdate()
    for position, label in enumerate(labels[:in_force]):
        days = 60 if position == expiring_soon else 200 + 60 * position
        Label.objects.filter(pk=label.pk).update(valid_until=today + dt.timedelta(days=days))
        label.refresh_from_db()
    services.suspend(
        labels[suspended],
        by=officer,
        reason="Rapports d'activité non remis depuis deux trimestres.",
    )
    if revoked is not None:
        services.revoke(labels[revoked], by=officer, reason="L'espace a cessé ses activités.")


def load(stdout) -> None:
    bring_to_states(
        Call.objects.get(slug="creative-wallonia-coworking-2011"),
        User.objects.get(email="agent@demo.guichet.be"),
        in_force=5,
        expiring_soon=3,
        suspended=4,
        revoked=5,
    )
    bring_to_states(
        Call.objects.get(slug="coworking-milieu-rural-2017"),
        User.objects.get(email="agent.rural@demo.guichet.be"),
        in_force=12,
        suspended=9,
    )
    services.expire_due()  # the labels whose validity passed (2015, 2020)
    services.warn_expiring(timezone.localdate())
