"""The applications app's panels on the role dashboards (registered in ``apps.py``)."""

from django.db.models import Count, Q

from applications.models import Application, Call
from portal.dashboards import Panel


def applicant_panel(user) -> Panel:
    applications = (
        Application.objects.of_member(user)
        .select_related("call", "organisation")
        .order_by("-created_at")
    )
    open_calls = Call.objects.open_at().order_by("closes_at")
    return Panel(
        "applications/panels/applicant.html",
        {"applications": applications, "open_calls": open_calls},
        order=10,
    )


def staff_panel(user) -> Panel:
    calls = (
        Call.objects.staff_visible_to(user)
        .select_related("programme")
        .annotate(
            to_check=Count(
                "applications", filter=Q(applications__state=Application.State.SUBMITTED)
            ),
            awaiting_changes=Count(
                "applications", filter=Q(applications__state=Application.State.CHANGES_REQUESTED)
            ),
            admissible_count=Count(
                "applications", filter=Q(applications__state=Application.State.ADMISSIBLE)
            ),
        )
        .order_by("-closes_at")[:20]
    )
    return Panel("applications/panels/staff.html", {"calls": calls}, order=10)
