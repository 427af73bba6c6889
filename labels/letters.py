"""The label's part of the grant letter (registered in ``apps.py``): its number and
validity."""

from django.utils.translation import gettext as _

from labels.models import Label
from portal import dates
from portal.letters import LetterSection


def label_section(application) -> LetterSection | None:
    label = Label.objects.filter(application=application).first()
    if label is None:
        return None
    return LetterSection(
        heading=_("Label"),
        facts=[
            (_("Label number"), label.number),
            (_("Valid from"), dates.long_date(label.issued_on)),
            (_("Valid until"), dates.long_date(label.valid_until)),
        ],
        order=20,
    )
