"""What people do with a label's surveillance: officers define the conditions, answer and
close non-conformities, triage visitor reports; holders answer and upload evidence.

Each operation changes its rows in one transaction, runs its state change through
``portal.transitions.perform`` and writes the step in the label's history
(``labels.services.note``), so that the label's staff page tells its whole story. The
opening of a case by the daily job, its flagging and their emails are in ``watch.py``.
"""

import datetime as dt

import rules
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.services import members_of, officers_of
from labels import services as label_services
from labels.models import Label
from portal.dates import long_date
from portal.emails import send_to_user
from portal.models import User
from portal.transitions import Problem, TransitionRefused, perform, record_creation
from portal.uploads import clean_filename, validate_upload
from surveillance.models import Answer, Condition, Evidence, NonConformity, VisitorReport

# The steps this module writes in a label's history (``portal.transitions.note``), by event;
# ``apps.py`` registers them in ``portal.transitions.NOTE_NAMES``.
NOTES = {
    "non_conformity_opened": gettext_lazy("non-conformity opened"),
    "non_conformity_flagged": gettext_lazy(
        "non-conformity past its deadline: flagged for suspension"
    ),
    "non_conformity_answered": gettext_lazy("non-conformity answered by the holder"),
    "non_conformity_resolved": gettext_lazy("non-conformity resolved"),
    "non_conformity_sanctioned": gettext_lazy("non-conformity closed by a sanction"),
    "evidence_uploaded": gettext_lazy("evidence document uploaded"),
}

CASE_CONFLICT = gettext_lazy(
    "Someone else changed this case in the meantime. Nothing was lost: check its current "
    "state below and try again if still needed."
)


# --- Conditions -------------------------------------------------------------------------


@transaction.atomic
def save_condition(condition: Condition) -> Condition:
    """Save a condition a form checked (``surveillance.forms.ConditionForm``); a new one
    goes last in its programme's list."""
    if condition.pk is None:
        last = Condition.objects.filter(programme=condition.programme).aggregate(Max("position"))
        condition.position = (last["position__max"] or 0) + 1
    condition.save()
    return condition


def set_in_force(condition: Condition, active: bool) -> None:
    """Retire a condition (no longer evaluated, its cases and history kept) or put it back
    in force. A condition is never deleted once it has cases."""
    Condition.objects.filter(pk=condition.pk).update(active=active)
    condition.active = active


# --- Non-conformities -------------------------------------------------------------------


def _holders(case: NonConformity):
    return members_of(case.label.application)


def _notify_holder(case: NonConformity, template: str, **context) -> None:
    for user in _holders(case):
        send_to_user(user, f"surveillance/emails/{template}", {"case": case, **context})


def _store_file(row, upload, file_type, by: User) -> None:
    """Give ``row`` (an answer or an evidence document) the checked ``upload``, under a
    random name (see the models' ``upload_to``)."""
    name = clean_filename(upload.name, file_type.extension)
    row.file.save(name, upload, save=False)
    row.original_name = name
    row.size = upload.size
    row.content_type = file_type.content_type


def answer(case: NonConformity, *, by: User, comment: str = "", upload=None) -> Answer:
    """The holder says what was done: a comment and/or a document (checked by
    ``portal.uploads``); the case waits for an officer. It may answer again."""
    comment = comment.strip()
    if not comment and upload is None:
        raise_refusal(_("Write a comment or attach a document."), "comment")
    file_type = validate_upload(upload) if upload is not None else None
    with transaction.atomic():
        locked = NonConformity.objects.select_for_update().get(pk=case.pk)
        if locked.state == NonConformity.State.FLAGGED:
            # Past its deadline the case stays flagged for the officer to decide; the
            # answer is kept beside it (an "answered" case would be flagged again).
            if not rules.has_perm("surveillance.answer_non_conformity", by, locked):
                raise PermissionError("answer_non_conformity")
        else:
            perform(case, "answer", by=by, comment=comment)
        given = Answer(non_conformity=case, comment=comment, by=by)
        if upload is not None:
            _store_file(given, upload, file_type, by)
        try:
            given.save()
        except Exception:
            if given.file:
                given.file.storage.delete(given.file.name)
            raise
        label_services.note(
            case.label,
            "non_conformity_answered",
            by=by,
            comment=_case_comment(case, comment or given.original_name),
        )
    return given


def resolve(case: NonConformity, *, by: User, comment: str) -> None:
    """An officer closes the case: things were put right. The holder is told."""
    with transaction.atomic():
        perform(case, "resolve", by=by, comment=comment, check=_reason_given(comment))
        label_services.note(
            case.label, "non_conformity_resolved", by=by, comment=_case_comment(case, comment)
        )
        _notify_holder(case, "resolved", comment=comment)


SANCTIONS = ("suspend", "revoke")


