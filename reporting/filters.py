import django_filters
from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from applications.models import Programme
from portal.postcodes import Province
from reporting.models import ActivityReport


class ActivityReportFilter(django_filters.FilterSet):
    """The staff list of activity reports; the same filter drives its exports."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="label__programme",
        queryset=Programme.objects.all(),
        empty_label=_("All programmes"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ActivityReport.State.choices, empty_label=_("All states")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="period_start__year")
    province = django_filters.ChoiceFilter(
        label=_("Province"),
        field_name="label__province",
        choices=Province.choices,
        empty_label=_("All provinces"),
    )

    class Meta:
        model = ActivityReport
        fields = ["q", "programme", "state", "overdue", "year", "province"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(label__number__icontains=value)
            | Q(label__space_name__icontains=value)
            | Q(label__organisation__legal_name__icontains=value)
        )


def staff_reports(user, query) -> ActivityReportFilter:
    """The staff list of reports of the programmes ``user`` works on, newest periods first,
    filtered by ``query``; its exports use the same. 404 for someone who works on none."""
    if not Programme.objects.staff_visible_to(user).exists():
        raise Http404
    reports = (
        ActivityReport.objects.staff_visible_to(user)
        .select_related("label__organisation")
        .newest_first()
    )
    return ActivityReportFilter(query or None, queryset=reports)
