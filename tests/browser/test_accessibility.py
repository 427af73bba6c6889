"""axe-core (bundled by axe-playwright-python) over the main pages, for each kind of person,
over every page each demo account reaches by following links, and over forms in error: no
serious or critical violation of WCAG 2.1 A/AA."""

import re
from collections import deque
from urllib.parse import urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from applications import services as application_services
from review import services
from review.models import Criterion
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    UserFactory,
    complete,
)

# One worker loads the demo for all of this module's tests (see the conftest).
pytestmark = pytest.mark.xdist_group("demo-site")

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page, urls) -> list[str]:
    axe = Axe()
    found = []
    for url in urls:
        response = page.goto(url)
        assert response.ok, url
        results = axe.run(page, options={**WCAG, "resultTypes": ["violations"]})
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                found.append(f"{url}: {violation['id']} ({violation['help']}) at {targets}")
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_have_no_serious_accessibility_violation(demo_page, demo_site, width):
    demo, page = demo_site, demo_page
    page.set_viewport_size({"width": width, "height": 800})
    urls = [
        "/",
        demo.open_call_url,
        reverse("portal:login"),
        reverse("portal:sign_up"),
        reverse("labels:directory"),
        reverse("labels:verify_form"),
        reverse("labels:verify", args=[demo.label_number]),
        reverse("labels:space", args=[demo.label_number]),
    ]

    assert serious_violations(page, urls) == []


def test_each_roles_pages_have_no_serious_accessibility_violation(demo_page, demo_site):
    demo, page = demo_site, demo_page
    ranked = demo.ranked_call_slug
    pages_of = {
        "applicant": [
            reverse("portal:dashboard"),
            demo.dossier_url,
            reverse("portal:organisation_list"),
            reverse("portal:profile"),
        ],
        "reviewer": [
            reverse("portal:dashboard"),
            reverse("review:assignments_mine"),
            reverse("review:assignment", args=[demo.assignment_pk]),
            reverse("review:consensus", args=[demo.consensus_pk]),
        ],
        "officer": [
            reverse("portal:dashboard"),
            reverse("applications:staff_call", args=[ranked]),
            reverse("applications:staff_application", args=[demo.staff_dossier_pk]),
            reverse("review:ranking", args=[ranked]),
            reverse("review:decisions", args=[ranked]),
            reverse("review:consensus_list", args=[ranked]),
            reverse("review:hearings", args=[ranked]),
            reverse("review:hearing", args=[ranked, demo.shortlisted_pk]),
            reverse("review:suggested_assignments", args=["creative-wallonia-coworking-ouvert"]),
            reverse("applications:staff_mailings", args=[ranked]),
            reverse("applications:staff_mailing", args=[demo.decisions_mailing_pk]),
            reverse("reporting:statistics"),
            reverse("labels:staff_list"),
            reverse("reporting:staff_list"),
        ],
        "ministry": [reverse("portal:dashboard"), reverse("reporting:statistics")],
        "admin": [reverse("portal:dashboard")],
    }

    found = []
    for role, urls in pages_of.items():
        demo.sign_in(page, role)
        found += [f"{role} {violation}" for violation in serious_violations(page, urls)]

    assert found == []


def test_staff_pages_on_a_phone_have_no_serious_accessibility_violation(demo_page, demo_site):
    """Wide staff tables scroll inside their own box on a phone: keyboard users must be able
    to reach and scroll it."""
    demo, page = demo_site, demo_page
    ranked = demo.ranked_call_slug
    page.set_viewport_size({"width": 375, "height": 800})
    demo.sign_in(page, "officer")
    urls = [
        reverse("applications:staff_call", args=[ranked]),
        reverse("review:ranking", args=[ranked]),
        reverse("review:decisions", args=[ranked]),
        reverse("review:hearings", args=[ranked]),
        reverse("review:suggested_assignments", args=["creative-wallonia-coworking-ouvert"]),
        reverse("applications:staff_mailings", args=[ranked]),
        reverse("applications:staff_mailing", args=[demo.decisions_mailing_pk]),
        reverse("reporting:statistics"),
        reverse("labels:staff_list"),
        reverse("reporting:staff_list"),
    ]

    assert serious_violations(page, urls) == []


# --- the crawl -------------------------------------------------------------------------------

# A guard, not a sample: each demo role reaches some 65 URL patterns at most (the officer).
CRAWL_LIMIT = 100
# Links the crawl does not follow: files (documents, PDFs, exports), the administration (the
# Django admin's own pages), the API's Swagger UI (a developers' tool drawn by its own
# script, in English; docs/accessibility.md lists it among the known exceptions), the
# language switch and signing out (POST forms anyway).
NOT_PAGES = re.compile(
    r"\.(pdf|csv|xlsx|ods|json|zip|png|jpe?g|svg|ico|txt)$|/exports?/|/export\b|download"
    r"|^/admin/|^/api/v1/docs/|^/static/|^/language/|/sign-out/|/media/"
)


