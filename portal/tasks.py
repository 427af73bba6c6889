"""Background tasks of the portal (Django's Tasks API, through the django-tasks backport)."""

import base64

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Send one already-rendered email; the number of messages sent. ``attachments`` are
    (file name, base64 content, MIME type): a task's arguments must be JSON."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, reply_to=reply_to)
    for name, content, mimetype in attachments or ():
        message.attach(name, base64.b64decode(content), mimetype)
    return message.send()


@task()
def write_export(export_id: str) -> None:
    """Write a large export's file (enqueued on the ``exports`` queue); idempotent."""
    from portal.exports import run_background_export
    from portal.models import BackgroundExport

    record = BackgroundExport.objects.select_related("owner").filter(pk=export_id).first()
    if record is not None:
        run_background_export(record)

@task()
def import_file(import_id: str) -> None:
    """Check or import a large file (enqueued on the ``exports`` queue); idempotent."""
    from portal.imports import run_import
    from portal.models import BackgroundImport

    job = BackgroundImport.objects.select_related("owner").filter(pk=import_id).first()
    if job is not None:
        run_import(job)
