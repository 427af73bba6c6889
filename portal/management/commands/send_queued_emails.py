"""Enqueue the outbox's emails whose next attempt has come (run by cron every few minutes).

The database and RQ backends schedule each retry themselves; this job is what retries with
the immediate backend, and the safety net when a task was lost (a queue that was down, an RQ
worker started without its scheduler). Safe to run at any time: an attempt is claimed
before it is made, so an email enqueued twice is sent once."""

from django.core.management.base import BaseCommand

from portal import emails


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        enqueued = emails.enqueue_due()
        self.stdout.write(f"{enqueued} email(s) enqueued.")
