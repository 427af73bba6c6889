"""The message the webhooks send (``portal.messages``): an endpoint paused after a day of
failures, to its owner."""

from django.utils.translation import gettext_lazy

from portal.dates import long_datetime
from portal.links import absolute_url
from portal.messages import Message, Placeholder
from webhooks.models import Endpoint, Event


def _values(context) -> dict[str, object]:
    endpoint = context["endpoint"]
    return {
        "endpoint_url": endpoint.url,
        "programme": endpoint.programme.name,
        "failing_since": long_datetime(endpoint.failing_since) if endpoint.failing_since else "",
        "log_link": absolute_url(endpoint.get_absolute_url()),
    }


def _example(application) -> dict:
    from django.utils import timezone

    programme = application.call.programme
    endpoint = Endpoint(
        pk=0,
        programme=programme,
        url="https://example.org/guichet-events",
        events=[Event.LABEL_ISSUED],
        failing_since=timezone.now() - Endpoint.PAUSE_AFTER,
    )
    return {"endpoint": endpoint}


MESSAGES = [
    Message(
        key="webhooks/emails/paused",
        title=gettext_lazy("A webhook endpoint is paused (to its owner)"),
        placeholders=(
            Placeholder("endpoint_url", gettext_lazy("the address of the endpoint"), required=True),
            Placeholder("programme", gettext_lazy("the programme's name")),
            Placeholder("failing_since", gettext_lazy("when its deliveries began to fail")),
            Placeholder(
                "log_link",
                gettext_lazy("the address of the endpoint's delivery log, where it is resumed"),
                required=True,
            ),
        ),
        values=_values,
        programme=lambda context: context["endpoint"].programme,
        example=_example,
        order=99,
    ),
]
