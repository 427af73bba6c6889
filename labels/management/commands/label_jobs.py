"""The daily label job (run by cron): expire labels whose validity has passed and warn
holders and officers 90 days before expiry. Idempotent: running it twice a day is harmless."""

from django.core.management.base import BaseCommand

from labels import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        expired = services.expire_due()
        warned = services.warn_expiring()
        self.stdout.write(f"{len(expired)} label(s) expired, {len(warned)} expiry notice(s) sent.")
