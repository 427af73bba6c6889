"""Verify a label certificate's signed code offline, as a phone app would: with the
published keys (``--jwks``, a saved /.well-known/jwks.json) and status list (``--status-list``,
a saved /labels/status-list.jwt), at ``--now``. Without those files, the database's keys and
last status list stand in for them. Exits 0 only when the certificate can be trusted."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from labels import signing, verification


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("token", help="The code of the QR code, or the address it holds.")
        parser.add_argument("--jwks", type=Path, help="A saved copy of /.well-known/jwks.json.")
        parser.add_argument(
            "--status-list", type=Path, help="A saved copy of /labels/status-list.jwt."
        )
        parser.add_argument(
            "--now", type=dt.datetime.fromisoformat, help="The moment to verify at (ISO 8601)."
        )
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, token, jwks, status_list, now, language, **options):
        token = verification.token_from(token) or token.strip()
        key_set = json.loads(jwks.read_text()) if jwks else signing.jwks()
        if status_list:
            status_token = status_list.read_text().strip()
        else:
            status_token = verification.current_status_list().token
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        max_age = dt.timedelta(hours=settings.LABEL_STATUS_LIST_MAX_AGE_HOURS)
        result = verification.verify_offline(token, key_set, status_token, now=now, max_age=max_age)
        with translation.override(language):
            lines = [result.message]
            if result.retired_key:
                lines.append(result.retired_key_note)
            if result.claims:
                claims = result.claims
                lines.append(
                    f"{claims.get('sub')} — {claims.get('holder', {}).get('name')} "
                    f"({claims.get('holder', {}).get('enterprise_number')}) — "
                    f"{claims.get('valid_from')} / {claims.get('valid_until')}"
                )
        if not result.trusted:
            raise CommandError("\n".join(lines), returncode=1)
        self.stdout.write("\n".join(lines))
