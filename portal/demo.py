"""The portal's part of the demo data: accounts and the founders' organisations."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group

from portal import services
from portal.models import Membership, Organisation, RegisterExtract, User
from portal.registerimport import import_extract
from portal.roles import Role

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
# The sample extract of the enterprise register (made up around the demo's organisations),
# so that "Look up in the register" prefills the organisation form in the demo.
REGISTER_SAMPLE = (
    Path(settings.BASE_DIR) / "fixtures" / "register" / "KboOpenData_0210_2026_11_Full"
)


def read_fixture(name: str) -> dict:
    with (FIXTURES / name).open("rb") as handle:
        return tomllib.load(handle)


def ensure_account(entry: dict, password: str) -> User:
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


def ensure_organisation(entry: dict, owner: User | None = None) -> Organisation:
    """The organisation with this enterprise number, created from ``entry`` if missing."""
    fields = {key: value for key, value in entry.items() if key != "owner"}
    number = fields["enterprise_number"].replace(".", "").replace(" ", "")
    organisation = Organisation.objects.filter(enterprise_number=number).first()
    if organisation is None:
        organisation = Organisation(**fields)
        if owner is not None:
            return services.create_organisation(organisation, owner=owner)
        organisation.save()
    if owner is not None:
        Membership.objects.get_or_create(
            user=owner, organisation=organisation, defaults={"role": Membership.Role.OWNER}
        )
    return organisation


def load(stdout) -> None:
    accounts = read_fixture("accounts.toml")
    users = {
        entry["email"]: ensure_account(entry, accounts["password"]) for entry in accounts["account"]
    }
    for entry in read_fixture("organisations.toml")["organisation"]:
        ensure_organisation(entry, users[entry["owner"]])
    if not RegisterExtract.objects.exists():
        import_extract(REGISTER_SAMPLE)
