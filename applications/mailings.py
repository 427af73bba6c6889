"""Mailings: the messages of a call that go to many applicants at once (its decisions, its
hearing invitations) wait in a prepared mailing, each rendered in its recipient's language
as it will be sent; staff preview them, then send the mailing, whose emails the task system
delivers in the background (``portal.emails``). A refused address is retried on its own
schedule, and, once given up, sent again on request (docs/messages.md)."""

from django.db import transaction
from django.db.models import Count, Q

from applications.models import Application, Call, Mailing, MailingEntry
from portal import emails, notifications
from portal.emails import Attachment
from portal.models import OutgoingEmail, User
from portal.transitions import perform


def prepared(call: Call, kind: str) -> Mailing:
    """The call's mailing of ``kind`` waiting to be sent, opened if there is none."""
    mailing = Mailing.objects.filter(call=call, kind=kind, state=Mailing.State.PREPARED).first()
    if mailing is None:
        with transaction.atomic():
            mailing, _created = Mailing.objects.select_for_update().get_or_create(
                call=call, kind=kind, state=Mailing.State.PREPARED
            )
    return mailing


def waiting(call: Call, kind: str) -> Mailing | None:
    """The call's mailing of ``kind`` waiting to be sent, with its ``entry_count``; ``None``
    if there is none (none is opened)."""
    return of_call(call).filter(kind=kind, state=Mailing.State.PREPARED, entry_count__gt=0).first()


def add(
    call: Call,
    kind: str,
    user: User,
    application: Application,
    message: str,
    context: dict,
    attachments: list[Attachment] = (),
) -> MailingEntry:
    """Render ``message`` for ``user`` now, in their language, and keep it in the call's
    prepared mailing of ``kind``; nothing is sent before the mailing is."""
    subject, body = emails.render_email(message, {"user": user, **context}, user.language)
    return MailingEntry.objects.create(
        mailing=prepared(call, kind),
        recipient=user,
        application=application,
        kind=message,
        subject=subject,
        body=body,
        attachments=emails.encoded(attachments),
        by_email=notifications.by_email(user, message),
    )


def send(mailing: Mailing, *, by: User) -> int:
    """Send the mailing: every entry reaches its recipient's inbox and, for those who take
    it by email, the outbox, whose emails tasks deliver after commit; the number of
    entries. Refused once sent (``perform``)."""
    with transaction.atomic():
        perform(mailing, "send", by=by)
        entries = list(mailing.entries.select_related("recipient"))
        for entry in entries:
            entry.email = emails.deliver_to_user(
                entry.recipient,
                entry.kind,
                entry.subject,
                entry.body,
                entry.attachments,
                emailed=entry.by_email,
            )
        MailingEntry.objects.bulk_update(entries, ["email"])
    return len(entries)


def send_failed_again(mailing: Mailing) -> int:
    """Queue the mailing's failed emails for a new round of attempts; the number queued."""
    return emails.send_again(
        OutgoingEmail.objects.filter(
            pk__in=mailing.entries.filter(email__isnull=False).values("email")
        )
    )


def progress(mailing: Mailing) -> dict[str, int]:
    """How many entries are waiting, sent, failed, or read in the portal only."""
    state = "email__state"
    return mailing.entries.aggregate(
        total=Count("pk"),
        portal_only=Count("pk", filter=Q(by_email=False)),
        waiting=Count("pk", filter=Q(**{state: OutgoingEmail.State.QUEUED})),
        sent=Count("pk", filter=Q(**{state: OutgoingEmail.State.SENT})),
        failed=Count("pk", filter=Q(**{state: OutgoingEmail.State.FAILED})),
    )


def of_call(call: Call):
    return call.mailings.annotate(entry_count=Count("entries"))
