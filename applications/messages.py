"""The messages the applications app sends (``portal.messages``), and the placeholders that
every message about a dossier shares (``DOSSIER``, ``dossier_values``), which the apps
above use for theirs."""

from django.utils.translation import gettext_lazy as _

from portal import messages
from portal.links import absolute_url
from portal.messages import Placeholder

DOSSIER = (
    Placeholder("reference", _("the application's reference, e.g. CW-2026-0007")),
    Placeholder("title", _("the project's title")),
    Placeholder("organisation", _("the applicant organisation's name")),
    Placeholder("call", _("the call's title")),
    Placeholder("link", _("the address of the application's page in the portal")),
    Placeholder("agency", _("the managing agency's name, which signs the emails")),
)


def dossier_values(application) -> dict[str, object]:
    """The values of ``DOSSIER`` for ``application``."""
    call = application.call
    return {
        "reference": application.reference,
        "title": application.project_title,
        "organisation": application.organisation.legal_name,
        "call": call.title,
        "link": absolute_url(application.get_absolute_url()),
        "agency": call.programme.managing_agency,
    }


def programme_of(*path: str):
    """A ``Message.programme`` that follows ``path`` from the context to the dossier:
    ``programme_of("decision", "application")``."""

    def programme(context):
        obj = context[path[0]]
        for name in path[1:]:
            obj = getattr(obj, name)
        return obj.call.programme

    return programme


MESSAGES: list[messages.Message] = []
