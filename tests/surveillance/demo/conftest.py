"""The demo loaded once for this package (as ``tests/demo`` does for its own): a
package-scoped fixture ends with the package where it is defined, so the demo's committed
rows are flushed before the other tests of surveillance run on the same worker."""

import pytest

from tests.demo.conftest import DEMO_ACCOUNTS


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
        seed_reference_data()
        call_command("demo", quiet=True)
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()
            seed_reference_data()


@pytest.fixture
def demo(loaded_demo, db):
    from types import SimpleNamespace

    from portal.models import User

    users = {user.email: user for user in User.objects.filter(email__in=DEMO_ACCOUNTS.values())}
    return SimpleNamespace(**{role: users[email] for role, email in DEMO_ACCOUNTS.items()})
