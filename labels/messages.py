"""The messages the labels app sends (``portal.messages``), and the placeholders that every
message about a label shares (``LABEL``, ``label_values``, ``example_label``), which the
apps above use for theirs.

A label's change of state is one message per change (suspended, reinstated, revoked,
expired), so that each reads as one text an officer may reword. Its members and the
programme's officers receive the same message, except the issuance, whose sentence about
where to follow the label differs (``issued`` and ``issued_staff``); elsewhere
``label_link`` leads each to their own page.
"""

from dataclasses import replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.messages import DOSSIER, dossier_values
from labels.models import Label, label_number, last_valid_day
from portal.dates import long_date
from portal.links import absolute_url
from portal.messages import Message, Placeholder

LABEL = (
    Placeholder("label_number", _("the label's number, e.g. CW-LBL-2026-001")),
    Placeholder("label_name", _("the name of the programme's label")),
    Placeholder("holder", _("the name of the organisation holding the label")),
    Placeholder("space", _("the name of the labelled space")),
    Placeholder("valid_until", _("the label's last valid day")),
    Placeholder(
        "public_link",
        _("the address of the label's public verification page, which anyone may open"),
    ),
    Placeholder(
        "label_link",
        _(
            "the address of the label's page for the recipient: its staff page for the "
            "programme's officers, the holder's labels page (certificate, public profile) "
            "for its members"
        ),
    ),
)


def label_values(label: Label, *, staff: bool = False) -> dict[str, object]:
    """The values of ``LABEL`` for ``label``; ``staff``: the recipient is one of the
    programme's officers (``label_link`` leads to the staff page)."""
    page = reverse("labels:staff_detail", args=[label.number]) if staff else reverse("labels:mine")
    return {
        "label_number": label.number,
        "label_name": label.programme.label_name,
        "holder": str(label.organisation),
        "space": label.space_name,
        "valid_until": long_date(label.valid_until),
        "public_link": label.verification_url(),
        "label_link": absolute_url(page),
    }


def about_label(label: Label, *, staff: bool = False) -> dict[str, object]:
    """The values of ``LABEL`` and of the dossier that issued it (``DOSSIER``)."""
    return {**dossier_values(label.application), **label_values(label, staff=staff)}


def example_label(application) -> Label:
    """The dossier's label, or an unsaved one as its grant would issue it today: for the
    previews of messages about a label."""
    label = Label.objects.filter(application=application).first()
    if label is not None:
        return label
    call, programme = application.call, application.call.programme
    today = timezone.localdate()
    return Label(
        programme=programme,
        organisation=application.organisation,
        application=application,
        number=label_number(programme.reference_prefix, today.year, 1),
        issued_on=today,
        valid_until=last_valid_day(today, call.label_validity_months),
        space_name=str(application.organisation),
    )


def _values(context) -> dict[str, object]:
    return about_label(context["label"], staff=context.get("staff", False))


def _with_reason(context) -> dict[str, object]:
    return {**_values(context), "reason": context.get("reason", "")}


def _programme(context):
    return context["label"].programme


def _example(**extra):
    def example(application):
        return {"label": example_label(application), **extra}

    return example


REASON = Placeholder("reason", _("the reason the officer gave"), required=True)


def required(placeholders, *names: str) -> tuple[Placeholder, ...]:
    """``placeholders`` with those named ``names`` marked required."""
    return tuple(replace(p, required=True) if p.name in names else p for p in placeholders)


def _message(name, title, *, order, values=_values, placeholders=LABEL, **example) -> Message:
    return Message(
        key=f"labels/emails/{name}",
        title=title,
        placeholders=(*placeholders, *DOSSIER),
        values=values,
        programme=_programme,
        example=_example(**example),
        order=order,
    )


EXAMPLE_REASON = _("(the reason the officer gives)")

MESSAGES = [
    _message(
        "issued",
        _("Label issued (to the holder)"),
        placeholders=required(LABEL, "label_number"),
        order=70,
    ),
    _message(
        "issued_staff",
        _("Label issued (to the programme's officers)"),
        placeholders=required(LABEL, "label_number"),
        order=71,
        staff=True,
    ),
    _message(
        "suspended",
        _("Label suspended"),
        values=_with_reason,
        placeholders=(REASON, *LABEL),
        order=72,
        reason=EXAMPLE_REASON,
    ),
    _message("reinstated", _("Label reinstated"), order=73),
    _message(
        "revoked",
        _("Label revoked"),
        values=_with_reason,
        placeholders=(REASON, *LABEL),
        order=74,
        reason=EXAMPLE_REASON,
    ),
    _message(
        "expiring",
        _("Label expiring soon"),
        placeholders=required(LABEL, "valid_until"),
        order=75,
    ),
    _message("expired", _("Label expired"), order=76),
    _message(
        "certificate_regenerated",
        _("Label: a corrected certificate"),
        placeholders=required(LABEL, "public_link"),
        order=77,
    ),
]
