"""The demo (``manage.py demo``), loaded once for the tests of this package that only read it.

It is committed as the command commits it (labels are issued after each grant's commit, as
in production); each test still runs in a transaction that is rolled back, and the database
is emptied when the package is done, with the reference data of the migrations put back for
the tests that follow on the same worker. Each module marks itself
``xdist_group("demo")`` so that ``--dist loadgroup`` keeps them on one worker, and each
test asks for ``demo`` (which brings ``db``).
"""

import pytest

DEMO_ACCOUNTS = {
    "admin": "admin@demo.guichet.be",
    "officer": "agent@demo.guichet.be",
    "rural_officer": "agent.rural@demo.guichet.be",
    "reviewer": "expert@demo.guichet.be",
    "reviewer2": "expert2@demo.guichet.be",
    "reviewer3": "expert3@demo.guichet.be",
    "ministry": "ministere@demo.guichet.be",
    "applicant": "candidat@demo.guichet.be",
    "applicant2": "candidat2@demo.guichet.be",
}


@pytest.fixture(scope="package")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import override_settings

    from tests.conftest import seed_reference_data

    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("demo-private"), "base_url": None},
        },
    }
    with override_settings(STORAGES=storages), django_db_blocker.unblock():
        seed_reference_data()  # in case a test before flushed the database
        call_command("demo", quiet=True)
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()
            seed_reference_data()


@pytest.fixture
def demo(loaded_demo, db):
    """The demo's accounts by role, for a test that reads the demo."""
    from types import SimpleNamespace

    from portal.models import User

    users = {user.email: user for user in User.objects.filter(email__in=DEMO_ACCOUNTS.values())}
    return SimpleNamespace(**{role: users[email] for role, email in DEMO_ACCOUNTS.items()})
