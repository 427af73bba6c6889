"""The inbox (portal.notifications): every message of the portal to a person is kept there,
in their language; by email too unless they chose "in the portal only" for its category."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import notifications
from portal.emails import send_to_user, send_to_users
from portal.models import Notification, OutgoingEmail, User
from portal.privacy import erase_account, personal_data
from tests.factories import ApplicationFactory, UserFactory
from tests.queries import assert_same_count, queries_of

pytestmark = pytest.mark.django_db


def submitted(user, application):
    """A real message of the portal, in the "applications" category."""
    receipt = SimpleNamespace(number="2011-0042", issued_at=timezone.now())
    send_to_user(
        user, "applications/emails/submitted", {"application": application, "receipt": receipt}
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def notify(user, n=1, prefix="Message", **fields):
    for i in range(n):
        notifications.record(
            user,
            "applications/emails/submitted",
            f"{prefix} {i}",
            "Bonjour,\n\nTexte.",
            emailed=True,
        )
    if fields:
        Notification.objects.filter(recipient=user).update(**fields)


def test_every_email_to_a_user_is_also_in_their_inbox_in_their_language():
    application = ApplicationFactory(reference="CW-2011-0042")
    anne = UserFactory(language="en", full_name="Anne")

    submitted(anne, application)

    email = OutgoingEmail.objects.get(recipient=anne.email)
    notification = Notification.objects.get(recipient=anne)
    assert notification.subject == email.subject == "Application CW-2011-0042 received"
    assert notification.kind == "applications/emails/submitted"
    assert notification.body == email.body
    assert notification.link == application.get_absolute_url()
    assert notification.read_at is None and notification.emailed
    assert "Hello Anne" not in notification.excerpt
    assert "We have received the application CW-2011-0042" in notification.excerpt
    anne.refresh_from_db()
    assert anne.unread_notifications == 1


def test_messages_sent_together_are_each_in_their_language_inbox_and_email(
    django_capture_on_commit_callbacks, monkeypatch
):
    """A job's many messages at once (``send_to_users``): what ``send_to_user`` gives each
    person, the unread counts set once for all, and the emails handed over after commit."""
    application = ApplicationFactory(reference="CW-2011-0042")
    receipt = SimpleNamespace(number="2011-0042", issued_at=timezone.now())
    context = {"application": application, "receipt": receipt}
    anne = UserFactory(language="en", full_name="Anne")
    bruno = UserFactory(language="fr", email_opt_out=["applications"])
    notify(anne, 2)  # two unread already
    handed = []
    monkeypatch.setattr("portal.emails.enqueue", handed.append)

    with django_capture_on_commit_callbacks(execute=True):
        send_to_users(
            [
                (anne, "applications/emails/submitted", context),
                (bruno, "applications/emails/submitted", context),
                (anne, "portal/emails/password_reset", {"link": "http://testserver/reset/x/"}),
            ]
        )

    subjects = dict(Notification.objects.filter(recipient=bruno).values_list("kind", "subject"))
    assert subjects == {"applications/emails/submitted": "Dossier CW-2011-0042 reçu"}
    assert list(
        Notification.objects.filter(recipient=anne, kind__startswith="portal/").values_list(
            "subject", "body"
        )
    ) == [("Choose a new Guichet password", "")]
    emails = OutgoingEmail.objects.order_by("pk")
    assert [(email.recipient, email.subject) for email in emails] == [
        (anne.email, "Application CW-2011-0042 received"),
        (anne.email, "Choose a new Guichet password"),
    ]  # Bruno reads his in the portal only
    assert handed == list(emails)
    anne.refresh_from_db()
    bruno.refresh_from_db()
    assert (anne.unread_notifications, bruno.unread_notifications) == (4, 1)


def test_a_link_that_acts_for_the_person_stays_out_of_the_inbox():
    anne = UserFactory(language="en")

    send_to_user(anne, "portal/emails/password_reset", {"link": "http://testserver/reset/x/"})

    notification = Notification.objects.get(recipient=anne)
    assert notification.subject == "Choose a new Guichet password"
    assert notification.body == "" and notification.link == ""
    assert OutgoingEmail.objects.filter(recipient=anne.email).exists()


def test_a_category_in_the_portal_only_sends_no_email_but_keeps_the_notification():
    anne = UserFactory(email_opt_out=["applications"])

    submitted(anne, ApplicationFactory())

    assert not OutgoingEmail.objects.exists()
    notification = Notification.objects.get(recipient=anne)
    assert not notification.emailed


def test_messages_with_a_legal_effect_are_emailed_whatever_the_choice():
    anne = UserFactory(email_opt_out=["applications", "reviews", "labels", "reports"])
    application = ApplicationFactory(inadmissibility_reason="Hors délai.")

    send_to_user(anne, "applications/emails/inadmissible", {"application": application})
    send_to_user(anne, "portal/emails/password_reset", {"link": "http://testserver/x/"})

    assert OutgoingEmail.objects.filter(recipient=anne.email).count() == 2
    assert Notification.objects.filter(recipient=anne, emailed=True).count() == 2


def test_the_profile_page_saves_the_choice_per_category(client):
    anne = UserFactory(language="en")
    signed_in(client, anne)

    page = client.get(reverse("portal:profile"))
    assert "In the portal only" in page.content.decode()
    response = client.post(
        reverse("portal:profile"),
        {
            "full_name": anne.full_name,
            "language": "en",
            "applications": "email",
            "reviews": "portal",
            "reports": "portal",
        },
    )

    assert response.status_code == 302
    anne.refresh_from_db()
    assert anne.email_opt_out == ["reports", "reviews"]
    assert notifications.by_email(anne, "reporting/emails/reminder") is False
    assert notifications.by_email(anne, "applications/emails/submitted") is True


def test_the_inbox_lists_my_notifications_only_and_others_are_404(client):
    anne, bruno = UserFactory(language="en"), UserFactory()
    notify(anne, prefix="For Anne")
    notify(bruno, prefix="For Bruno")
    signed_in(client, anne)

    page = client.get(reverse("portal:notifications")).content.decode()
    assert "For Anne 0" in page and "For Bruno" not in page
    others = Notification.objects.get(recipient=bruno)
    assert client.get(reverse("portal:notification", args=[others.pk])).status_code == 404
    assert client.post(reverse("portal:notification_read", args=[others.pk])).status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_one_read_then_all(client):
    anne = UserFactory(language="en")
    notify(anne, 3)
    first = Notification.objects.filter(recipient=anne).last()
    signed_in(client, anne)

    response = client.post(reverse("portal:notification_read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    anne.refresh_from_db()
    assert anne.unread_notifications == 2

    client.post(reverse("portal:notifications_read"))

    assert not Notification.objects.filter(recipient=anne, read_at__isnull=True).exists()
    anne.refresh_from_db()
    assert anne.unread_notifications == 0


def test_following_a_notification_marks_it_read_and_goes_to_its_link(client):
    anne = UserFactory()
    submitted(anne, ApplicationFactory())
    notification = Notification.objects.get(recipient=anne)
    signed_in(client, anne)

    response = client.get(reverse("portal:notification", args=[notification.pk]))

    assert response.url == notification.link
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_off_the_portal_is_never_followed(client):
    anne = UserFactory()
    notify(anne)
    Notification.objects.filter(recipient=anne).update(link="//evil.example/")
    notification = Notification.objects.get(recipient=anne)
    signed_in(client, anne)

    response = client.get(reverse("portal:notification", args=[notification.pk]))

    assert response.url == reverse("portal:notifications")


def test_the_header_tells_the_unread_count_in_words(client):
    anne = UserFactory(language="en")
    notify(anne, 3)
    signed_in(client, anne)

    page = client.get(reverse("portal:profile")).content.decode()

    assert 'Inbox (3<span class="visually-hidden"> unread</span>)' in page

    client.post(reverse("portal:notifications_read"))
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Inbox</a>" in page


def test_the_inbox_runs_as_many_queries_with_many_notifications(client):
    anne = UserFactory(language="en")
    notify(anne, 2)
    signed_in(client, anne)
    few = queries_of(client, reverse("portal:notifications"))

    notify(anne, 30)
    many = queries_of(client, reverse("portal:notifications"))

    assert_same_count(few, many, ceiling=8)


def test_the_inbox_shows_brussels_time(client):
    anne = UserFactory(language="en")
    notify(anne, created_at=dt.datetime(2011, 6, 30, 22, 30, tzinfo=dt.UTC))
    signed_in(client, anne)

    page = client.get(reverse("portal:notifications")).content.decode()

    assert "1 July 2011" in page and "00:30" in page


def test_notifications_are_personal_data_and_go_with_the_account():
    anne = UserFactory(email_opt_out=["reports"])
    notify(anne, 2)

    data = personal_data(anne)
    assert [n["subject"] for n in data["notifications"]["inbox"]] == ["Message 0", "Message 1"]
    assert data["notifications"]["portal_only"] == ["reports"]

    erase_account(anne)

    assert not Notification.objects.filter(recipient=anne).exists()
    anne = User.objects.get(pk=anne.pk)
    assert anne.unread_notifications == 0 and anne.email_opt_out == []


def test_a_french_speaker_reads_the_notification_and_the_header_in_french(client):
    application = ApplicationFactory(reference="CW-2011-0042")
    anne = UserFactory(language="fr-be")

    submitted(anne, application)
    client.force_login(anne)
    page = client.get(reverse("portal:notifications"), HTTP_ACCEPT_LANGUAGE="fr-be")

    assert Notification.objects.get(recipient=anne).subject == "Dossier CW-2011-0042 reçu"
    text = page.content.decode()
    assert "Boîte de réception (1" in text and "non lue" in text
