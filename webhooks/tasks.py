"""The webhooks' background task (Django's Tasks API, through the django-tasks backport)."""

from django_tasks import task


@task()
def deliver_webhook(delivery_id: str) -> str | None:
    """Make a delivery's next attempt (``webhooks.services.deliver``); its state after."""
    from webhooks.services import deliver

    return deliver(delivery_id)
