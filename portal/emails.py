"""Emails rendered from template files in the recipient's language, kept in the outbox
(``OutgoingEmail``) and sent by a task after commit, again and again until the mail server
takes them (see ``OutgoingEmail.RETRY_DELAYS``)."""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal import messages, notifications
from portal.links import site_url
from portal.models import OutgoingEmail
from portal.tasks import deliver_email

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict, language: str) -> tuple[str, str]:
    """Subject and body of the message ``template`` (``portal.messages``: a programme's
    wording or the default), or of the template files ``<template>_subject.txt`` and
    ``_body.txt`` for a message not registered there; links start with ``site_url``
    (see ``portal.links``)."""
    if messages.get(template) is not None:
        return messages.render(template, context, language)
    context = {"site_url": site_url(), **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.splitlines()), body


Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def send_templated_email(
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[Attachment] = (),
) -> None:
    """Render now (in ``language``, French by default) and enqueue the sending after commit,
    with ``attachments`` (a certificate drawn in the same language, say)."""
    subject, body = render_email(template, context, language or settings.LANGUAGE_CODE)
    queue_email(to, subject, body, encoded(attachments))


def encoded(attachments: list[Attachment]) -> list:
    """Attachments as kept in the outbox: (file name, base64 content, MIME type)."""
    return [
        (name, base64.b64encode(content).decode("ascii"), mimetype)
        for name, content, mimetype in attachments
    ]


def queue_email(to: str, subject: str, body: str, attachments: list = ()) -> OutgoingEmail:
    """Put an already-rendered email in the outbox, in the caller's transaction (a rolled-back
    change sends nothing), and hand it to a task once that commits. ``attachments`` are
    (file name, base64 content, MIME type)."""
    email = OutgoingEmail.objects.create(
        recipient=to, subject=subject, body=body, attachments=[list(a) for a in attachments]
    )
    transaction.on_commit(lambda: enqueue(email))
    return email


def queue_emails(emails: list[tuple[str, str, str]]) -> list[OutgoingEmail]:
    """:func:`queue_email` for many emails without attachments, (recipient, subject, body)
    each: written a batch at a time, handed to the tasks once the caller's transaction
    commits."""
    queued = OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(recipient=to, subject=subject, body=body) for to, subject, body in emails],
        batch_size=notifications.BATCH,
    )
    transaction.on_commit(lambda: enqueue_all(queued))
    return queued


def send_to_user(user, template: str, context: dict, attachments: list[Attachment] = ()) -> None:
    """Send to a user in the language of their profile: the message goes to their inbox on
    the portal (``portal.notifications``) and, unless they chose "in the portal only" for
    its category, by email, both in the caller's transaction."""
    subject, body = render_email(template, {"user": user, **context}, user.language)
    deliver_to_user(
        user,
        template,
        subject,
        body,
        encoded(attachments),
        emailed=notifications.by_email(user, template),
    )


def send_to_users(messages: list[tuple[object, str, dict]]) -> None:
    """:func:`send_to_user` for many messages without attachments, (user, template, context)
    each, as a job sends them: each rendered in its person's language, then the inbox lines,
    the unread counts and the emails written in bulk, in the caller's transaction."""
    rendered = []
    for user, template, context in messages:
        subject, body = render_email(template, {"user": user, **context}, user.language)
        rendered.append((user, template, subject, body, notifications.by_email(user, template)))
    notifications.record_all(rendered)
    queue_emails(
        [(user.email, subject, body) for user, _kind, subject, body, emailed in rendered if emailed]
    )


def deliver_to_user(
    user, kind: str, subject: str, body: str, attachments: list = (), *, emailed: bool
) -> OutgoingEmail | None:
    """Put an already-rendered message in ``user``'s inbox and, if ``emailed``, in the
    outbox (``attachments`` base64-encoded); the email, if any."""
    notifications.record(user, kind, subject, body, emailed=emailed)
    if emailed:
        return queue_email(user.email, subject, body, attachments)
    return None


def enqueue(email: OutgoingEmail) -> None:
    """Hand the email's next attempt to the task backend: deferred to its time where the
    backend can (database, RQ), else at once if due. An email the backend cannot take now
    stays in the outbox, where ``manage.py send_queued_emails`` (cron) finds it when due."""
    task = deliver_email
    if email.next_attempt_at > timezone.now():
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=email.next_attempt_at)
    try:
        task.enqueue(email.pk)
    except Exception:  # the queue is down (Redis, database): the cron job will enqueue it
        logger.exception("Could not enqueue outgoing email %s", email.pk)


def enqueue_all(emails: list[OutgoingEmail]) -> None:
    """:func:`enqueue` each of ``emails``."""
    for email in emails:
        enqueue(email)


def enqueue_due(now=None) -> int:
    """Enqueue every waiting email whose attempt has come (a backend that cannot defer, a
    lost task, a queue that was down); the number enqueued. Safe to run often: each
    attempt is claimed before it is made."""
    due = list(OutgoingEmail.objects.due(now).order_by("next_attempt_at"))
    enqueue_all(due)
    return len(due)


def deliver(email_id: int) -> str | None:
    """Make the email's next attempt, if due and not taken by another worker; its state
    afterwards (``None`` if no attempt was made). A refusal is noted (``last_error``) and
    the next attempt scheduled."""
    email = OutgoingEmail.claim(email_id)
    if email is None:
        return None
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.recipient])
    for name, content, mimetype in email.attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    try:
        message.send()
    except Exception as error:  # refused, unreachable, timed out, TLS: all worth a retry
        email.mark_failed_attempt(f"{type(error).__name__}: {error}")
        level = logging.ERROR if email.state == OutgoingEmail.State.FAILED else logging.WARNING
        logger.log(level, "Email %s, attempt %s: %s", email.pk, email.attempts, email.last_error)
        if email.state == OutgoingEmail.State.QUEUED:
            enqueue(email)
    else:
        email.mark_sent()
    return email.state


def send_again(emails) -> int:
    """Queue failed emails for a new round of attempts, after commit; the number queued."""
    failed = list(emails.filter(state=OutgoingEmail.State.FAILED))
    for email in failed:
        email.queue_again()
        transaction.on_commit(lambda email=email: enqueue(email))
    return len(failed)
