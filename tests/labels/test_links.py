"""Links in label emails and on certificates: to the right page, on the right site; the
command that draws again certificates printed with a wrong site address."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from labels import services
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db


def links_to(address) -> list[str]:
    return [
        link
        for message in mail.outbox
        if address in message.to
        for link in re.findall(r"https?://\S+", message.body)
    ]


def certificate_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def test_the_issued_email_sends_officers_to_the_staff_page_and_holders_to_theirs(
    call, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        label = services.issue_label(granted(call))
    holder = label.organisation.memberships.get().user

    staff_page = f"http://testserver{reverse('labels:staff_detail', args=[label.number])}"
    assert links_to(officer.email) == [staff_page]
    assert links_to(holder.email) == [f"http://testserver{reverse('labels:mine')}"]


def test_a_certificate_downloaded_from_a_development_server_points_back_to_it(
    client, settings, label, holder
):
    settings.DEBUG = True
    client.force_login(holder)
    response = client.get(
        reverse("labels:certificate", args=[label.number]), HTTP_HOST="127.0.0.1:8790"
    )

    verify = f"http://127.0.0.1:8790/labels/verify/{label.number}/"
    assert verify in certificate_text(response.content)
    label.refresh_from_db()
    assert label.certificate_site_url == "http://127.0.0.1:8790"


def test_regenerate_certificates_mails_holders_a_certificate_with_the_right_address(
    client, settings, label, holder, officer, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    client.force_login(holder)
    client.get(reverse("labels:certificate", args=[label.number]), HTTP_HOST="127.0.0.1:8790")
    settings.DEBUG = False
    settings.SITE_URL = "https://guichet.example.be"
    mail.outbox.clear()

    # Sent as every email is, through portal.emails: after commit, by a task.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificates", stdout=io.StringIO())

    (message,) = mail.outbox
    assert message.to == [holder.email]
    assert "certificat corrigé" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == (f"{label.number}.pdf", "application/pdf")
    text = certificate_text(content)
    assert f"https://guichet.example.be/labels/verify/{label.number}/" in text
    assert "127.0.0.1" not in text
    label.refresh_from_db()
    assert label.certificate_site_url == "https://guichet.example.be"

    # Done once: a second run finds nothing left to correct.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificates", stdout=io.StringIO())
    assert mail.outbox == []


def test_a_certificate_drawn_before_addresses_were_recorded_is_drawn_again(
    settings, label, holder, django_capture_on_commit_callbacks
):
    """Its address is unknown: it followed whatever SITE_URL was, by default 127.0.0.1."""
    label.certificate_site_url = ""
    label.save(update_fields=["certificate_site_url"])
    settings.SITE_URL = "https://guichet.example.be"
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificates", stdout=out)

    assert f"{label.number}: (not recorded) → https://guichet.example.be" in out.getvalue()
    (message,) = mail.outbox
    assert message.to == [holder.email]
    text = certificate_text(message.attachments[0][1])
    assert f"https://guichet.example.be/labels/verify/{label.number}/" in text


def test_regenerate_certificates_dry_run_lists_and_sends_nothing(client, settings, label):
    services.draw_certificate(label)  # drawn with SITE_URL http://testserver
    settings.SITE_URL = "https://guichet.example.be"
    out = io.StringIO()

    call_command("regenerate_certificates", "--dry-run", stdout=out)

    assert f"{label.number}: http://testserver → https://guichet.example.be" in out.getvalue()
    assert mail.outbox == []


def test_a_label_issued_and_never_downloaded_is_not_sent_again(
    label, holder, django_capture_on_commit_callbacks
):
    """It records the address its certificate will carry: no wrong copy exists."""
    assert label.certificate_site_url == "http://testserver"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificates", stdout=io.StringIO())
    assert mail.outbox == []
