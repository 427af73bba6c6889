"""Operations on accounts and organisations that span several rows or send email."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.emails import send_templated_email, send_to_user
from portal.models import Invitation, Membership, Organisation, User
from portal.tokens import email_confirmation_token


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.is_active:
            link = absolute_url(reverse("portal:password_reset"))
            send_to_user(existing, "portal/emails/already_registered", {"link": link})
        else:
            send_confirmation(existing)
        return None
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
    if not invitation.is_pending:
        raise InvitationError("expired")
    if invitation.email.lower() != user.email.lower():
        raise InvitationError("other_address")
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove a member; the last owner of an organisation cannot be removed."""
    if membership.role == Membership.Role.OWNER:
        owners = Membership.objects.select_for_update().filter(
            organisation=membership.organisation_id, role=Membership.Role.OWNER
        )
        if owners.count() <= 1:
            raise ValueError("last owner")
    membership.delete()
