"""The agency's label signing keys (docs/verifiable-labels.md): ``list`` them, ``create``
the first one, ``rotate`` (retire the keys in use and make a new one; the retired stay
published in /.well-known/jwks.json, so that the certificates they signed still verify).
Private keys are never printed."""

from django.core.management.base import BaseCommand

from labels import signing, verification
from labels.models import SigningKey


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "create", "rotate"])

    def handle(self, *args, action, **options):
        if action == "create":
            if SigningKey.objects.filter(retired_at__isnull=True).exists():
                self.stdout.write("A key is in use already: rotate it instead.")
                return
            key = signing.create_key()
            self.stdout.write(f"Created key {key.kid}.")
        elif action == "rotate":
            key = signing.rotate()
            # The status list is signed again with the new key.
            verification.publish_status_list()
            self.stdout.write(f"Created key {key.kid}; the keys in use before are retired.")
        for key in SigningKey.objects.all():
            standing = f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "in use"
            self.stdout.write(f"{key.kid}  created {key.created_at:%Y-%m-%d %H:%M}  {standing}")
