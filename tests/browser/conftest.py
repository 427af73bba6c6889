"""Browser tests: Playwright for Python driving Debian's Chromium, headless, on a live server."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

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
            if "demo_site" not in item.fixturenames:
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


DEMO_ACCOUNTS = {
    "applicant": "candidat@demo.guichet.be",
    "reviewer": "expert@demo.guichet.be",
    "officer": "agent@demo.guichet.be",
    "ministry": "ministere@demo.guichet.be",
    "admin": "admin@demo.guichet.be",
}

# Run in the demo site's database: the addresses the tests open, and a signed-in session per
# account (written in that database, as signing in would).
DEMO_FACTS = """
import json
from django.conf import settings
from django.test import Client
from django.urls import reverse
from applications.models import Application, Call
from labels.models import Label
from portal.models import User
from review.models import Assignment, Consensus

accounts = ACCOUNTS
sessions = {}
for role, email in accounts.items():
    client = Client()
    client.force_login(User.objects.get(email=email))
    sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
ranked_call = Call.objects.get(slug="creative-wallonia-coworking-2011")
applicant = User.objects.get(email=accounts["applicant"])
print(json.dumps({
    "sessions": sessions,
    "cookie_name": settings.SESSION_COOKIE_NAME,
    "open_call_url": Call.objects.get(slug="creative-wallonia-coworking-ouvert").get_absolute_url(),
    "ranked_call_slug": ranked_call.slug,
    "dossier_url": Application.objects.filter(
        organisation__memberships__user=applicant
    ).first().get_absolute_url(),
    "section_url": reverse("applications:section", args=[Application.objects.get(
        organisation__memberships__user=applicant, state="draft"
    ).pk, "funding"]),
    "staff_dossier_pk": ranked_call.applications.order_by("pk").first().pk,
    "assignment_pk": Assignment.objects.filter(reviewer__email=accounts["reviewer"]).first().pk,
    "label_number": Label.objects.public().order_by("number").first().number,
    "consensus_pk": Consensus.objects.get(application__call=ranked_call).pk,
    "shortlisted_pk": ranked_call.applications.filter(shortlisting__isnull=False).first().pk,
    "decisions_mailing_pk": ranked_call.mailings.get(kind="decisions").pk,
}))
"""


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo (``manage.py demo``) built once per run in a SQLite database of its own and
    served by ``runserver`` in a process of its own, for the tests that only look at it
    (layout, accessibility): loading the demo for each of them was the suite's largest cost.
    Gives its address, the addresses of a few pages and ``sign_in(page, role)``."""
    folder = tmp_path_factory.mktemp("demo-site")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
    }
    manage = [sys.executable, str(REPOSITORY / "manage.py")]

    def run(*arguments):
        return subprocess.run(
            [*manage, *arguments], env=environment, check=True, capture_output=True, text=True
        ).stdout

    run("migrate", "--noinput", "--skip-checks")
    run("demo", "--quiet", "--skip-checks")
    # The facts are the last line printed (the shell may log before).
    printed = run("shell", "-c", DEMO_FACTS.replace("ACCOUNTS", repr(DEMO_ACCOUNTS)))
    facts = json.loads(printed.strip().splitlines()[-1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open(folder / "server.log", "w") as log:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the demo server stopped: {(folder / 'server.log').read_text()}")
                time.sleep(0.1)

        def sign_in(page, role):
            page.context.clear_cookies()
            page.context.add_cookies(
                [{"name": facts["cookie_name"], "value": facts["sessions"][role], "url": url}]
            )
            return page

        yield SimpleNamespace(url=url, sign_in=sign_in, **facts)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def demo_page(browser, demo_site):
    """A fresh browser tab on the demo site."""
    context = browser.new_context(base_url=demo_site.url, locale="fr-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


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
def screenshot(request):
    """``screenshot(page, "sign-up")`` saves the whole page as ``01-sign-up.png``, then
    ``02-…``, in a folder of the test's own. In CI (``CI`` set), only when
    ``GUICHET_SCREENSHOTS`` names a folder: nobody looks at them there, and the journey's
    thirty full-page pictures cost a third of its time."""
    if os.environ.get("CI") and not os.environ.get("GUICHET_SCREENSHOTS"):
        return lambda page, name: None
    screenshot_folder = request.getfixturevalue("screenshot_folder")
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
