"""Draw again the certificates of valid labels whose QR code and printed address point to
another site than SITE_URL (set SITE_URL right first), and email each holder's members the
new certificate. --all also covers labels whose certificate address was never recorded;
--dry-run only lists them."""

from django.conf import settings
from django.core.management.base import BaseCommand

from labels import services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="every valid label, whatever address its last certificate points to",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args, **options):
        labels = services.certificates_to_regenerate(everything=options["all"])
        sent = 0
        for label in labels:
            old = label.certificate_site_url or "?"
            self.stdout.write(f"{label.number}: {old} → {settings.SITE_URL}")
            if not options["dry_run"]:
                sent += services.regenerate_certificate(label)
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(f"{len(labels)} certificate(s) {verb} drawn again; {sent} email(s) sent.")
