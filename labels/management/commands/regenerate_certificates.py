"""Draw again the certificates of valid labels whose QR code and printed address may point to
another site than SITE_URL (set SITE_URL right first), and email each holder's members the
new certificate. A label whose certificate address was never recorded counts: it was drawn
before the address was recorded, when links followed whatever SITE_URL was then. --dry-run
only lists them."""

from django.conf import settings
from django.core.management.base import BaseCommand

from labels import services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args, **options):
        labels = services.certificates_to_regenerate()
        emails = 0
        for label in labels:
            old = label.certificate_site_url or "(not recorded)"
            self.stdout.write(f"{label.number}: {old} → {settings.SITE_URL}")
            if not options["dry_run"]:
                emails += services.regenerate_certificate(label)
        if options["dry_run"]:
            self.stdout.write(f"{len(labels)} certificate(s) would be drawn again.")
        else:
            self.stdout.write(
                f"{len(labels)} certificate(s) drawn again; {emails} email(s) queued."
            )
