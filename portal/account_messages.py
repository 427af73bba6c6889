"""The portal's own messages (``portal.messages``): the account emails, the same for every
programme (their wording is the portal's, kept by its administrators). A link that acts for
the person (it carries a token) is a required placeholder: without it the email is useless.

Invitations and the notice of an erased account go to an address, not to a user: they have
no name to greet (``name`` is empty)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import long_date
from portal.links import absolute_url
from portal.messages import Message, Placeholder

EXAMPLE_TOKEN = "example"


def _link(context) -> dict[str, object]:
    return {"link": context["link"]}


def _invitation_values(context) -> dict[str, object]:
    return {
        "name": "",
        "inviter": str(context["inviter"]),
        "organisation": str(context["organisation"]),
        "link": context["link"],
        "expires_on": long_date(context["invitation"].expires_at),
    }


def _invitation_example(application) -> dict:
    from portal.models import Invitation

    organisation = application.organisation
    invitation = Invitation(
        organisation=organisation,
        email="invited@example.org",
        invited_by=application.created_by,
        created_at=timezone.now(),
        token=EXAMPLE_TOKEN,
    )
    return {
        "invitation": invitation,
        "organisation": organisation,
        "inviter": application.created_by or _("(the member who invites)"),
        "link": absolute_url(invitation.get_absolute_url()),
    }


MESSAGES = [
    Message(
        key="portal/emails/confirm_email",
        title=_("Confirm the email address of a new account"),
        placeholders=(
            Placeholder(
                "link",
                _("the link that confirms the address and opens the account (valid three days)"),
                required=True,
            ),
        ),
        values=_link,
        example=lambda application: {
            "link": absolute_url(
                reverse("portal:confirm_email", args=[EXAMPLE_TOKEN, EXAMPLE_TOKEN])
            )
        },
        order=10,
    ),
    Message(
        key="portal/emails/password_reset",
        title=_("Choose a new password"),
        placeholders=(
            Placeholder(
                "link",
                _("the link to choose a new password (valid three days)"),
                required=True,
            ),
        ),
        values=_link,
        example=lambda application: {
            "link": absolute_url(
                reverse("portal:password_reset_confirm", args=[EXAMPLE_TOKEN, EXAMPLE_TOKEN])
            )
        },
        order=20,
    ),
    Message(
        key="portal/emails/already_registered",
        title=_("Sign-up with an address that already has an account"),
        placeholders=(
            Placeholder("link", _("the address of the page where one asks for a new password")),
        ),
        values=_link,
        example=lambda application: {"link": absolute_url(reverse("portal:password_reset"))},
        order=30,
    ),
    Message(
        key="portal/emails/invitation",
        title=_("Invitation to join an organisation"),
        placeholders=(
            Placeholder("inviter", _("the name of the member who invites")),
            Placeholder("organisation", _("the organisation's name")),
            Placeholder(
                "link", _("the link that accepts the invitation (it carries a code)"), required=True
            ),
            Placeholder(
                "expires_on", _("the last day the invitation may be accepted"), required=True
            ),
        ),
        values=_invitation_values,
        example=_invitation_example,
        order=40,
    ),
    Message(
        key="portal/emails/account_deleted",
        title=_("Account deleted at its owner's request"),
        placeholders=(),
        values=lambda context: {"name": ""},
        example=lambda application: {},
        order=50,
    ),
]
