"""The daily label job (run by cron): issue labels a failed grant hook left out, expire labels
whose validity has passed, warn holders and officers 90 days before expiry, and sign the
status list of labels again (so that offline verifiers never hold one older than a day).
Idempotent."""

from django.core.management.base import BaseCommand

from labels import services, verification


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        issued = services.issue_missing()
        expired = services.expire_due()
        warned = services.warn_expiring()
        verification.publish_status_list()
        self.stdout.write(
            f"{len(issued)} label(s) issued, {len(expired)} expired, "
            f"{len(warned)} expiry notice(s) sent."
        )
