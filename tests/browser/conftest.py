"""Browser tests: Playwright for Python driving Debian's Chromium, headless, on a live server."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

REPOSITORY = Path(__file__).resolve().parents[2]
SCREENSHOT_FOLDER = pytest.StashKey[Path]()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still read the
    # database between steps, which Django allows only when told so.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(reference_data, browser, live_server):
    """A fresh browser tab on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in_as(live_server):
    """``sign_in_as(page, user)``: the tab's browser carries a session of ``user``, as after
    signing in, without going through the form (for tests about what a signed-in page shows)."""
    from django.conf import settings
    from django.test import Client

    def sign_in(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return sign_in


@pytest.fixture
def demo(reference_data, private_storage):
    """The demo data (``manage.py demo``): calls at every stage, a ranking, labels, reports,
    and one account per role. Gives the accounts and a few objects to open."""
    from types import SimpleNamespace

    from django.core.management import call_command

    from applications.models import Application, Call
    from labels.models import Label
    from portal.models import User
    from review.models import Assignment

    call_command("demo", quiet=True)
    accounts = {
        role: User.objects.get(email=email)
        for role, email in [
            ("applicant", "candidat@demo.guichet.be"),
            ("reviewer", "expert@demo.guichet.be"),
            ("officer", "agent@demo.guichet.be"),
            ("ministry", "ministere@demo.guichet.be"),
            ("admin", "admin@demo.guichet.be"),
        ]
    }
    ranked_call = Call.objects.get(slug="creative-wallonia-coworking-2011")
    return SimpleNamespace(
        **accounts,
        open_call=Call.objects.get(slug="creative-wallonia-coworking-ouvert"),
        ranked_call=ranked_call,
        dossier=Application.objects.filter(
            organisation__memberships__user=accounts["applicant"]
        ).first(),
        staff_dossier=ranked_call.applications.order_by("pk").first(),
        assignment=Assignment.objects.filter(reviewer=accounts["reviewer"]).first(),
        label=Label.objects.public().order_by("number").first(),
    )


ROLES = ["visitor", "applicant", "reviewer", "officer", "ministry", "admin_user"]


@pytest.fixture(params=ROLES)
def person(request, page):
    """Each kind of person in turn: a visitor (``None``), then one account per role (the
    fixtures of tests/conftest.py)."""
    return None if request.param == "visitor" else request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def screenshot_folder(request, tmp_path_factory):
    """This run's screenshots: the folder named by ``GUICHET_SCREENSHOTS``, or one under
    pytest's temporary folder (never inside the repository)."""
    chosen = os.environ.get("GUICHET_SCREENSHOTS")
    if chosen:
        folder = Path(chosen).expanduser().resolve()
        if folder.is_relative_to(REPOSITORY):
            pytest.fail(f"GUICHET_SCREENSHOTS must lie outside the repository ({REPOSITORY})")
    else:
        folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SCREENSHOT_FOLDER] = folder
    return folder


@pytest.fixture
def screenshot(request, screenshot_folder):
    """``screenshot(page, "sign-up")`` saves the whole page as ``01-sign-up.png``, then
    ``02-…``, in a folder of the test's own."""
    folder = screenshot_folder / re.sub(r"[^\w.-]+", "-", request.node.name)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    count = 0

    def take(page, name: str) -> Path:
        nonlocal count
        count += 1
        path = folder / f"{count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return take


def pytest_terminal_summary(terminalreporter, config):
    folder = config.stash.get(SCREENSHOT_FOLDER, None)
    if folder is not None:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(str(folder))
