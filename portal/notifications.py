"""The inbox: every message the portal sends a person (``portal.emails.send_to_user``) is also
kept as a ``Notification``, which they read on the portal; by email too, unless they chose
"in the portal only" for its category on their profile.

A notification's kind is the name of its email templates ("review/emails/invited"). Kinds are
grouped in a few categories a person understands (``CATEGORIES``); the person chooses by
category. Some kinds are always emailed, whatever the choice (``ALWAYS_EMAILED``): the
account's own messages (confirming an address, resetting a password) and those with a legal
effect or a deadline (a decision, an inadmissibility, a request for changes, a label suspended
or withdrawn, a non-conformity).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.links import site_url
from portal.models import Notification, User

# Rows written per statement by the bulk writes (Django writes fewer at once where the
# database takes fewer parameters).
BATCH = 500

# Category code → what the person reads on their profile. The account's category cannot be
# switched off (it is not offered).
ACCOUNT = "account"
CATEGORIES = {
    "applications": _("Your applications"),
    "reviews": _("Reviews and the jury's work"),
    "labels": _("Labels and their monitoring"),
    "reports": _("Activity reports"),
    ACCOUNT: _("Your account and its security"),
}

# A kind's category by the start of its name; the few that belong elsewhere are named.
_BY_PREFIX = {
    "applications/": "applications",
    "review/": "reviews",
    "labels/": "labels",
    "surveillance/": "labels",
    "reporting/": "reports",
    "portal/": ACCOUNT,
}
_BY_KIND = {
    # They go to the members of the dossier, not to its reviewers.
    "review/emails/decision_granted": "applications",
    "review/emails/decision_refused": "applications",
    "review/emails/hearing_invited": "applications",
    "review/emails/hearing_moved": "applications",
    "review/emails/complaint_answered": "applications",
}

# Emailed whatever the person chose: they carry a decision, a deadline or a legal effect.
ALWAYS_EMAILED = frozenset(
    {
        "review/emails/decision_granted",
        "review/emails/decision_refused",
        "review/emails/complaint_answered",
        "applications/emails/inadmissible",
        "applications/emails/changes_requested",
        "applications/emails/changes_deadline_extended",
        "labels/emails/suspended",
        "labels/emails/reinstated",
        "labels/emails/revoked",
        "labels/emails/expired",
        "surveillance/emails/opened",
        "surveillance/emails/opened_several",
    }
)

# Their body holds a link that acts for the person (a token): the inbox keeps the subject only.
SECRET_KINDS = frozenset(
    {
        "portal/emails/confirm_email",
        "portal/emails/password_reset",
        "portal/emails/already_registered",
    }
)


def category_of(kind: str) -> str:
    """The category of a kind; an unknown kind counts as the account's (always emailed)."""
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    for prefix, category in _BY_PREFIX.items():
        if kind.startswith(prefix):
            return category
    return ACCOUNT


def optional_categories() -> dict:
    """The categories a person may receive in the portal only: code → label."""
    return {code: label for code, label in CATEGORIES.items() if code != ACCOUNT}


def by_email(user: User, kind: str) -> bool:
    """Whether a message of ``kind`` to ``user`` goes by email as well as to the inbox."""
    category = category_of(kind)
    if category == ACCOUNT or kind in ALWAYS_EMAILED:
        return True
    return category not in (user.email_opt_out or [])


def main_link(body: str, origin: str) -> str:
    """The path of the first portal link on a line of its own in ``body`` (email templates
    write ``{{ site_url }}{% url ... %}``), or "". Only paths on the portal are kept, so the
    inbox never redirects elsewhere."""
    for line in body.splitlines():
        line = line.strip()
        if line.startswith(f"{origin}/") and " " not in line:
            path = line[len(origin) :]
            if not path.startswith("//"):
                return path[:500]
    return ""


def _notification(user: User, kind: str, subject: str, body: str, emailed: bool) -> Notification:
    """The inbox line of a message, not saved yet."""
    if kind in SECRET_KINDS:
        body, link = "", ""
    else:
        link = main_link(body, site_url())
    return Notification(
        recipient=user, kind=kind, subject=subject, body=body, link=link, emailed=emailed
    )


def record(user: User, kind: str, subject: str, body: str, *, emailed: bool) -> Notification:
    """Keep a message in ``user``'s inbox, in the caller's transaction."""
    notification = _notification(user, kind, subject, body, emailed)
    notification.save()
    _recount([user.pk])
    return notification


# A message for the inbox: the person, its kind, subject and body, and whether it is emailed.
Message = tuple[User, str, str, str, bool]


def record_all(messages: list[Message]) -> list[Notification]:
    """:func:`record` for many messages (a job telling each holder): the inbox lines written
    a batch at a time, each person's unread count set once."""
    notifications = Notification.objects.bulk_create(
        [_notification(*message) for message in messages], batch_size=BATCH
    )
    _recount({user.pk for user, *_rest in messages})
    return notifications


def _recount(user_ids: Iterable[int]) -> None:
    """Set the people's unread count from their notifications, in one statement (so that
    it mends itself whatever happened before)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=set(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )


def inbox(user: User):
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user)


@transaction.atomic
def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        _recount([notification.recipient_id])


@transaction.atomic
def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; how many were."""
    count = inbox(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    _recount([user.pk])
    return count


def set_email_opt_out(user: User, categories) -> None:
    """Keep the categories ``user`` reads in the portal only (the others come by email too)."""
    chosen = sorted(c for c in set(categories) if c in optional_categories())
    User.objects.filter(pk=user.pk).update(email_opt_out=chosen)
    user.email_opt_out = chosen
