"""The portal posts only where it may: the address a connection reaches is checked on the
open socket (a name that resolves to a public address for the check and an internal one for
the connection gets nothing), and IPv6 forms that carry an internal IPv4 address are
refused like it."""

import ipaddress

import pytest

from webhooks import addresses, events
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("169.254.169.254", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254
        ("::a9fe:a9fe", False),  # IPv4-compatible
        ("fd00::1", False),
    ],
)
def test_internal_addresses_are_refused_in_every_form(address, public):
    assert addresses._is_public(ipaddress.ip_address(address)) is public


def test_a_name_that_rebinds_to_an_internal_address_gets_nothing(
    programme, officer, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint = Endpoint.objects.create(
        programme=programme,
        url=f"https://localhost:{port}/hooks",
        events=list(Event.values),
        owner=officer,
        secret="whsec_test",
    )
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    # The check is told a public address; the connection reaches 127.0.0.1.
    monkeypatch.setattr(
        addresses, "_resolve", lambda host, port: {ipaddress.ip_address("93.184.215.14")}
    )

    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = events.record(Event.LABEL_ISSUED, programme.pk, {"number": "X"})

    delivery.refresh_from_db()
    assert delivery.endpoint == endpoint
    assert receiver.requests == []
    assert delivery.state != Delivery.State.DELIVERED
    assert "réseau privé ou interne" in delivery.last_error
