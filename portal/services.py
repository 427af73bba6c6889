"""Operations on accounts, organisations and background exports that span several rows or
send email."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.emails import send_templated_email, send_to_user
from portal.links import absolute_url
from portal.models import (
    BackgroundExport,
    BackgroundImport,
    Invitation,
    Membership,
    Organisation,
    User,
)
from portal.tokens import email_confirmation_token


def send_confirmation(user: User) -> None:
    """Email ``user`` a link that confirms their address and activates the account."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    link = absolute_url(reverse("portal:confirm_email", args=[uid, token]))
    send_to_user(user, "portal/emails/confirm_email", {"link": link})


@transaction.atomic
def sign_up(*, full_name: str, email: str, password: str, language: str) -> User | None:
    """Create an inactive account and send its confirmation link.

    If the address already has an account, its owner is told so by email instead, so that
    the sign-up page reveals nothing about who is registered. Returns the new user, if any.
    """
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and existing.is_active:
        link = absolute_url(reverse("portal:password_reset"))
        send_to_user(existing, "portal/emails/already_registered", {"link": link})
        return None
    if existing is not None:
        # An unconfirmed account belongs to whoever confirms the address: the newest
        # sign-up's name and password win, and older confirmation links stop working.
        existing.full_name, existing.language = full_name, language
        existing.set_password(password)
        existing.save(update_fields=["full_name", "language", "password"])
        send_confirmation(existing)
        return existing
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language, is_active=False
    )
    send_confirmation(user)
    return user


def confirm_email(user: User, token: str) -> bool:
    """Activate ``user`` if ``token`` is theirs and still valid."""
    if user.is_active:
        return False
    if not email_confirmation_token.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


@transaction.atomic
def create_organisation(organisation: Organisation, *, owner: User) -> Organisation:
    """Save a new organisation with ``owner`` as its first member."""
    organisation.save()
    Membership.objects.create(user=owner, organisation=organisation, role=Membership.Role.OWNER)
    return organisation


def invite(organisation: Organisation, email: str, *, by: User) -> Invitation:
    """Record an invitation and email its link; the invitee accepts it once signed in."""
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=by)
    send_templated_email(
        email,
        "portal/emails/invitation",
        {
            "invitation": invitation,
            "organisation": organisation,
            "inviter": by,
            "link": absolute_url(invitation.get_absolute_url()),
        },
        language=by.language,
    )
    return invitation


class InvitationError(Exception):
    """The invitation cannot be accepted by this person; the message says why."""


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member of the invitation's organisation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation.problem_for(user)
    if problem:
        raise InvitationError(problem)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


class LastOwnerError(Exception):
    """An organisation keeps at least one owner."""


def _ensure_another_owner(membership: Membership) -> None:
    if membership.role != Membership.Role.OWNER:
        return
    owners = Membership.objects.select_for_update().filter(
        organisation=membership.organisation_id, role=Membership.Role.OWNER
    )
    if len(owners) <= 1:
        raise LastOwnerError


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove a member; the last owner of an organisation cannot be removed."""
    _ensure_another_owner(membership)
    membership.delete()


@transaction.atomic
def set_role(membership: Membership, role: str) -> None:
    """Make a member an owner or a plain member; the last owner stays an owner."""
    if role != Membership.Role.OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])


def purge_exports(now=None) -> int:
    """Delete background exports (file and record) asked more than
    ``EXPORT_RETENTION_DAYS`` days ago: they hold personal data and amounts, and their
    owner can ask again for a fresh file."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return delete_jobs(BackgroundExport.objects.filter(created_at__lt=cutoff))


def purge_imports(now=None) -> int:
    """Delete background imports that ended without importing (left unconfirmed after their
    check, invalid, failed) more than ``IMPORT_RETENTION_DAYS`` days ago, with their files:
    the file and the row errors hold the data of every row. Imports that ran keep their
    record (the history of the rows says "imported" and by whom), and those still running
    are left alone."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    State = BackgroundImport.State
    return delete_jobs(
        BackgroundImport.objects.filter(
            state__in=[State.CHECKED, State.INVALID, State.FAILED], created_at__lt=cutoff
        )
    )


def delete_jobs(jobs) -> int:
    """Delete background jobs (exports, imports) with their files; the files go once the
    deletion commits, so that a rolled-back transaction leaves no record without its file."""
    deleted = 0
    for job in jobs:
        if job.file:
            name, storage = job.file.name, job.file.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        job.delete()
        deleted += 1
    return deleted
