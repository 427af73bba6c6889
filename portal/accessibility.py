"""The accessibility statement (SPEC: EN 301 549, WCAG 2.1 AA; the Walloon decree of 2 May
2019 transposing Directive (EU) 2016/2102) and its complaint form: what a person reports
reaches the portal's administrators (active superusers, else ``settings.ADMINS``), in their
inbox and by email, each in their own language. The email is a message (``portal.messages``)
that administrators may reword; what the tests check and the known exceptions are in
docs/accessibility.md."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal import emails
from portal.links import absolute_url
from portal.messages import Message, Placeholder

# When the statement was drawn up (and last reviewed): change it with the statement.
STATEMENT_DATE = dt.date(2026, 12, 6)

# The appeal route of a public body of Wallonia: its regional mediator (official name and
# seat as the institution publishes them, www.le-mediateur.be).
MEDIATOR = {
    "name": "Le Médiateur de la Wallonie et de la Fédération Wallonie-Bruxelles",
    "street": "Rue Lucien Namèche 54",
    "town": "5000 Namur",
    "website": "https://www.le-mediateur.be/",
}


@dataclass(frozen=True)
class Complaint:
    """What a person reports about the portal's accessibility."""

    name: str
    email: str
    page: str
    description: str


def _values(context) -> dict[str, object]:
    complaint = context["complaint"]
    return {
        "sender": complaint.name,
        "sender_email": complaint.email,
        "page": complaint.page or "-",
        "description": complaint.description,
        "link": absolute_url(reverse("portal:accessibility")),
    }


def _example(application) -> dict:
    return {
        "complaint": Complaint(
            name=str(gettext_lazy("(the sender's name)")),
            email="example@example.invalid",
            page=absolute_url(reverse("portal:home")),
            description=str(gettext_lazy("(what the sender describes)")),
        )
    }


MESSAGE = Message(
    key="portal/emails/accessibility_complaint",
    title=gettext_lazy("Accessibility complaint (to the administrators)"),
    placeholders=(
        Placeholder("sender", gettext_lazy("the name the sender gave"), required=True),
        Placeholder("sender_email", gettext_lazy("the sender's email address"), required=True),
        Placeholder("page", gettext_lazy("the page concerned, as the sender wrote it")),
        Placeholder("description", gettext_lazy("the sender's description"), required=True),
        Placeholder("link", gettext_lazy("the address of the accessibility statement")),
    ),
    values=_values,
    example=_example,
)


def send_complaint(complaint: Complaint) -> int:
    """Send ``complaint`` to every active administrator (inbox and email, always emailed:
    an account-level message); to ``settings.ADMINS`` when there is none. The number of
    recipients."""
    from portal.models import User

    administrators = list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk"))
    for administrator in administrators:
        emails.send_to_user(administrator, MESSAGE.key, {"complaint": complaint})
    if administrators:
        return len(administrators)
    for _name, address in settings.ADMINS:
        emails.send_templated_email(address, MESSAGE.key, {"complaint": complaint})
    return len(settings.ADMINS)
