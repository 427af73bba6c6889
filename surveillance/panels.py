"""What the surveillance adds to the pages of the apps below it (registered in ``apps.py``,
see ``portal.dashboards``): the labels app never imports surveillance."""

from django.db.models import Count, F, Q

from applications.models import Programme
from labels.models import Label
from portal.dashboards import Panel
from surveillance.filters import overdue_condition
from surveillance.forms import VisitorReportForm
from surveillance.models import Condition, Evidence, NonConformity, VisitorReport


def conditions_in_force(programme) -> list[Condition]:
    return list(Condition.objects.filter(programme=programme, active=True))


def is_under_review(label: Label) -> bool:
    """A label is under review while one of its non-conformities is pending."""
    return NonConformity.objects.filter(label=label).pending().exists()


def _public(label: Label, **context) -> Panel | None:
    if label.effective_state != Label.State.ACTIVE:
        return None
    return Panel(
        "surveillance/panels/public.html",
        {
            "label": label,
            "conditions": conditions_in_force(label.programme),
            "under_review": is_under_review(label),
            **context,
        },
        order=10,
    )


def space_panel(label: Label) -> Panel | None:
    """The label's public page: its standing, its conditions and the form to report a
    problem (no measured value, no case detail)."""
    return _public(label, form=VisitorReportForm())


def verification_panel(label: Label) -> Panel | None:
    return _public(label)


def label_staff_panel(label: Label) -> Panel:
    """The label's staff page: each condition in force with its pending case if any, the
    cases, the visitor reports and the evidence documents."""
    cases = list(
        NonConformity.objects.filter(label=label).select_related("condition").order_by("-pk")
    )
    pending = {case.condition_id: case for case in cases if case.state in NonConformity.PENDING}
    conditions = [
        (condition, pending.get(condition.pk)) for condition in conditions_in_force(label.programme)
    ]
    return Panel(
        "surveillance/panels/label_staff.html",
        {
            "label": label,
            "conditions": conditions,
            "cases": cases,
            "under_review": any(case.state in NonConformity.PENDING for case in cases),
            "reports": list(VisitorReport.objects.filter(label=label).order_by("-created_at")),
            "evidence": list(Evidence.objects.filter(label=label).select_related("condition")[:10]),
        },
        order=10,
    )


def programme_panel(programme: Programme) -> Panel:
    return Panel(
        "surveillance/panels/programme.html",
        {"programme": programme, "conditions": conditions_in_force(programme)},
        order=45,
    )


def staff_panel(user) -> Panel | None:
    """Officers' and ministry's dashboard: the cases to follow and the reports to triage."""
    programmes = Programme.objects.staff_visible_to(user)
    if not programmes.exists():
        return None
    figures = NonConformity.objects.filter(label__programme__in=programmes).aggregate(
        open=Count(
            "pk",
            filter=Q(state__in=(NonConformity.State.OPEN, NonConformity.State.ANSWERED)),
        ),
        answered=Count("pk", filter=Q(state=NonConformity.State.ANSWERED)),
        overdue=Count("pk", filter=overdue_condition()),
        flagged=Count("pk", filter=Q(state=NonConformity.State.FLAGGED)),
    )
    figures["to_triage"] = VisitorReport.objects.filter(
        label__programme__in=programmes, state=VisitorReport.State.NEW
    ).count()
    return Panel("surveillance/panels/staff.html", figures, order=32)


def holder_cases(user):
    return (
        NonConformity.objects.visible_to(user)
        .pending()
        .select_related("label", "condition")
        .order_by("deadline", "pk")
    )


def holder_panel(user) -> Panel | None:
    """The holder's dashboard: the cases waiting on them."""
    cases = list(holder_cases(user))
    if not cases:
        return None
    return Panel("surveillance/panels/holder.html", {"cases": cases}, order=4)


def my_labels_panel(user) -> Panel | None:
    """ "My labels": every case of the holder's labels, and the evidence documents asked."""
    cases = list(
        NonConformity.objects.visible_to(user)
        .select_related("label", "condition")
        .order_by(F("closed_on").asc(nulls_first=True), "-opened_on", "-pk")
    )
    asking = list(
        Label.objects.held_by(user)
        .filter(
            state=Label.State.ACTIVE,
            programme__label_conditions__kind=Condition.Kind.EVIDENCE,
            programme__label_conditions__active=True,
        )
        .distinct()
        .order_by("number")
    )
    if not cases and not asking:
        return None
    return Panel(
        "surveillance/panels/my_labels.html", {"cases": cases, "evidence_labels": asking}, order=10
    )