def may_sanction(case: NonConformity, today: dt.date | None = None) -> bool:
    """A case flagged for suspension, or still pending past its deadline, may lead to a
    sanction; before its deadline, the holder still has time."""
    today = today or timezone.localdate()
    return case.state == NonConformity.State.FLAGGED or (
        case.state in NonConformity.PENDING and case.deadline < today
    )


def sanction_reason(case: NonConformity, comment: str) -> str:
    """The reason the label's history and its holder's email give: the case, then the
    officer's words."""
    reason = _("Non-conformity “%(title)s”, open since %(since)s, to be put right by %(by)s.") % {
        "title": case.title,
        "since": long_date(case.opened_on),
        "by": long_date(case.deadline),
    }
    return f"{reason}\n{comment}".strip()


def sanction(case: NonConformity, *, by: User, action: str, comment: str) -> None:
    """An officer suspends or revokes the label (``labels.services``, which tells the
    holder and the officers) with the case as the reason, and closes the case."""
    if action not in SANCTIONS:
        raise ValueError(action)

    def check() -> list[str]:
        problems = _reason_given(comment)()
        if not may_sanction(case):
            problems.append(
                _("The holder still has until %(date)s to put things right.")
                % {"date": long_date(case.deadline)}
            )
        return problems

    reason = sanction_reason(case, comment)
    with transaction.atomic():
        perform(case, "sanction", by=by, comment=comment, check=check)
        operation = label_services.suspend if action == "suspend" else label_services.revoke
        # The label as stored now (the page that asked may show an older state).
        label = Label.objects.get(pk=case.label_id)
        operation(label, by=by, reason=reason)
        case.label = label
        label_services.note(
            case.label, "non_conformity_sanctioned", by=by, comment=_case_comment(case, comment)
        )


# --- Evidence ---------------------------------------------------------------------------


def upload_evidence(label: Label, condition: Condition, upload, *, by: User) -> Evidence:
    """The holder uploads the evidence document an evidence condition asks for."""
    if condition.kind != Condition.Kind.EVIDENCE or condition.programme_id != label.programme_id:
        raise ValueError("not an evidence condition of the label's programme")
    file_type = validate_upload(upload)
    with transaction.atomic():
        evidence = Evidence(label=label, condition=condition, uploaded_by=by)
        _store_file(evidence, upload, file_type, by)
        try:
            evidence.save()
        except Exception:
            evidence.file.storage.delete(evidence.file.name)
            raise
        label_services.note(
            label,
            "evidence_uploaded",
            by=by,
            comment=f"{condition.document} — {evidence.original_name}",
        )
    return evidence


# --- Visitor reports --------------------------------------------------------------------


def report_problem(
    label: Label, *, message: str, name: str = "", email: str = "", source: str = ""
) -> VisitorReport:
    """A visitor reports a problem with a labelled space; the programme's officers are
    told and triage it. ``source``: the sender's pseudonym (``portal.throttle``)."""
    with transaction.atomic():
        report = VisitorReport.objects.create(
            label=label, message=message.strip(), name=name, email=email, source=source
        )
        record_creation(report, by=None)
        for officer in officers_of(label.application):
            send_to_user(officer, "surveillance/emails/visitor_report", {"report": report})
    return report


def dismiss(report: VisitorReport, *, by: User, reason: str) -> None:
    """An officer dismisses a visitor report, with a reason."""
    perform(report, "dismiss", by=by, comment=reason, check=_reason_given(reason, "reason"))


def confirm(
    report: VisitorReport, *, by: User, summary: str, grace_days: int, today=None
) -> NonConformity:
    """An officer opens a non-conformity on the label from a visitor report: what is
    wrong in their words, to be put right within ``grace_days``. The holder's members are
    told at once (the daily job announces only the cases it opens itself)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        perform(report, "confirm", by=by, comment=summary, check=_reason_given(summary, "summary"))
        case = NonConformity.objects.create(
            label=report.label,
            visitor_report=report,
            summary=summary,
            opened_on=today,
            deadline=today + dt.timedelta(days=grace_days),
            opening_notice_sent_on=today,
        )
        record_creation(case, by=by, comment=summary)
        label_services.note(
            report.label, "non_conformity_opened", by=by, comment=_case_comment(case, "")
        )
        for user in members_of(report.label.application):
            send_to_user(
                user, "surveillance/emails/opened", {"label": report.label, "cases": [case]}
            )
    return case


# --- Helpers ----------------------------------------------------------------------------


def _reason_given(text: str, field: str = "comment"):
    """A check for ``perform``: the words an officer must give, named by their form field."""

    def check() -> list[str]:
        return [] if text.strip() else [Problem(_("Give the reason."), field)]

    return check


def _case_comment(case: NonConformity, comment: str) -> str:
    """The line the label's history shows for a step of a case."""
    title = case.title
    return f"{title} — {comment}" if comment else title


def raise_refusal(reason: str, field: str | None = None) -> None:
    raise TransitionRefused([Problem(reason, field)])
