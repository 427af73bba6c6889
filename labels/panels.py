"""The labels app's dashboard panels (registered in ``apps.py``)."""

from labels.models import Label
from portal.dashboards import Panel


def holder_panel(user) -> Panel:
    labels = Label.objects.held_by(user).order_by("-issued_on")
    return Panel("labels/panels/holder.html", {"labels": labels}, order=5)


def home_panel(_subject) -> Panel:
    return Panel("labels/panels/home.html", {"count": Label.objects.public().count()}, order=20)


def staff_panel(user) -> Panel | None:
    labels = Label.objects.staff_visible_to(user)
    if not labels.exists():
        return None
    return Panel(
        "labels/panels/staff.html",
        {
            "active": labels.public().count(),
            "expiring": labels.expiring_within(90).count(),
            "suspended": labels.filter(state=Label.State.SUSPENDED).count(),
        },
        order=30,
    )
