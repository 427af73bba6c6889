"""Load the demo data set (SPEC §9). Idempotent: a second run changes nothing."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import services
from portal.models import Membership, Organisation, User
from portal.roles import Role

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"


def read_fixture(name: str) -> dict:
    with (FIXTURES / name).open("rb") as handle:
        return tomllib.load(handle)


class Command(BaseCommand):
    help = "Create the demo accounts and organisations, then print the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        accounts = read_fixture("accounts.toml")
        users = {
            entry["email"]: self.ensure_account(entry, accounts["password"])
            for entry in accounts["account"]
        }
        for entry in read_fixture("organisations.toml")["organisation"]:
            self.ensure_organisation(dict(entry), users)
        if not quiet:
            self.print_accounts(accounts)

    def ensure_account(self, entry: dict, password: str) -> User:
        user = User.objects.filter(email=entry["email"]).first()
        if user is None:
            user = User.objects.create_user(
                email=entry["email"],
                password=password,
                full_name=entry["full_name"],
                language=entry.get("language", settings.LANGUAGE_CODE),
                is_staff=entry["role"] == Role.ADMIN,
                is_superuser=entry["role"] == Role.ADMIN,
            )
        if entry["role"] in {Role.OFFICER, Role.REVIEWER, Role.MINISTRY}:
            user.groups.add(Group.objects.get(name=entry["role"]))
        return user

    def ensure_organisation(self, entry: dict, users: dict[str, User]) -> Organisation:
        owner = users[entry.pop("owner")]
        organisation = Organisation.objects.filter(
            enterprise_number=entry["enterprise_number"].replace(".", "")
        ).first()
        if organisation is None:
            organisation = services.create_organisation(Organisation(**entry), owner=owner)
        Membership.objects.get_or_create(
            user=owner, organisation=organisation, defaults={"role": Membership.Role.OWNER}
        )
        return organisation

    def print_accounts(self, accounts: dict) -> None:
        heading = f"Demo accounts (password for all: {accounts['password']})"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for entry in accounts["account"]:
            self.stdout.write(f"  {entry['role']:<10} {entry['email']}")
