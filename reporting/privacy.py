"""What reporting keeps open for an organisation (see ``portal.privacy``): activity reports
to file, or returned for corrections."""

from django.utils.translation import ngettext

from portal.privacy import Holder
from reporting.models import ActivityReport


def _open_matters(organisation) -> list[str]:
    count = ActivityReport.objects.open().filter(label__organisation=organisation).count()
    if not count:
        return []
    return [
        ngettext("%(count)d activity report to file", "%(count)d activity reports to file", count)
        % {"count": count}
    ]


HOLDER = Holder("reporting", open_matters=_open_matters)
