"""The messages the applications app sends (``portal.messages``), and the placeholders that
every message about a dossier shares (``DOSSIER``, ``dossier_values``), which the apps
above use for theirs.

The applicants' emails link to the dossier's page; the officers' (``STAFF_DOSSIER``) to its
page for the agency. The inadmissibility letter's subject and opening words are a message
too (``portal.messages.LETTER``); its reason and legal basis stay computed (``pdf.py``)."""

import copy
import datetime as dt
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import messages
from portal.dates import long_datetime
from portal.links import absolute_url
from portal.messages import LETTER, Message, Placeholder

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


STAFF_DOSSIER = tuple(
    Placeholder("link", _("the address of the application's page for the agency"))
    if placeholder.name == "link"
    else placeholder
    for placeholder in DOSSIER
)


def staff_dossier_values(application) -> dict[str, object]:
    """The values of ``STAFF_DOSSIER`` for ``application``."""
    link = reverse("applications:staff_application", args=[application.pk])
    return {**dossier_values(application), "link": absolute_url(link)}


def illustrated(application):
    """A copy of ``application`` (never saved) with what a message may tell filled in where
    the dossier has not reached that point yet, for the officers' preview."""
    from applications.models import application_reference

    now = timezone.now()
    shown = copy.copy(application)
    if not shown.reference:
        prefix = application.call.programme.reference_prefix
        shown.reference = application_reference(prefix, timezone.localtime(now).year, 1)
    shown.submitted_at = shown.submitted_at or now
    shown.admissibility_decided_at = shown.admissibility_decided_at or now
    shown.changes_message = shown.changes_message or _("(the agency's request)")
    shown.changes_due_at = shown.changes_due_at or now + dt.timedelta(days=14)
    shown.changes_response = shown.changes_response or _("(the applicant's answer)")
    shown.inadmissibility_reason = shown.inadmissibility_reason or _(
        "(the reason the agency gives)"
    )
    shown.withdrawal_reason = shown.withdrawal_reason or _(
        "(the reason the applicant gives, if any)"
    )
    return shown


def _on_dossier(application) -> dict:
    return {"application": illustrated(application)}


# --- submission --------------------------------------------------------------------------

RECEIPT = (
    Placeholder("received_at", _("the day and time the application was received"), required=True),
    Placeholder("receipt_number", _("the number of the acknowledgement of receipt (1, 2…)")),
)


def _receipt_values(context) -> dict[str, object]:
    receipt = context["receipt"]
    return {
        **dossier_values(context["application"]),
        "received_at": long_datetime(receipt.issued_at),
        "receipt_number": str(receipt.number),
    }


def _receipt_example(application) -> dict:
    from applications.models import Receipt

    shown = illustrated(application)
    receipt = application.receipts.first() if application.pk else None
    if receipt is None:
        receipt = Receipt(application=shown, number=1, issued_at=shown.submitted_at)
    return {"application": shown, "receipt": receipt}


def _officer_values(context) -> dict[str, object]:
    application = context["application"]
    return {**staff_dossier_values(application), "response": application.changes_response}


# --- change requests ---------------------------------------------------------------------

REQUEST = Placeholder("request", _("the agency's request, as the officer wrote it"))
DEADLINE = Placeholder(
    "deadline", _("the day and time before which the applicant must answer"), required=True
)


def _changes_values(context) -> dict[str, object]:
    application = context["application"]
    return {
        **dossier_values(application),
        "request": application.changes_message,
        "deadline": long_datetime(application.changes_due_at),
    }


def _closed_values(context) -> dict[str, object]:
    return {**dossier_values(context["application"]), "reason": context["reason"]}


def _closed_example(application) -> dict:
    return {"application": illustrated(application), "reason": _("(the agency's reason)")}


# --- withdrawal and admissibility --------------------------------------------------------


def _withdrawn_values(context) -> dict[str, object]:
    application = context["application"]
    return {**staff_dossier_values(application), "reason": application.withdrawal_reason}


def _inadmissible_values(context) -> dict[str, object]:
    application = context["application"]
    return {**dossier_values(application), "reason": application.inadmissibility_reason}


def _letter_values(context) -> dict[str, object]:
    application = context["application"]
    return {
        **dossier_values(application),
        "submitted_at": long_datetime(application.submitted_at),
    }


ON_DOSSIER = programme_of("application")

MESSAGES: list[messages.Message] = [
    Message(
        key="applications/emails/submitted",
        title=_("Application received (to the applicant)"),
        placeholders=(*DOSSIER, *RECEIPT),
        values=_receipt_values,
        programme=ON_DOSSIER,
        example=_receipt_example,
        order=10,
    ),
    Message(
        key="applications/emails/submitted_officer",
        title=_("New application (to the officers)"),
        placeholders=STAFF_DOSSIER,
        values=_officer_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=11,
    ),
    Message(
        key="applications/emails/changes_requested",
        title=_("Changes requested"),
        placeholders=(*DOSSIER, replace(REQUEST, required=True), DEADLINE),
        values=_changes_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=20,
    ),
    Message(
        key="applications/emails/changes_deadline_extended",
        title=_("More time to answer a change request"),
        placeholders=(*DOSSIER, REQUEST, DEADLINE),
        values=_changes_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=21,
    ),
    Message(
        key="applications/emails/change_request_closed",
        title=_("Change request closed"),
        placeholders=(
            *DOSSIER,
            Placeholder("reason", _("the agency's reason for closing it"), required=True),
        ),
        values=_closed_values,
        programme=ON_DOSSIER,
        example=_closed_example,
        order=22,
    ),
    Message(
        key="applications/emails/resubmitted",
        title=_("Application received again, with the changes (to the applicant)"),
        placeholders=(*DOSSIER, *RECEIPT),
        values=_receipt_values,
        programme=ON_DOSSIER,
        example=_receipt_example,
        order=23,
    ),
    Message(
        key="applications/emails/resubmitted_officer",
        title=_("Application resubmitted (to the officers)"),
        placeholders=(
            *STAFF_DOSSIER,
            Placeholder("response", _("the applicant's answer to the change request")),
        ),
        values=_officer_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=24,
    ),
    Message(
        key="applications/emails/withdrawn",
        title=_("Application withdrawn (to the officers)"),
        placeholders=(
            *STAFF_DOSSIER,
            Placeholder("reason", _("the reason the applicant gave, if any (else nothing)")),
        ),
        values=_withdrawn_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=30,
    ),
    Message(
        key="applications/emails/admissible",
        title=_("Application admissible"),
        placeholders=DOSSIER,
        values=lambda context: dossier_values(context["application"]),
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=40,
    ),
    Message(
        key="applications/emails/inadmissible",
        title=_("Application inadmissible"),
        placeholders=(
            *DOSSIER,
            Placeholder("reason", _("the reason the agency gives"), required=True),
        ),
        values=_inadmissible_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        order=41,
    ),
    Message(
        key="applications/letters/inadmissibility",
        title=_("Inadmissibility letter: subject and opening"),
        placeholders=(
            replace(DOSSIER[0], required=True),
            *DOSSIER[1:],
            Placeholder("submitted_at", _("the day and time the application was submitted")),
        ),
        values=_letter_values,
        programme=ON_DOSSIER,
        example=_on_dossier,
        kind=LETTER,
        order=42,
    ),
]
