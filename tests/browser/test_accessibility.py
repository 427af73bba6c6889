"""axe-core (bundled by axe-playwright-python) over the main pages, for each kind of person:
no serious or critical violation of WCAG 2.1 A/AA."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

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
