"""What the webhooks add to the programme's staff page."""

from django.db.models import Count, Q

from portal.dashboards import Panel
from webhooks.models import Endpoint


def programme_panel(programme) -> Panel:
    figures = Endpoint.objects.filter(programme=programme).aggregate(
        endpoints=Count("pk"), paused=Count("pk", filter=Q(paused_at__isnull=False))
    )
    return Panel("webhooks/panels/programme.html", {"programme": programme, **figures}, order=60)
