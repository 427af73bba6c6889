"""A call's mailings: prepared in each recipient's language, previewed, sent through their
page, and a refused address retried, given up, then sent again on request."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from applications import mailings
from applications.models import Application, Mailing, MailingEntry
from portal import emails
from portal.models import Notification, OutgoingEmail
from tests.factories import ApplicationFactory, MembershipFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of

pytestmark = pytest.mark.django_db

MESSAGE = "applications/emails/admissible"  # of the "applications" category, not always emailed
REFUSED = "refuses@example.be"


class RefusingBackend(EmailBackend):
    """The local test backend, whose mail server refuses one address."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise OSError(f"550 5.1.1 <{REFUSED}>: Recipient address rejected")
        return super().send_messages(messages)


@pytest.fixture
def dossier(call, organisation, applicant):
    return ApplicationFactory(
        call=call,
        organisation=organisation,
        state=Application.State.ADMISSIBLE,
        reference="CW-2026-0007",
    )


@pytest.fixture
def english_colleague(organisation):
    user = MembershipFactory(organisation=organisation, role="member").user
    user.language, user.email = "en", REFUSED
    user.save()
    return user


def prepare(dossier, *people) -> Mailing:
    for person in people:
        mailings.add(
            dossier.call, Mailing.Kind.DECISIONS, person, dossier, MESSAGE, {"application": dossier}
        )
    return mailings.prepared(dossier.call, Mailing.Kind.DECISIONS)


def mailing_url(mailing, name="staff_mailing"):
    return reverse(f"applications:{name}", args=[mailing.pk])


def test_a_mailing_holds_each_message_in_its_recipients_language(
    dossier, applicant, english_colleague
):
    applicant.email_opt_out = ["applications"]
    applicant.save()

    mailing = prepare(dossier, applicant, english_colleague)

    french, english = mailing.entries.order_by("pk")
    assert french.subject == "Dossier CW-2026-0007 recevable"
    assert english.subject == "Application CW-2026-0007 is admissible"
    assert "Hello" in english.body and "Bonjour" in french.body
    # The applicant reads the applications' messages in the portal only.
    assert (french.by_email, english.by_email) == (False, True)
    assert prepare(dossier) == mailing  # one prepared mailing per call and kind
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


def test_the_preview_shows_every_message_before_sending(
    client, officer, dossier, applicant, english_colleague
):
    applicant.email_opt_out = ["applications"]
    applicant.save()
    mailing = prepare(dossier, applicant, english_colleague)
    client.force_login(officer)

    listing = text_of(client.get(reverse("applications:staff_mailings", args=[dossier.call.slug])))
    page = client.get(mailing_url(mailing))

    assert "Décisions Préparé" in listing
    text = text_of(page)
    assert "Dossier CW-2026-0007 recevable" in text
    assert "Application CW-2026-0007 is admissible" in text
    assert "Français" in text and "Anglais" in text
    assert "Dans le portail uniquement" in text and "Par e-mail" in text
    assert "Lancer l'envoi groupé" in text
    assert page.content.decode().count("<details") == 2
    staff_call = client.get(reverse("applications:staff_call", args=[dossier.call.slug]))
    assert reverse("applications:staff_mailings", args=[dossier.call.slug]) in (
        staff_call.content.decode()
    )


def test_sending_through_the_page_delivers_each_message(
    client, officer, dossier, applicant, colleague, django_capture_on_commit_callbacks
):
    colleague.email_opt_out = ["applications"]
    colleague.save()
    mailing = prepare(dossier, applicant, colleague)
    client.force_login(officer)

    asked = client.post(mailing_url(mailing, "staff_mailing_send"))
    assert asked.status_code == 200 and "Lancer l'envoi groupé" in text_of(asked)
    mailing = Mailing.objects.get(pk=mailing.pk)
    assert mailing.state == Mailing.State.PREPARED  # the first POST only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mailing_url(mailing, "staff_mailing_send"), {"confirm": "1"})

    assert response.status_code == 302
    mailing = Mailing.objects.get(pk=mailing.pk)
    assert (mailing.state, mailing.sent_by) == (Mailing.State.SENT, officer)
    assert Notification.objects.filter(recipient__in=[applicant, colleague]).count() == 2
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert mail.outbox[0].subject == "Dossier CW-2026-0007 recevable"
    assert mailings.progress(mailing) == {
        "total": 2,
        "portal_only": 1,
        "waiting": 0,
        "sent": 1,
        "failed": 0,
    }
    text = text_of(client.get(mailing_url(mailing)))
    assert "Envoyé" in text and "Dans le portail uniquement" in text
    assert "Lancer l'envoi groupé" not in text


