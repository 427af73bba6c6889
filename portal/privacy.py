"""What Guichet holds about a person: the copy they may download, and erasing their account.

Each app registers, in its ``AppConfig.ready``, a ``Holder`` describing what it keeps about a
person (so that ``portal`` imports no app above it):

    privacy.register(privacy.Holder("reviews", collect=..., obstacles=..., erase=...))

An app also says what an organisation still has open with a programme (``open_matters``: a
dossier under way, a valid label, a report to file). An organisation's only member may not
delete their account while it has anything open: nobody would be left to act on it, so they
invite a successor first. With nothing open, the organisation simply remains without members.

Erasing an account keeps the legal record: dossiers, receipts, letters, reviews, decisions,
labels and their history stay, attached to a user row whose name, address, phone and password
are gone and which can no longer sign in. What only served the person (memberships, staff
grants, exports, sign-in records) is deleted.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import services
from portal.emails import send_templated_email
from portal.models import (
    BackgroundExport,
    BackgroundImport,
    Invitation,
    Membership,
    Notification,
    Organisation,
    OutgoingEmail,
    StateChange,
    User,
)


def _no_obstacle(user: User) -> list[str]:
    return []


def _nothing_collected(user: User) -> dict:
    return {}


def _nothing_open(organisation: Organisation) -> list[str]:
    return []


def _nothing_to_erase(user: User) -> None:
    return None


@dataclass(frozen=True)
class Holder:
    """What one app keeps about a person.

    ``collect`` returns the app's part of the download (JSON-ready values); ``obstacles``
    returns, in words for the person, what must happen before the account can go;
    ``erase`` removes what only served the person, inside the erasure's transaction;
    ``open_matters`` names, in words for the person ("an application in progress"), what an
    organisation still has open with the app, which its last member may not abandon.
    """

    name: str
    collect: Callable[[User], dict] = _nothing_collected
    obstacles: Callable[[User], list[str]] = _no_obstacle
    erase: Callable[[User], None] = _nothing_to_erase
    open_matters: Callable[[Organisation], list[str]] = _nothing_open


class Obstacle(str):
    """A reason the account cannot go yet, with the page where the person can remove it."""

    link: str | None
    link_text: str

    def __new__(cls, message: str, link: str | None = None, link_text: str = "") -> "Obstacle":
        obstacle = super().__new__(cls, message)
        obstacle.link, obstacle.link_text = link, link_text
        return obstacle


_HOLDERS: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    _HOLDERS[holder.name] = holder


def when(moment: dt.datetime | None) -> str | None:
    """A moment as ISO 8601 in the portal's time zone (Brussels), as people read it."""
    return timezone.localtime(moment).isoformat() if moment else None


def personal_data(user: User) -> dict:
    """Everything the portal holds about ``user``, by app, ready for ``json.dumps``."""
    data = {
        "generated_at": when(timezone.now()),
        "about": _(
            "The personal data Guichet holds about you. Applications and reports belong to your "
            "organisation; here you find what you entered or did yourself."
        ),
    }
    for holder in _HOLDERS.values():
        data.update(holder.collect(user))
    return data


def open_matters(organisation: Organisation) -> list[str]:
    """What ``organisation`` still has open with the programmes, in words (empty: nothing)."""
    return [matter for holder in _HOLDERS.values() for matter in holder.open_matters(organisation)]


