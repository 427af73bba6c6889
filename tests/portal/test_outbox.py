"""The outbox: an email the mail server refuses waits and is tried again, later and later,
until the server takes it; after the last attempt it is "failed", listed in the admin, sent
again from there, and never purged unsent."""

import datetime as dt
import socket
from email import message_from_bytes
from io import StringIO

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.emails import send_templated_email
from portal.models import OutgoingEmail, User

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class MailServer:
    """A local SMTP server, on a port where nothing listens until ``start()``."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT = False, "", 5
    yield server
    server.stop()


def send_password_reset(capture):
    with capture(execute=True):  # the email goes once the request's transaction commits
        send_templated_email(
            "ana@example.be",
            "portal/emails/password_reset",
            {"user": User(full_name="Ana"), "link": "https://guichet.example/x/"},
            language="en",
        )
    return OutgoingEmail.objects.get()


def run_cron(traveller, after: dt.timedelta) -> str:
    traveller.shift(after)
    out = StringIO()
    call_command("send_queued_emails", stdout=out)
    return out.getvalue().strip()


def test_a_refused_email_waits_and_goes_once_the_mail_server_accepts(
    db, mail_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        email = send_password_reset(django_capture_on_commit_callbacks)

        assert email.state == OutgoingEmail.State.QUEUED
        assert email.attempts == 1
        assert "ConnectionRefusedError" in email.last_error
        assert email.next_attempt_at == timezone.now() + dt.timedelta(minutes=1)
        assert run_cron(traveller, dt.timedelta(seconds=30)) == "0 email(s) enqueued."

        mail_server.start()
        assert run_cron(traveller, dt.timedelta(seconds=30)) == "1 email(s) enqueued."

    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 2)
    [message] = mail_server.received
    assert message["Subject"] == "Choose a new Guichet password"
    assert message["To"] == "ana@example.be"


# The worker closes its database connection between tasks, as it would in production.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_refused_email_schedules_its_own_retry(
    mail_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    email = send_password_reset(django_capture_on_commit_callbacks)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.QUEUED, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == email.next_attempt_at
    assert retry.args_kwargs["args"] == [email.pk]

    mail_server.start()
    with time_machine.travel(email.next_attempt_at, tick=False):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert len(mail_server.received) == 1


def test_an_attempt_taken_by_one_worker_is_not_made_by_another(
    db, mail_server, django_capture_on_commit_callbacks
):
    from portal.emails import deliver

    email = send_password_reset(django_capture_on_commit_callbacks)
    mail_server.start()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert OutgoingEmail.claim(email.pk)  # a worker is sending it

    assert deliver(email.pk) is None
    assert mail_server.received == []
    email.refresh_from_db()
    assert email.attempts == 2


def test_after_its_last_attempt_an_email_is_failed_listed_in_the_admin_and_sent_again(
    db, mail_server, admin_client, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        email = send_password_reset(django_capture_on_commit_callbacks)
        for delay in OutgoingEmail.RETRY_DELAYS:
            assert run_cron(traveller, delay) == "1 email(s) enqueued."
        assert run_cron(traveller, dt.timedelta(days=1)) == "0 email(s) enqueued."

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS == 6
    assert email.next_attempt_at is None

    changelist = reverse("admin:portal_outgoingemail_changelist")
    page = admin_client.get(changelist, {"state__exact": "failed"}).content.decode()
    assert "ana@example.be" in page
    assert "Choose a new Guichet password" in page
    assert "ConnectionRefusedError" in page  # the last error, for the administrator

    mail_server.start()
    response = admin_client.post(
        changelist,
        {"action": "send_again", "_selected_action": [email.pk]},
        follow=True,
    )

    assert "1 e-mail en échec sera envoyé à nouveau." in response.content.decode()
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert [m["Subject"] for m in mail_server.received] == ["Choose a new Guichet password"]


def test_only_failed_emails_are_sent_again(db, admin_client, mail_server):
    sent = OutgoingEmail.objects.create(
        recipient="b@example.be", subject="S", body="B", state=OutgoingEmail.State.SENT
    )
    response = admin_client.post(
        reverse("admin:portal_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [sent.pk]},
        follow=True,
    )

    assert "Seuls les e-mails en échec peuvent être envoyés à nouveau." in response.content.decode()
    sent.refresh_from_db()
    assert sent.state == OutgoingEmail.State.SENT


def test_the_purge_deletes_old_sent_emails_and_never_a_waiting_or_failed_one(db, settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    long_ago = now - dt.timedelta(days=30)

    def email(state, sent_at=None):
        return OutgoingEmail.objects.create(
            recipient="c@example.be",
            subject=state,
            body="B",
            state=state,
            created_at=long_ago,
            sent_at=sent_at,
        )

    email(OutgoingEmail.State.SENT, sent_at=long_ago)
    recent = email(OutgoingEmail.State.SENT, sent_at=now - dt.timedelta(days=2))
    waiting = email(OutgoingEmail.State.QUEUED)
    failed = email(OutgoingEmail.State.FAILED)

    call_command("purge_emails", "--min-age-days", "7")
    # The task backend's own clean-up removes task results only: the outbox keeps the email.
    call_command("prune_db_task_results", "--min-age-days", "0", verbosity=0)

    assert set(OutgoingEmail.objects.all()) == {recent, waiting, failed}


def test_the_administrator_dashboard_counts_failed_emails(db, admin_client):
    for state in (OutgoingEmail.State.FAILED, OutgoingEmail.State.SENT):
        OutgoingEmail.objects.create(recipient="d@example.be", subject="S", body="B", state=state)

    page = admin_client.get(reverse("portal:role_dashboard", args=["admin"])).content.decode()

    changelist = reverse("admin:portal_outgoingemail_changelist")
    assert "E-mails en échec" in page
    assert f'<a href="{changelist}?state__exact=failed">1</a>' in page