def test_a_mailing_is_sent_once(client, officer, dossier, applicant):
    mailing = prepare(dossier, applicant)
    mailings.send(mailing, by=officer)
    client.force_login(officer)

    response = client.post(mailing_url(mailing, "staff_mailing_send"), {"confirm": "1"})

    assert response.status_code == 400
    assert "Cette action n'est plus possible" in text_of(response)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("who", ["other_officer", "applicant", "reviewer"])
def test_only_the_programmes_staff_reach_the_mailings(request, client, dossier, applicant, who):
    mailing = prepare(dossier, applicant)
    client.force_login(request.getfixturevalue(who))

    for response in (
        client.get(reverse("applications:staff_mailings", args=[dossier.call.slug])),
        client.get(mailing_url(mailing)),
        client.post(mailing_url(mailing, "staff_mailing_send"), {"confirm": "1"}),
        client.post(mailing_url(mailing, "staff_mailing_send_again")),
    ):
        assert response.status_code == 404
    mailing = Mailing.objects.get(pk=mailing.pk)
    assert mailing.state == Mailing.State.PREPARED


def test_the_ministry_may_send_a_mailing(client, ministry, dossier, applicant):
    mailing = prepare(dossier, applicant)
    client.force_login(ministry)

    client.post(mailing_url(mailing, "staff_mailing_send"), {"confirm": "1"})

    mailing = Mailing.objects.get(pk=mailing.pk)
    assert mailing.state == Mailing.State.SENT


def test_an_outbox_mailing_with_one_failing_address_is_retried(
    client, settings, officer, dossier, applicant, english_colleague
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    mailing = prepare(dossier, applicant, english_colleague)
    client.force_login(officer)

    client.post(mailing_url(mailing, "staff_mailing_send"), {"confirm": "1"})

    refused = MailingEntry.objects.get(recipient=english_colleague).email
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert (refused.state, refused.attempts) == (OutgoingEmail.State.QUEUED, 1)
    assert "Recipient address rejected" in refused.last_error
    # Each attempt when its delay has passed, until the last one gives up.
    while refused.state == OutgoingEmail.State.QUEUED:
        with time_machine.travel(refused.next_attempt_at + dt.timedelta(seconds=1)):
            assert emails.deliver(refused.pk) is not None
        refused.refresh_from_db()
    assert (refused.state, refused.attempts) == (OutgoingEmail.State.FAILED, 6)
    assert mailings.progress(mailing)["failed"] == 1

    page = text_of(client.get(mailing_url(mailing)))
    assert "Échoué" in page
    assert "Après 6 tentatives : OSError: 550 5.1.1 <refuses@example.be>" in page
    assert "Renvoyer les e-mails échoués" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(mailing_url(mailing, "staff_mailing_send_again"))

    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.state == OutgoingEmail.State.SENT
    assert [m.to for m in mail.outbox] == [[applicant.email], [REFUSED]]
    assert mail.outbox[1].subject == "Application CW-2026-0007 is admissible"
    assert mailings.progress(mailing) == {
        "total": 2,
        "portal_only": 0,
        "waiting": 0,
        "sent": 2,
        "failed": 0,
    }
    assert "Renvoyer les e-mails échoués" not in text_of(client.get(mailing_url(mailing)))


def test_the_mailing_page_runs_as_many_queries_for_many_recipients(client, officer, dossier):
    def members(count):
        return [MembershipFactory(organisation=dossier.organisation).user for _ in range(count)]

    mailing = prepare(dossier, *members(1))
    client.force_login(officer)
    one = queries_of(client, mailing_url(mailing))
    prepare(dossier, *members(4))
    five = queries_of(client, mailing_url(mailing))
    mailings.send(mailing, by=officer)
    sent = queries_of(client, mailing_url(mailing))

    assert_same_count(one, five, ceiling=12)
    assert len(sent) <= len(five)  # each entry's email comes with it
