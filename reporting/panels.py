"""The reporting app's dashboard panels (registered in ``apps.py``)."""

from django.db.models import Count, Q

from portal.dashboards import Panel
from reporting.models import ActivityReport, ReportingSchedule, overdue_condition


def holder_panel(user) -> Panel | None:
    reports = (
        ActivityReport.objects.visible_to(user)
        .open()
        .select_related("label")
        .order_by("due_on", "label__number")
    )
    if not reports:
        return None
    return Panel("reporting/panels/holder.html", {"reports": reports}, order=6)


def staff_panel(user) -> Panel | None:
    figures = ActivityReport.objects.staff_visible_to(user).aggregate(
        to_review=Count("pk", filter=Q(state=ActivityReport.State.SUBMITTED)),
        overdue=Count("pk", filter=overdue_condition()),
        total=Count("pk"),
    )
    if not figures["total"]:
        return None
    return Panel("reporting/panels/staff.html", figures, order=35)


def programme_panel(programme) -> Panel:
    schedule = ReportingSchedule.objects.filter(programme=programme).first()
    return Panel(
        "reporting/panels/programme.html", {"programme": programme, "schedule": schedule}, order=40
    )
