"""Issuing labels, their life (suspension, revocation, expiry, renewal) and their emails."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import Application, Question, Service
from applications.services import members_of, officers_of
from labels import pdf, verification
from labels.models import (
    Label,
    label_counter,
    label_number,
    last_valid_day,
)
from labels.signals import label_issued
from portal import links, transitions
from portal.emails import send_to_user
from portal.models import Counter, StateChange, User
from portal.transitions import (
    ConcurrentTransition,
    TransitionRefused,
    perform,
    record_creation,
)


def _notify(label: Label, message: str, staff_message: str | None = None, **context) -> None:
    """Tell the holder's members and the programme's officers (``labels.messages``):
    ``staff`` links officers to the label's staff page rather than the holder's; they read
    ``staff_message`` where it has its own."""
    recipients = [(user, False) for user in members_of(label.application)]
    recipients += [(user, True) for user in officers_of(label.application)]
    for user, staff in recipients:
        key = staff_message if staff and staff_message else message
        send_to_user(user, f"labels/emails/{key}", {"label": label, "staff": staff, **context})


@transaction.atomic
def issue_label(application: Application, today: dt.date | None = None) -> Label:
    """The label of a granted dossier: issued once (a second call returns the same label),
    numbered without gaps per programme and year, valid for the call's label validity.
    A label the same holder already has in the programme is superseded (renewed)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    existing = Label.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.state != Application.State.GRANTED:
        raise ValueError("only a granted dossier carries a label")
    call, programme = application.call, application.call.programme
    today = today or timezone.localdate()
    sequence = Counter.next(label_counter(programme.pk, today.year))
    card = application.questionnaire.directory_card(application.answers)
    label = Label.objects.create(
        programme=programme,
        organisation=application.organisation,
        application=application,
        number=label_number(programme.reference_prefix, today.year, sequence),
        issued_on=today,
        valid_until=last_valid_day(today, call.label_validity_months),
        street=application.street,
        postcode=application.postcode,
        municipality=application.municipality,
        space_name=str(application.organisation),
        description=application.summary,
        # The directory's card takes the answers of the questions the call's form names for
        # it (``Question.directory``); a form without them leaves them to the holder.
        capacity=card.get(Question.Directory.CAPACITY),
        opening_hours=card.get(Question.Directory.OPENING_HOURS) or "",
        contact_email=application.organisation.contact_email,
        phone=application.organisation.phone,
        website=application.organisation.website,
        # Its certificate will carry this address until it is first drawn: a label never
        # downloaded has no wrong copy in circulation for regenerate_certificates to mend.
        certificate_site_url=links.site_url(),
    )
    services = card.get(Question.Directory.SERVICES) or []
    label.services.set(Service.objects.filter(code__in=services))
    record_creation(label, by=None)
    verification.signed_statement(label)
    previous = Label.objects.filter(
        programme=programme,
        organisation=application.organisation,
        state__in=[Label.State.ACTIVE, Label.State.EXPIRED],
    ).exclude(pk=label.pk)
    for old in previous:
        perform(
            old,
            "renew",
            by=None,
            system=True,
            successor=label,
            comment=_("Superseded by %(number)s.") % {"number": label.number},
        )
        verification.refresh_status_list()
    label_issued.send(sender=Label, label=label)
    _notify(label, "issued", "issued_staff")
    return label


def suspend(label: Label, *, by: User, reason: str) -> None:
    with transaction.atomic():
        perform(
            label,
            "suspend",
            by=by,
            comment=reason,
            check=lambda: [] if reason.strip() else [_("Give the reason.")],
        )
        _notify(label, "suspended", reason=reason)
        verification.refresh_status_list()


def reinstate(label: Label, *, by: User) -> None:
    with transaction.atomic():
        perform(label, "reinstate", by=by)
        _notify(label, "reinstated")
        verification.refresh_status_list()


def revoke(label: Label, *, by: User, reason: str) -> None:
    with transaction.atomic():
        perform(
            label,
            "revoke",
            by=by,
            comment=reason,
            check=lambda: [] if reason.strip() else [_("Give the reason.")],
        )
        _notify(label, "revoked", reason=reason)
        verification.refresh_status_list()


def note(label: Label, event: str, *, by: User | None, comment: str) -> None:
    """Write a step of the label's surveillance (a non-conformity opened, answered, closed)
    in its history; its state stays as it is."""
    transitions.note(label, event, by=by, comment=comment)


def note_all(event: str, steps: list[tuple[Label, str]]) -> None:
    """Write the step ``event`` of the portal's own surveillance job in the history of each
    label of ``steps`` (label, comment), in one statement."""
    StateChange.objects.bulk_create(
        transitions.step(label, event, by=None, comment=comment) for label, comment in steps
    )


def issue_missing() -> list[Label]:
    """Labels for granted dossiers that have none (a failed issuance at grant time)."""
    missing = Application.objects.filter(state=Application.State.GRANTED, label__isnull=True)
    return [issue_label(application) for application in missing]


def expire_due() -> list[Label]:
    """Expire every active or suspended label whose validity has passed; running it again
    changes nothing. A label someone is changing at that moment is left for the next run.
    Returns the labels expired now."""
    expired = []
    for label in Label.objects.lapsed():
        try:
            with transaction.atomic():
                perform(label, "expire", by=None, system=True)
                _notify(label, "expired")
        except (ConcurrentTransition, TransitionRefused):
            continue
        expired.append(label)
    if expired:
        verification.refresh_status_list()
    return expired


def warn_expiring(today: dt.date | None = None, days: int = 90) -> list[Label]:
    """Tell holders and officers once that a label expires within ``days``."""
    today = today or timezone.localdate()
    warned = []
    for label in Label.objects.expiring_within(days, today).filter(
        expiry_notice_sent_on__isnull=True
    ):
        with transaction.atomic():
            # Only the run that marks the label sends the notice.
            marked = Label.objects.filter(pk=label.pk, expiry_notice_sent_on__isnull=True).update(
                expiry_notice_sent_on=today
            )
            if marked:
                _notify(label, "expiring")
                warned.append(label)
    return warned


def draw_certificate(label: Label, request: HttpRequest | None = None) -> bytes:
    """The label's certificate, remembering which site address its links point to."""
    content = pdf.certificate(label, request)
    site_url = links.site_url(request)
    if label.certificate_site_url != site_url:
        Label.objects.filter(pk=label.pk).update(certificate_site_url=site_url)
        label.certificate_site_url = site_url
    return content


def certificates_to_regenerate():
    """Valid labels whose last certificate may point to another address than ``SITE_URL``:
    another address recorded, or none — certificates drawn before the address was recorded
    pointed to whatever ``SITE_URL`` was then, by default ``http://127.0.0.1:8000``."""
    return (
        Label.objects.filter(state=Label.State.ACTIVE)
        .exclude(certificate_site_url=settings.SITE_URL)
        .select_related("programme", "organisation", "application")
    )


def regenerate_certificate(label: Label) -> int:
    """Draw the certificate again with ``SITE_URL`` and email it, attached, to the members
    of the holder in their language: copies printed before carry a QR code and an address
    that lead nowhere. Returns the number of emails queued (sent after commit)."""
    members = members_of(label.application)
    for user in members:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            content = draw_certificate(label)
        send_to_user(
            user,
            "labels/emails/certificate_regenerated",
            {"label": label},
            attachments=[(f"{label.number}.pdf", content, "application/pdf")],
        )
    return len(members)
