"""The messages the review app sends (``portal.messages``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.messages import DOSSIER, dossier_values, programme_of
from portal.figures import euros
from portal.messages import Message, Placeholder


def _decision_values(context) -> dict[str, object]:
    decision = context["decision"]
    return {
        **dossier_values(decision.application),
        "amount": euros(decision.amount) if decision.amount is not None else "",
        "reason": decision.reason,
    }


def _decision_example(granted: bool):
    def example(application):
        from review.models import Decision

        decision = Decision.objects.filter(application=application).first()
        if decision is None or decision.granted != granted:
            decision = Decision(
                application=application,
                granted=granted,
                amount=(application.requested_amount or 0) if granted else None,
                reason="" if granted else _("(the reason the minister gives)"),
                decided_at=timezone.now(),
            )
        return {"decision": decision}

    return example


MESSAGES = [
    Message(
        key="review/emails/decision_granted",
        title=_("Decision: the application is granted"),
        placeholders=(
            *DOSSIER,
            Placeholder("amount", _("the amount granted"), required=True),
        ),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(True),
        order=60,
    ),
    Message(
        key="review/emails/decision_refused",
        title=_("Decision: the application is refused"),
        placeholders=(
            *DOSSIER,
            Placeholder("reason", _("the reason for the refusal, as the minister wrote it")),
        ),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(False),
        order=61,
    ),
]
