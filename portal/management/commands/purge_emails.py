"""The daily clean-up of the outbox (run by cron): delete emails sent more than
``--min-age-days`` days ago, since they hold personal data. Waiting and failed emails are
never deleted here: a failed email stays until an administrator sends it again (it is then
purged once sent and old enough) or deletes it. Idempotent."""

from django.core.management.base import BaseCommand

from portal.models import OutgoingEmail


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=7)

    def handle(self, *args, min_age_days, **options):
        purged, _ = OutgoingEmail.objects.purgeable(min_age_days).delete()
        self.stdout.write(f"{purged} sent email(s) deleted.")
