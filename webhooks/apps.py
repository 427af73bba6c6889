from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Webhooks, the top layer: it listens to the state changes of every app below
    (django-fsm's ``post_transition``) and to ``labels.signals.label_issued``, and posts
    the events a programme's officers subscribed to (docs/webhooks.md)."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from django_fsm.signals import post_transition

        from labels.signals import label_issued
        from portal import dashboards, messages, routes
        from webhooks import events, panels
        from webhooks import messages as webhook_messages

        post_transition.connect(events.on_transition, dispatch_uid="webhooks.transitions")
        label_issued.connect(events.on_label_issued, dispatch_uid="webhooks.label_issued")
        routes.include("webhooks.urls")
        messages.register(*webhook_messages.MESSAGES)
        dashboards.register("programme_page", panels.programme_panel)
