import django_filters
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
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"),
        field_name="submitted_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Application
        fields = ["q", "state", "province", "submitted"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(project_title__icontains=value)
            | Q(organisation__legal_name__icontains=value)
            | Q(organisation__trade_name__icontains=value)
            | Q(municipality__icontains=value)
        )
