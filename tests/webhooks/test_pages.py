"""The officers' webhook pages: registering an endpoint (its secret shown once, only https
and public addresses), the delivery log with its answers, "send again", resuming a paused
endpoint; other programmes' officers and everyone else get 404."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from webhooks import addresses, events
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


def log_url(endpoint):
    return reverse("webhooks:deliveries", args=[endpoint.programme.slug, endpoint.pk])


def test_an_officer_registers_an_endpoint_and_sees_its_secret_once(
    client, programme, officer, receiver
):
    client.force_login(officer)

    response = client.post(
        reverse("webhooks:endpoint_add", args=[programme.slug]),
        {"url": receiver.url, "description": "Comptabilité", "events": ["label.issued"]},
    )

    endpoint = Endpoint.objects.get()
    assert endpoint.owner == officer
    assert endpoint.events == ["label.issued"]
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in text_of(response)
    assert endpoint.secret not in client.get(log_url(endpoint)).content.decode()
    listing = client.get(reverse("webhooks:endpoints", args=[programme.slug]))
    assert endpoint.secret not in listing.content.decode()
    assert receiver.url in text_of(listing)


def test_regenerating_asks_to_confirm_then_shows_the_new_secret(client, endpoint, officer):
    former = endpoint.secret
    url = reverse("webhooks:regenerate_secret", args=[endpoint.programme.slug, endpoint.pk])
    client.force_login(officer)

    asked = client.post(url)
    endpoint.refresh_from_db()
    assert endpoint.secret == former
    assert "refuse les prochains envois" in text_of(asked)

    response = client.post(url, {"confirm": "1"})

    endpoint.refresh_from_db()
    assert endpoint.secret != former
    assert endpoint.secret in text_of(response)


def test_removing_an_endpoint_asks_to_confirm_and_takes_its_log(
    client, endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.record(Event.LABEL_ISSUED, programme.pk, {"number": "A"})
    url = reverse("webhooks:delete", args=[programme.slug, endpoint.pk])
    client.force_login(officer)

    assert "journal des envois est supprimé" in text_of(client.post(url))
    assert Endpoint.objects.exists()

    response = client.post(url, {"confirm": "1"}, follow=True)

    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    assert "Le point de réception est supprimé." in text_of(response)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/hooks", "Seules les adresses https"),
        ("https://10.0.0.8/hooks", "réseau privé ou interne"),
        ("https://169.254.169.254/latest/meta-data", "réseau privé ou interne"),
        ("https://[fd00::1]:8443/hooks", "réseau privé ou interne"),
        ("https://user:secret@example.org/", "nom d'utilisateur ou un mot de passe"),
    ],
)
def test_an_address_that_is_not_public_https_is_refused(client, programme, officer, url, reason):
    client.force_login(officer)

    response = client.post(
        reverse("webhooks:endpoint_add", args=[programme.slug]),
        {"url": url, "events": ["label.issued"]},
    )

    assert response.status_code == 400
    assert reason in text_of(response)
    assert not Endpoint.objects.exists()


def test_the_machine_itself_is_refused_unless_the_setting_allows_it(settings):
    addresses.check("http://127.0.0.1:8000/hooks")
    settings.WEBHOOKS_ALLOW_LOCALHOST = False

    for url in ("http://127.0.0.1:8000/hooks", "https://localhost/hooks"):
        with pytest.raises(addresses.RefusedAddress):
            addresses.check(url)


def test_a_name_that_resolves_inside_is_refused(monkeypatch):
    monkeypatch.setattr(
        addresses.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(2, 1, 6, "", ("192.168.1.20", 443))],
    )

    with pytest.raises(addresses.RefusedAddress):
        addresses.check("https://hooks.example.org/in")


def test_the_log_shows_each_answer_and_filters_by_state(
    client, endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    receiver.answer_with(200, 500)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(Event.LABEL_ISSUED, programme.pk, {"number": "A"})
    with django_capture_on_commit_callbacks(execute=True):
        events.record(Event.LABEL_REVOKED, programme.pk, {"number": "B"})
    client.force_login(officer)

    page = text_of(client.get(log_url(endpoint)))
    waiting = text_of(client.get(log_url(endpoint), {"state": "queued"}))

    assert "2 envois" in page
    assert "Label délivré" in page and "200" in page and "answer 200" in page
    assert "Label retiré" in page and "500" in page and "answer 500" in page
    assert "1 envoi " in waiting and "answer 500" in waiting and "answer 200" not in waiting


def test_send_again_posts_the_delivery_anew(
    client, endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = events.record(Event.LABEL_ISSUED, programme.pk, {"number": "A"})
    client.force_login(officer)

    response = client.post(
        reverse("webhooks:send_again", args=[programme.slug, endpoint.pk, delivery.pk]),
        follow=True,
    )

    assert len(receiver.requests) == 2
    assert "L'envoi est renvoyé." in text_of(response)


def test_the_resume_button_sends_what_waited(
    client, endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        paused_at=timezone.now(), failing_since=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.record(Event.LABEL_ISSUED, programme.pk, {"number": "A"})
    client.force_login(officer)
    assert "Réactiver le point de réception" in text_of(client.get(log_url(endpoint)))
    assert receiver.requests == []

    client.post(reverse("webhooks:resume", args=[programme.slug, endpoint.pk]))

    assert len(receiver.requests) == 1
    assert Delivery.objects.get().state == Delivery.State.DELIVERED


@pytest.mark.parametrize("who", ["other_officer", "ministry", "applicant", "reviewer"])
def test_strangers_get_404_everywhere(client, endpoint, programme, request, who):
    client.force_login(request.getfixturevalue(who))
    slug = programme.slug
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event=Event.LABEL_ISSUED,
        event_id=uuid.uuid4(),
        occurred_at=timezone.now(),
        payload={},
    )

    for method, url in [
        ("get", reverse("webhooks:endpoints", args=[slug])),
        ("get", reverse("webhooks:endpoint_add", args=[slug])),
        ("get", log_url(endpoint)),
        ("get", reverse("webhooks:endpoint_edit", args=[slug, endpoint.pk])),
        ("post", reverse("webhooks:regenerate_secret", args=[slug, endpoint.pk])),
        ("post", reverse("webhooks:resume", args=[slug, endpoint.pk])),
        ("post", reverse("webhooks:delete", args=[slug, endpoint.pk])),
        ("post", reverse("webhooks:send_again", args=[slug, endpoint.pk, delivery.pk])),
    ]:
        assert getattr(client, method)(url).status_code == 404, url


def test_an_administrator_manages_any_programmes_webhooks(client, endpoint, admin_user):
    client.force_login(admin_user)

    assert client.get(log_url(endpoint)).status_code == 200


def test_the_log_runs_the_same_queries_whatever_its_length(
    client, endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    events.record(Event.LABEL_ISSUED, programme.pk, {"number": "A"})
    few = queries_of(client, log_url(endpoint))
    for number in range(20):
        events.record(Event.LABEL_ISSUED, programme.pk, {"number": str(number)})
    many = queries_of(client, log_url(endpoint))

    assert_same_count(few, many, ceiling=12)


def test_the_programme_page_links_its_officers_to_the_webhooks(client, endpoint, programme):
    officer = UserFactory()
    programme.staff.create(user=officer, role="officer")
    client.force_login(officer)

    page = client.get(reverse("applications:staff_programme", args=[programme.slug]))

    assert reverse("webhooks:endpoints", args=[programme.slug]) in page.content.decode()
