"""On a 375 px phone no page scrolls sideways: wide tables scroll inside their own box."""

import pytest
from django.urls import reverse

# One worker loads the demo for all of this module's tests (see the conftest).
pytestmark = pytest.mark.xdist_group("demo-site")

PHONE = {"width": 375, "height": 800}


def overflowing(page, urls) -> dict[str, int]:
    """The pages wider than the screen, with their width in pixels."""
    page.set_viewport_size(PHONE)
    widths = {}
    for url in urls:
        response = page.goto(url)
        assert response.ok, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widths[url] = width
    return widths


def test_public_pages_fit_a_phone(demo_page, demo_site):
    demo = demo_site
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

    assert overflowing(demo_page, urls) == {}


def test_staff_pages_and_the_applicants_dossier_fit_a_phone(demo_page, demo_site):
    demo, page = demo_site, demo_page
    demo.sign_in(page, "officer")
    staff_urls = [
        reverse("review:ranking", args=[demo.ranked_call_slug]),
        reverse("applications:staff_call", args=[demo.ranked_call_slug]),
        reverse("applications:staff_application", args=[demo.staff_dossier_pk]),
        reverse("review:decisions", args=[demo.ranked_call_slug]),
        reverse("applications:staff_mailings", args=[demo.ranked_call_slug]),
        reverse("applications:staff_mailing", args=[demo.decisions_mailing_pk]),
        reverse("reporting:statistics"),
        reverse("labels:staff_list"),
        reverse("reporting:staff_list"),
        reverse("portal:dashboard"),
    ]
    assert overflowing(page, staff_urls) == {}

    demo.sign_in(page, "applicant")
    assert overflowing(page, [demo.dossier_url, reverse("portal:dashboard")]) == {}
