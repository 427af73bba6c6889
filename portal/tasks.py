"""Background tasks of the portal (Django's Tasks API, through the django-tasks backport)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Send one already-rendered email; the number of messages sent."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, reply_to=reply_to)
    return message.send()


@task()
def write_export(export_id: str) -> None:
    """Write a large export's file (enqueued on the ``exports`` queue); idempotent."""
    from portal.exports import run_background_export
    from portal.models import BackgroundExport

    record = BackgroundExport.objects.select_related("owner").filter(pk=export_id).first()
    if record is not None:
        run_background_export(record)