def route_of(path: str) -> str | None:
    """The URL pattern ``path`` resolves to (one page per pattern is enough), ``None`` for an
    address the portal does not serve."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}:{match.route}"


def same_origin_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith("//"):
            continue
        paths.append(urlunsplit(("", "", parts.path, parts.query, "")))
    return paths


def crawl(page, origin: str, start: str, *, limit: int = CRAWL_LIMIT) -> tuple[list, list]:
    """Breadth-first from ``start`` over same-origin links, one page per URL pattern: axe on
    each page reached; the pages visited and the serious or critical violations found."""
    axe = Axe()
    queue, seen_routes, visited, found = deque([start]), set(), [], []
    while queue and len(visited) < limit:
        path = queue.popleft()
        route = route_of(urlsplit(path).path)
        if route is None or route in seen_routes or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen_routes.add(route)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file served as an attachment
                continue
            raise
        if not response.ok:
            found.append(f"{path}: answered {response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        results = axe.run(page, options={**WCAG, "resultTypes": ["violations"]})
        found += [f"{path}: {problem}" for problem in serious(results)]
        queue.extend(same_origin_links(page, origin))
    return visited, found


def serious(results) -> list[str]:
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['help']}) at {targets}")
    return found


@pytest.mark.parametrize(
    "role", ["visitor", "applicant", "reviewer", "officer", "ministry", "admin"]
)
def test_every_page_a_role_reaches_has_no_serious_accessibility_violation(
    demo_page, demo_site, role
):
    """Each demo account (and a visitor) follows the links of the portal from its dashboard
    (the home page), breadth-first, one page per URL pattern, up to ``CRAWL_LIMIT`` pages."""
    demo, page = demo_site, demo_page
    if role == "visitor":
        start = "/"
    else:
        demo.sign_in(page, role)
        start = reverse("portal:dashboard")

    visited, found = crawl(page, demo.url, start)

    print(f"{role}: {len(visited)} pages", *visited, sep="\n  ")
    assert len(visited) >= 5, visited  # the crawl did reach the role's pages
    assert found == []


def submitted_in_error(page, url: str, fill: dict[str, str] = {}) -> list[str]:  # noqa: B006
    """Submit the main form at ``url`` empty, or with ``fill`` (label: value) typed, the
    browser's own checks off (the server's error messages are under test), then run axe on
    the page in error."""
    page.goto(url)
    form = page.locator("main form").filter(has=page.locator("[type=submit]")).last
    form.evaluate("form => form.noValidate = true")
    for label, value in fill.items():
        form.get_by_label(label, exact=True).fill(value)
    form.locator("[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true], .error-summary").count(), url
    results = Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    return [f"{url} (in error): {problem}" for problem in serious(results)]


def test_forms_in_error_have_no_serious_accessibility_violation(demo_page, demo_site):
    demo, page = demo_site, demo_page
    found = submitted_in_error(page, reverse("portal:login"))
    found += submitted_in_error(page, reverse("portal:sign_up"))
    found += submitted_in_error(page, reverse("portal:accessibility"))
    demo.sign_in(page, "applicant")
    found += submitted_in_error(page, reverse("portal:organisation_create"))
    found += submitted_in_error(page, demo.section_url, {"Coût total du projet (EUR)": "beaucoup"})

    assert found == []


def test_a_review_form_in_error_has_no_serious_accessibility_violation(page, sign_in_as):
    """The demo's reviewer has submitted every review: a fresh one, accepted, is scored out
    of range."""
    call = CallFactory(reviews_per_dossier=1)
    Criterion.objects.create(call=call, code="quality", title="Qualité du projet", weight=1)
    officer, reviewer = UserFactory(roles=["officer"]), UserFactory(roles=["reviewer"])
    call.programme.staff.create(user=officer, role="officer")
    call.programme.staff.create(user=reviewer, role="reviewer")
    founder = MembershipFactory().user
    dossier = complete(ApplicationFactory(call=call, organisation=founder.organisations.get()))
    application_services.submit(dossier, by=founder)
    application_services.declare_admissible(
        dossier,
        by=officer,
        checklist={
            "documents_complete": True,
            "applicant_eligible": True,
            "eligibility_confirmed": True,
            "budget_within_limits": True,
        },
    )
    (assignment,) = services.assign([dossier], [reviewer], by=officer)
    services.accept(assignment, by=reviewer, declaration="")
    sign_in_as(page, reviewer)

    found = submitted_in_error(
        page, reverse("review:assignment", args=[assignment.pk]), {"Qualité du projet": "99"}
    )

    assert found == []
