"""The daily clean-up of background exports (run by cron): delete the files and records of
exports asked more than ``EXPORT_RETENTION_DAYS`` days ago. Idempotent."""

from django.core.management.base import BaseCommand

from portal import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        purged = services.purge_exports()
        self.stdout.write(f"{purged} export(s) deleted.")
