"""The agency's label signing keys (docs/verifiable-labels.md): ``list`` them, ``create``
the first one, ``rotate`` (retire the keys in use and make a new one; the retired stay
published in /.well-known/jwks.json, so that the certificates they signed still verify),
``withdraw KID`` a compromised key (it leaves the key set; the certificates it signed no
longer verify and are listed, for their holders to download new ones). Private keys are
never printed."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from labels import signing, verification
from labels.models import SigningKey


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "create", "rotate", "withdraw"])
        # A key identifier is a base64url thumbprint and may begin with "-": taken as it
        # stands, not as an option (options go before the action).
        parser.add_argument("kid", nargs=argparse.REMAINDER, help="The key to withdraw.")

    def handle(self, *args, action, kid, **options):
        if action != "withdraw" and kid:
            raise CommandError(f"{action} takes no key identifier; got: {' '.join(kid)}")
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
        elif action == "withdraw":
            if len(kid) != 1:
                raise CommandError(
                    "withdraw takes one key identifier, as `list` prints it (options go "
                    f"before withdraw); got: {' '.join(kid) or 'none'}"
                )
            [kid] = kid
            if not SigningKey.objects.filter(kid=kid).exists():
                raise CommandError(f"No key {kid}.")
            numbers = verification.withdraw_key(kid)
            self.stdout.write(
                f"Withdrew key {kid}. {len(numbers)} label(s) need a new certificate: "
                + ", ".join(numbers)
            )
        for key in SigningKey.objects.all():
            standing = f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "in use"
            self.stdout.write(f"{key.kid}  created {key.created_at:%Y-%m-%d %H:%M}  {standing}")
