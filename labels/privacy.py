"""What labels keep open for an organisation (see ``portal.privacy``): a label still in force
(valid or suspended) has obligations its holder must be able to meet."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from labels.models import Label
from portal.privacy import Holder


def _open_matters(organisation) -> list[str]:
    count = Label.objects.filter(
        Q(state__in=[Label.State.ACTIVE, Label.State.SUSPENDED]),
        organisation=organisation,
        valid_until__gte=timezone.localdate(),
    ).count()
    if not count:
        return []
    return [
        ngettext("%(count)d label in force", "%(count)d labels in force", count) % {"count": count}
    ]


HOLDER = Holder("labels", open_matters=_open_matters)
