import django_filters
import rules
from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from applications.models import Programme, Service
from labels.models import Label
from portal.folding import fold, folded
from portal.postcodes import WALLOON_PROVINCES, Province


class DirectoryFilter(django_filters.FilterSet):
    """The public directory's filters."""

    province = django_filters.ChoiceFilter(
        label=_("Province"),
        choices=[(p.value, p.label) for p in WALLOON_PROVINCES]
        + [(p.value, p.label) for p in Province if p not in WALLOON_PROVINCES],
        empty_label=_("All provinces"),
    )
    municipality = django_filters.CharFilter(label=_("Municipality"), method="filter_municipality")
    services = django_filters.ModelMultipleChoiceFilter(
        label=_("Services"),
        queryset=Service.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        conjoined=True,
    )
    capacity = django_filters.NumberFilter(
        label=_("At least this many workstations"), field_name="capacity", lookup_expr="gte"
    )

    class Meta:
        model = Label
        fields = ["province", "municipality", "services", "capacity"]

    def filter_municipality(self, queryset, name, value):
        """Part of the name, whatever its accents, case, hyphens and apostrophes: "liege"
        finds Liège, "braine l'alleud" Braine-l'Alleud (``portal.folding``)."""
        return queryset.alias(municipality_folded=folded("municipality")).filter(
            municipality_folded__contains=fold(value)
        )


class StaffLabelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Label.State.choices, empty_label=_("All states")
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Province.choices, empty_label=_("All provinces")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.all(), empty_label=_("All programmes")
    )
    expiring = django_filters.BooleanFilter(
        label=_("Expiring within 90 days"),
        method="filter_expiring",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Label
        fields = ["q", "state", "province", "programme", "expiring"]

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(90) if value else queryset

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(space_name__icontains=value)
            | Q(organisation__legal_name__icontains=value)
            | Q(municipality__icontains=value)
        )


def staff_labels(user, query) -> StaffLabelFilter:
    """The staff list of labels, filtered by ``query``; its exports use the same. 404 for
    someone who is staff of no programme (officers who may create one see an empty list)."""
    labels = Label.objects.staff_visible_to(user)
    if not labels.exists() and not rules.has_perm("applications.create_programme", user):
        raise Http404
    queryset = labels.select_related("organisation", "programme").order_by("-issued_on", "number")
    return StaffLabelFilter(query or None, queryset=queryset)
