"""Load the demo data set (SPEC §9). Idempotent: a second run changes nothing.

Each installed app of the project may provide a ``demo`` module with a ``load(stdout)``
function; they run in the order of INSTALLED_APPS, so each app finds what the apps it
depends on have loaded.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from portal.demo import read_fixture


class Command(BaseCommand):
    help = "Create the demo programmes, calls, dossiers and accounts, then print the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")

    def handle(self, *args, quiet=False, **options):
        # The demo's dossiers go through the real services; their emails go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.load_all()
        if not quiet:
            self.print_accounts(read_fixture("accounts.toml"))

    def load_all(self):
        for app_config in apps.get_app_configs():
            if not str(app_config.path).startswith(str(settings.BASE_DIR)):
                continue
            module_name = f"{app_config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            with transaction.atomic():
                importlib.import_module(module_name).load(self.stdout)

    def print_accounts(self, accounts: dict) -> None:
        heading = f"Demo accounts (password for all: {accounts['password']})"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for entry in accounts["account"]:
            self.stdout.write(f"  {entry['role']:<10} {entry['email']}")
