"""The API's own filters, for the public lists the staff pages do not have; the staff
endpoints use the apps' FilterSets (``applications.filters``, ``reporting.filters``)."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from applications.models import Call


class CallFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = Call
        fields = ["programme"]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, handing a view's ``filterset_kwargs()`` to its FilterSet
    (the dossiers' FilterSet takes the call's questions, one filter per question)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if hasattr(view, "filterset_kwargs"):
            kwargs.update(view.filterset_kwargs())
        return kwargs
