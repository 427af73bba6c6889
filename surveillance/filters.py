import django_filters
from django import forms
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Programme
from surveillance.models import Condition, NonConformity, VisitorReport


def overdue_condition(today=None) -> Q:
    """Still waiting on the holder past the deadline: the SQL twin of
    ``NonConformity.is_overdue`` (the two are compared in tests/surveillance/test_pages.py)."""
    return Q(
        state__in=(NonConformity.State.OPEN, NonConformity.State.ANSWERED),
        deadline__lt=today or timezone.localdate(),
    )


class NonConformityFilter(django_filters.FilterSet):
    """The staff list of non-conformities."""

    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="label__programme",
        queryset=Programme.objects.none(),
        empty_label=_("All programmes"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=NonConformity.State.choices, empty_label=_("All states")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Past their deadline only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    condition = django_filters.ModelChoiceFilter(
        label=_("Condition"), queryset=Condition.objects.none(), empty_label=_("All conditions")
    )

    class Meta:
        model = NonConformity
        fields = ["programme", "state", "overdue", "condition"]

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = programmes
        self.filters["condition"].queryset = Condition.objects.filter(
            programme__in=programmes
        ).select_related("programme")

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_condition()) if value else queryset


def staff_cases(user, query) -> NonConformityFilter:
    """The non-conformities of the programmes ``user`` works on, pending ones first, the
    nearest deadline first; 404 for someone who works on none."""
    programmes = Programme.objects.staff_visible_to(user).order_by("name")
    if not programmes.exists():
        raise Http404
    cases = (
        NonConformity.objects.staff_visible_to(user)
        .select_related("label__organisation", "condition")
        .order_by(F("closed_on").asc(nulls_first=True), "deadline", "pk")
    )
    return NonConformityFilter(query or None, queryset=cases, programmes=programmes)


class VisitorReportFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=VisitorReport.State.choices, empty_label=_("All states")
    )

    class Meta:
        model = VisitorReport
        fields = ["state"]


def staff_visitor_reports(user, query) -> VisitorReportFilter:
    """Visitor reports on the labels of the programmes ``user`` works on, newest first."""
    programmes = Programme.objects.staff_visible_to(user)
    if not programmes.exists():
        raise Http404
    reports = (
        VisitorReport.objects.filter(label__programme__in=programmes)
        .select_related("label")
        .order_by("-created_at")
    )
    return VisitorReportFilter(query or None, queryset=reports)
