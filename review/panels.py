"""The review app's dashboard panels (registered in ``apps.py``)."""

from applications.models import Application, Call
from portal.dashboards import Panel
from review.models import Assignment


def reviewer_panel(user) -> Panel:
    assignments = (
        Assignment.objects.filter(reviewer=user)
        .select_related("application__call", "review")
        .to_do_first()
    )
    return Panel("review/panels/reviewer.html", {"assignments": assignments}, order=10)


def ministry_panel(user) -> Panel:
    calls = Call.objects.filter(
        applications__state__in=[Application.State.PROPOSED, Application.State.NOT_PROPOSED],
        programme__staff__user=user,
        programme__staff__role="ministry",
    ).distinct()
    return Panel("review/panels/ministry.html", {"calls": calls}, order=5)


def officer_panel(user) -> Panel:
    calls = (
        Call.objects.managed_by(user)
        .filter(
            applications__state__in=[
                Application.State.ADMISSIBLE,
                Application.State.IN_REVIEW,
                Application.State.REVIEWED,
                Application.State.SHORTLISTED,
                Application.State.PROPOSED,
                Application.State.NOT_PROPOSED,
            ]
        )
        .distinct()
        .order_by("-closes_at")
    )
    return Panel("review/panels/officer.html", {"calls": calls}, order=20)


def call_criteria_panel(call) -> Panel | None:
    """The scoring grid on the public page of a call, once it exists."""
    criteria = list(call.criteria.all())
    if not criteria:
        return None
    return Panel("review/panels/call_criteria.html", {"criteria": criteria}, order=10)


def staff_call_tabs(call) -> Panel:
    """The review steps (grid, reviewers, ranking, decisions) above a call's dossier list."""
    return Panel("review/staff/_nav.html", {"call": call}, order=0)


def decision_panel(application) -> Panel | None:
    """The ministerial decision on the dossier's page, for the applicant and staff."""
    from review.models import Decision

    decision = Decision.objects.filter(application=application).first()
    return (
        Panel("review/panels/decision.html", {"decision": decision}, order=5) if decision else None
    )


def hearing_panel(application) -> Panel | None:
    """The applicant's hearing by the jury on the dossier's page, once invited."""
    from review.models import Hearing

    hearing = Hearing.objects.filter(application=application).first()
    return Panel("review/panels/hearing.html", {"hearing": hearing}, order=4) if hearing else None


def evaluation_summary_panel(application) -> Panel | None:
    """The link to the evaluation summary on the dossier's pages (the applicant's and the
    agency's), once the review is complete; the template asks the rule who may read it."""
    from review.ranking import RANKED_STATES

    if application.state not in RANKED_STATES:
        return None
    return Panel("review/panels/summary.html", {"application": application}, order=6)


def complaint_panel(application) -> Panel | None:
    """On the applicant's dossier page: the complaints filed and their answers, and the
    form to file one while a letter can still be contested (with its last day)."""
    from review import redress
    from review.forms import ComplaintForm
    from review.models import Complaint

    letters = list(application.letters.all())
    if not letters:  # nothing to contest, hence no complaint either
        return None
    complaints = list(application.complaints.all())
    open_to = redress.open_to_complaint(application, letters)
    if not complaints and not open_to:
        return None
    labels = dict(Complaint.About.choices)
    choices = [(about, labels[about]) for about in open_to]
    return Panel(
        "review/panels/complaints.html",
        {
            "application": application,
            "complaints": complaints,
            "open_to": [(labels[about], ends) for about, ends in open_to.items()],
            "form": ComplaintForm(choices=choices) if choices else None,
        },
        order=7,
    )


def staff_complaints_panel(application) -> Panel | None:
    """On the agency's dossier page: the dossier's complaints, each linking to its page."""
    complaints = list(application.complaints.all())
    if not complaints:
        return None
    return Panel("review/panels/staff_complaints.html", {"complaints": complaints}, order=7)
