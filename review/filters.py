"""The filters of the staff's register of complaints; its exports use the same."""

import django_filters
from django.utils.translation import gettext_lazy as _

from review.models import Complaint


class ComplaintFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Complaint.State.choices, empty_label=_("All states")
    )
    about = django_filters.ChoiceFilter(
        label=_("Complaint against"),
        choices=Complaint.About.choices,
        empty_label=_("Any subject"),
    )

    class Meta:
        model = Complaint
        fields = ["state", "about"]


def call_complaints(call, query=None) -> ComplaintFilter:
    """The complaints on the dossiers of ``call``, oldest answer due first, filtered by
    ``query``."""
    complaints = (
        Complaint.objects.filter(application__call=call)
        .select_related("application__organisation")
        .order_by("due_on", "pk")
    )
    return ComplaintFilter(query, queryset=complaints)
