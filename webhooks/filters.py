import django_filters
from django.utils.translation import gettext_lazy as _

from webhooks.models import Delivery, Event


class DeliveryFilter(django_filters.FilterSet):
    """An endpoint's delivery log."""

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Delivery.State.choices, empty_label=_("All states")
    )
    event = django_filters.ChoiceFilter(
        label=_("Event"), choices=Event.choices, empty_label=_("All events")
    )

    class Meta:
        model = Delivery
        fields = ["state", "event"]


def delivery_log(endpoint, query) -> DeliveryFilter:
    """The endpoint's deliveries, newest first."""
    return DeliveryFilter(query or None, queryset=endpoint.deliveries.order_by("-created_at", "pk"))
