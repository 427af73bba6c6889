"""Background tasks of the portal (Django's Tasks API, through the django-tasks backport)."""

from django_tasks import task


@task()
def deliver_email(email_id: int) -> str | None:
    """Make an outbox email's next attempt (``portal.emails.deliver``); its state after."""
    from portal.emails import deliver

    return deliver(email_id)


@task()
def send_email(
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Tasks enqueued before the outbox existed: their emails join it, so they are retried
    like any other. ``reply_to`` was never used."""
    from portal.emails import queue_email

    for address in to:
        queue_email(address, subject, body, attachments or ())
    return len(to)


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
