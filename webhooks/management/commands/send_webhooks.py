from django.core.management.base import BaseCommand

from webhooks.services import enqueue_due


class Command(BaseCommand):
    help = (
        "Enqueue the webhook deliveries whose attempt has come (run it every minute from cron "
        "where the task backend cannot defer, and as a safety net elsewhere)."
    )

    def handle(self, *args, **options):
        count = enqueue_due()
        self.stdout.write(f"{count} webhook deliveries enqueued.")
