"""The messages the surveillance app sends (``portal.messages``), with the placeholders of
the label and its dossier (``labels.messages``).

A label's cases are announced in one email: ``opened`` when there is one (each of its facts
a placeholder, so that its sentences read naturally), ``opened_several`` when there are
more, listed as one placeholder. Likewise for the officers' ``flagged`` and
``flagged_several``.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.messages import DOSSIER
from labels.messages import LABEL, about_label, example_label, label_values
from portal.dates import long_date
from portal.links import absolute_url
from portal.messages import Message, Placeholder
from surveillance.models import NonConformity, VisitorReport

CONDITION = Placeholder(
    "condition",
    gettext_lazy("the condition no longer met (or what is wrong, in the officer's words)"),
    required=True,
)
MEASURED = Placeholder("measured", gettext_lazy("the value measured, or “—”"))
DEADLINE = Placeholder("deadline", gettext_lazy("the day by which to put it right"), required=True)
COUNT = Placeholder("count", gettext_lazy("the number of non-conformities"), required=True)


def _case_values(case: NonConformity) -> dict[str, object]:
    return {
        "condition": case.title,
        "measured": case.measured or "—",
        "deadline": long_date(case.deadline),
    }


def _opened_values(context) -> dict[str, object]:
    cases = context["cases"]
    values = {**about_label(context["label"]), "count": len(cases)}
    if len(cases) == 1:
        values.update(_case_values(cases[0]))
    values["cases"] = "\n".join(
        "\n".join(
            (
                f"- {case.title}",
                "  " + _("Measured: %(measured)s") % {"measured": case.measured or "—"},
                "  " + _("To be put right by %(date)s.") % {"date": long_date(case.deadline)},
            )
        )
        for case in cases
    )
    return values


def _flagged_values(context) -> dict[str, object]:
    cases = context["cases"]
    if len(cases) == 1:
        (case,) = cases
        return {**about_label(case.label, staff=True), **_case_values(case)}
    return {
        "count": len(cases),
        "cases": "\n".join(
            "\n".join(
                (
                    f"- {case.label.number} — {case.label.space_name}",
                    f"  {case.title}",
                    "  " + _("Deadline: %(date)s") % {"date": long_date(case.deadline)},
                    "  " + label_values(case.label, staff=True)["label_link"],
                )
            )
            for case in cases
        ),
        "agency": cases[0].label.programme.managing_agency,
    }


def _resolved_values(context) -> dict[str, object]:
    case = context["case"]
    return {
        **about_label(case.label),
        **_case_values(case),
        "comment": context.get("comment", ""),
        "case_link": absolute_url(reverse("surveillance:case", args=[case.pk])),
    }


def _visitor_report_values(context) -> dict[str, object]:
    report = context["report"]
    return {
        **about_label(report.label, staff=True),
        "report_link": absolute_url(reverse("surveillance:visitor_report", args=[report.pk])),
    }


# --- examples for the previews -----------------------------------------------------------

EXAMPLE_WRONG = (
    gettext_lazy("(what is wrong, in the officer's words)"),
    gettext_lazy("(another condition no longer met)"),
)


def example_cases(application, count: int) -> list[NonConformity]:
    """``count`` cases of the dossier's label: its own, topped up with unsaved ones (numbered
    0: their links show the shape of the address)."""
    label = example_label(application)
    cases = []
    if label.pk is not None:
        cases = list(label.non_conformities.select_related("condition")[:count])
    today = timezone.localdate()
    for index in range(len(cases), count):
        cases.append(
            NonConformity(
                pk=0,
                label=label,
                summary=str(EXAMPLE_WRONG[index % len(EXAMPLE_WRONG)]),
                opened_on=today,
                deadline=today + dt.timedelta(days=30),
            )
        )
    return cases


def _example_opened(count: int):
    def example(application):
        cases = example_cases(application, count)
        return {"label": cases[0].label, "cases": cases}

    return example


def _example_flagged(count: int):
    def example(application):
        return {"cases": example_cases(application, count)}

    return example


def _example_resolved(application):
    return {
        "case": example_cases(application, 1)[0],
        "comment": _("(the officer's comment, if any)"),
    }


def _example_visitor_report(application):
    label = example_label(application)
    report = None
    if label.pk is not None:
        report = label.visitor_reports.first()
    if report is None:
        report = VisitorReport(pk=0, label=label, message=_("(what the visitor wrote)"))
    return {"report": report}


def _label_programme(context):
    return context["label"].programme


def _cases_programme(context):
    return context["cases"][0].label.programme


MESSAGES = [
    Message(
        key="surveillance/emails/opened",
        title=gettext_lazy("Non-conformity: a condition is no longer met"),
        placeholders=(CONDITION, MEASURED, DEADLINE, *LABEL, *DOSSIER),
        values=_opened_values,
        programme=_label_programme,
        example=_example_opened(1),
        order=90,
    ),
    Message(
        key="surveillance/emails/opened_several",
        title=gettext_lazy("Non-conformities: several conditions are no longer met"),
        placeholders=(
            COUNT,
            Placeholder(
                "cases",
                gettext_lazy(
                    "the conditions no longer met, one under the other, each with the value "
                    "measured and the day by which to put it right"
                ),
                required=True,
            ),
            *LABEL,
            *DOSSIER,
        ),
        values=_opened_values,
        programme=_label_programme,
        example=_example_opened(2),
        order=91,
    ),
    Message(
        key="surveillance/emails/flagged",
        title=gettext_lazy("Non-conformity past its deadline (to the programme's officers)"),
        placeholders=(CONDITION, MEASURED, DEADLINE, *LABEL, *DOSSIER),
        values=_flagged_values,
        programme=_cases_programme,
        example=_example_flagged(1),
        order=92,
    ),
    Message(
        key="surveillance/emails/flagged_several",
        title=gettext_lazy("Non-conformities past their deadline (to the programme's officers)"),
        placeholders=(
            COUNT,
            Placeholder(
                "cases",
                gettext_lazy(
                    "the non-conformities, one under the other: the label's number and space, "
                    "what is wrong, the deadline and the label's staff page"
                ),
                required=True,
            ),
            Placeholder("agency", gettext_lazy("the managing agency's name")),
        ),
        values=_flagged_values,
        programme=_cases_programme,
        example=_example_flagged(2),
        order=93,
    ),
    Message(
        key="surveillance/emails/resolved",
        title=gettext_lazy("Non-conformity resolved"),
        placeholders=(
            CONDITION,
            Placeholder(
                "comment", gettext_lazy("the officer's comment, or nothing when none was given")
            ),
            Placeholder("case_link", gettext_lazy("the address of the non-conformity's page")),
            *LABEL,
            *DOSSIER,
        ),
        values=_resolved_values,
        programme=lambda context: context["case"].label.programme,
        example=_example_resolved,
        order=94,
    ),
    Message(
        key="surveillance/emails/visitor_report",
        title=gettext_lazy("A visitor reported a problem (to the programme's officers)"),
        placeholders=(
            Placeholder(
                "report_link",
                gettext_lazy("the address of the page where the officer triages the report"),
                required=True,
            ),
            *LABEL,
            *DOSSIER,
        ),
        values=_visitor_report_values,
        programme=lambda context: context["report"].label.programme,
        example=_example_visitor_report,
        order=95,
    ),
]
