import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.postcodes import Province


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the officers' dossier list; the same filters drive its exports."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Application.State.choices, empty_label=_("All states")
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Province.choices, empty_label=_("All provinces")
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_before = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Application
        fields = ["q", "state", "province", "submitted_after", "submitted_before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(project_title__icontains=value)
            | Q(organisation__legal_name__icontains=value)
            | Q(organisation__trade_name__icontains=value)
            | Q(municipality__icontains=value)
        )


def submitted_applications(call, query) -> ApplicationFilter:
    """The staff list of a call: its submitted dossiers, newest first, filtered by
    ``query``; its exports use the same."""
    queryset = (
        call.applications.filter(submitted_at__isnull=False)
        .select_related("organisation")
        .order_by("-submitted_at", "-pk")
    )
    return ApplicationFilter(query or None, queryset=queryset)
