import os

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The order of the run; and with ``GUICHET_TEST_DATABASE_ONLY=1`` (CI's second run, on
    PostgreSQL), only the tests whose outcome can depend on the database: the browser tests
    and those that never touch the database ran on the first database already."""
    # The browser tests on the demo site never touch the test database: they go first, so
    # that the demo is built while the other worker runs the rest (pytest-django has put
    # tests without a database last).
    items.sort(key=lambda item: "demo_site" not in getattr(item, "fixturenames", ()))
    if os.environ.get("GUICHET_TEST_DATABASE_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
            item.fixturenames
        )
        browser = item.get_closest_marker("browser")
        (kept if uses_database and not browser else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language, whatever the test before it did:
    the language middleware activates a request's language in the thread, and the test
    client's requests run in the test's thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def private_storage(settings, tmp_path):
    """The private files of a test (uploads, receipts, letters, exports) go to a folder of
    its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    return tmp_path / "private"


def seed_reference_data():
    """Groups and services, as their data migrations create them (idempotently)."""
    import importlib

    from django.apps import apps

    for module in ("portal.migrations.0002_staff_groups", "applications.migrations.0002_services"):
        migration = importlib.import_module(module)
        seed = getattr(migration, "create_groups", None) or migration.create_services
        seed(apps, None)


@pytest.fixture
def reference_data(transactional_db):
    """Groups and services come from data migrations; a transactional test that ran before
    may have flushed them, so they are created again."""
    seed_reference_data()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        legal_name="Société coopérative Liégeoise des Espaces", postcode="4000"
    )


@pytest.fixture
def applicant(organisation):
    """A founder who owns ``organisation``."""
    return MembershipFactory(organisation=organisation).user


@pytest.fixture
def colleague(organisation):
    """A plain member of ``organisation``."""
    return MembershipFactory(organisation=organisation, role="member").user


@pytest.fixture
def other_applicant(db):
    """A founder of another organisation."""
    return MembershipFactory().user


@pytest.fixture
def reviewer(db):
    return UserFactory(roles=["reviewer"])


@pytest.fixture
def officer(db):
    return UserFactory(roles=["officer"])


@pytest.fixture
def ministry(db):
    return UserFactory(roles=["ministry"])


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture(autouse=True)
def _on_commit_runs_at_the_end_of_each_request(request):
    """Run ``transaction.on_commit`` callbacks when a test-client request finishes.

    Tests run inside a transaction that never commits, so after-commit work (emails, tasks)
    would never happen. In production a request commits before its response is sent; this
    reproduces that moment.
    """
    if not {"db", "transactional_db", "live_server"} & set(request.fixturenames) and not (
        request.node.get_closest_marker("django_db")
    ):
        yield
        return
    from django.core.signals import request_finished
    from django.db import connections

    def run_callbacks(**kwargs):
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                continue
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, callback, _robust in callbacks:
                callback()

    request_finished.connect(run_callbacks)
    yield
    request_finished.disconnect(run_callbacks)