def erasure_obstacles(user: User) -> list[str]:
    """What keeps ``user`` from deleting their account now (empty when nothing does)."""
    return [reason for holder in _HOLDERS.values() for reason in holder.obstacles(user)]


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def erase_account(user: User) -> None:
    """Delete ``user``'s account: every app removes what only served them, then the person's
    identity is erased from the user row, which stays for the legal record. The person is
    told by email, at the address they had. Raises ``ErasureRefused``."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        # Two managers (or the last two administrators) leaving at once must not both pass
        # the checks: lock the rows the checks read, as a change of role does.
        list(
            Membership.objects.select_for_update().filter(
                organisation__in=Membership.objects.filter(user=user).values("organisation")
            )
        )
        if user.is_superuser:
            list(User.objects.select_for_update().filter(is_superuser=True, is_active=True))
        reasons = erasure_obstacles(user)
        if reasons:
            raise ErasureRefused(reasons)
        email, language = user.email, user.language
        # The apps above erase first, as they may rely on what the portal holds.
        for holder in reversed(_HOLDERS.values()):
            holder.erase(user)
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.full_name = ""
        user.phone = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.erased_at = timezone.now()
        # A new, unusable password also ends every session the person had open.
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        send_templated_email(email, "portal/emails/account_deleted", {}, language)


# What the portal itself holds.


def _collect_portal(user: User) -> dict:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    invitations = Invitation.objects.filter(invited_by=user).select_related("organisation")
    history = StateChange.objects.filter(by=user).select_related("content_type").order_by("at")
    exports = BackgroundExport.objects.filter(owner=user).order_by("created_at")
    imports = BackgroundImport.objects.filter(owner=user).order_by("created_at")
    emails = OutgoingEmail.objects.filter(recipient__iexact=user.email).order_by("created_at")
    notifications = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    sign_ins = AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
    failures = AccessFailureLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
    attempts = AccessAttempt.objects.filter(username__iexact=user.email)
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "joined_on": when(user.date_joined),
            "last_sign_in": when(user.last_login),
            "roles": [role.value for role in user.roles],
            # Only whether a keyed hash is kept: the number itself never is (portal/oidc.py).
            "national_number_kept_as_keyed_hash": bool(user.national_number_hash),
        },
        "sign_in_services": [
            {
                "service": identity.provider,
                "linked_on": when(identity.created_at),
                "last_used_on": when(identity.last_used_at),
            }
            for identity in user.external_identities.order_by("created_at")
        ],
        "organisations": [
            {
                "organisation": m.organisation.legal_name,
                "enterprise_number": m.organisation.enterprise_number,
                "role": m.role,
                "joined_on": when(m.joined_at),
            }
            for m in memberships
        ],
        "invitations_sent": [
            {
                "organisation": i.organisation.legal_name,
                "email": i.email,
                "sent_on": when(i.created_at),
                "accepted_on": when(i.accepted_at),
            }
            for i in invitations
        ],
        "actions": [
            {
                "object": change.content_type.model,
                "object_id": change.object_id,
                "transition": change.transition,
                "from": change.source,
                "to": change.target,
                "at": when(change.at),
                "comment": change.comment,
            }
            for change in history
        ],
        "exports": [
            {"kind": e.kind, "format": e.format, "filter": e.query, "asked_on": when(e.created_at)}
            for e in exports
        ],
        "imports": [
            {
                "records": i.model,
                "file": i.file_name,
                "state": i.state,
                "asked_on": when(i.created_at),
                "finished_on": when(i.finished_at),
            }
            for i in imports
        ],
        "emails": [
            {
                "subject": e.subject,
                "body": e.body,
                "state": e.state,
                "written_on": when(e.created_at),
                "sent_on": when(e.sent_at),
            }
            for e in emails
        ],
        "notifications": {
            "portal_only": list(user.email_opt_out or []),
            "inbox": [
                {
                    "kind": n.kind,
                    "subject": n.subject,
                    "body": n.body,
                    "link": n.link,
                    "emailed": n.emailed,
                    "received_on": when(n.created_at),
                    "read_on": when(n.read_at),
                }
                for n in notifications
            ],
        },
        "sign_ins": [_sign_in(log) for log in sign_ins],
        "failed_sign_ins": [_sign_in(log) for log in failures],
        "sign_in_lockout_counters": [
            {
                "since": when(attempt.attempt_time),
                "failures": attempt.failures_since_start,
                "ip_address": attempt.ip_address,
                "browser": attempt.user_agent,
            }
            for attempt in attempts
        ],
    }


def _sign_in(log) -> dict:
    return {"at": when(log.attempt_time), "ip_address": log.ip_address, "browser": log.user_agent}


def _portal_obstacles(user: User) -> list[str]:
    reasons = []
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        reasons.append(_("You are the last administrator: name another one first."))
    for membership in Membership.objects.filter(
        user=user, role=Membership.Role.OWNER
    ).select_related("organisation"):
        organisation = membership.organisation
        others = organisation.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.OWNER).exists():
            reasons.append(
                _(
                    "You are the last manager of %(organisation)s: make another member a "
                    "manager first."
                )
                % {"organisation": organisation}
            )
    reasons.extend(_sole_member_obstacles(user))
    return reasons


def _sole_member_obstacles(user: User) -> list[Obstacle]:
    """The organisations ``user`` is the only member of that still have something open: a
    successor must join (accept an invitation) before the account can go."""
    reasons = []
    others = Membership.objects.filter(organisation=OuterRef("organisation")).exclude(user=user)
    memberships = (
        Membership.objects.filter(user=user).filter(~Exists(others)).select_related("organisation")
    )
    for membership in memberships:
        organisation = membership.organisation
        matters = open_matters(organisation)
        if matters:
            reasons.append(
                Obstacle(
                    _(
                        "You are the only member of %(organisation)s, which still has %(matters)s: "
                        "nobody would be left to act on it. Invite a successor to the "
                        "organisation; once they have joined, you may delete your account."
                    )
                    % {"organisation": organisation, "matters": ", ".join(matters)},
                    link=reverse("portal:organisation_invite", args=[organisation.pk]),
                    link_text=_("Invite a successor to %(organisation)s")
                    % {"organisation": organisation},
                )
            )
    return reasons


def _erase_portal(user: User) -> None:
    Membership.objects.filter(user=user).delete()
    user.external_identities.all().delete()
    user.national_number_hash = None
    Invitation.objects.pending().for_email(user.email).delete()
    Invitation.objects.for_email(user.email).update(email=f"deleted-{user.pk}@deleted.invalid")
    services.delete_jobs(BackgroundExport.objects.filter(owner=user))
    services.delete_jobs(BackgroundImport.objects.filter(owner=user))
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=user.email).delete()
    # Emails to the person still in the outbox (waiting, failed or sent lately); the notice
    # that the account is deleted is written afterwards, and purged once sent.
    OutgoingEmail.objects.filter(recipient__iexact=user.email).delete()
    # The inbox, and the choices about it, only served the person.
    Notification.objects.filter(recipient=user).delete()
    user.unread_notifications = 0
    user.email_opt_out = []
    # The admin's log names the row as it was; emails of tasks enqueued before the outbox
    # existed sit in the task results.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=str(_("deleted account")))
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.annotate(text=Cast("args_kwargs", TextField())).filter(
            text__icontains=user.email
        ).delete()


PORTAL = Holder("portal", collect=_collect_portal, obstacles=_portal_obstacles, erase=_erase_portal)
