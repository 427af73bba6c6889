"""The daily clean-up of the admin's large imports (run by cron): delete those that ended
without importing (unconfirmed, invalid, failed) more than ``IMPORT_RETENTION_DAYS`` days
ago, with their files. Idempotent."""

from django.core.management.base import BaseCommand

from portal import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        purged = services.purge_imports()
        self.stdout.write(f"{purged} import(s) deleted.")
