"""On a 375 px phone no page scrolls sideways: wide tables scroll inside their own box."""

from django.urls import reverse

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


def test_public_pages_fit_a_phone(page, demo):
    urls = [
        "/",
        demo.open_call.get_absolute_url(),
        reverse("portal:login"),
        reverse("portal:sign_up"),
        reverse("labels:directory"),
        reverse("labels:verify_form"),
        reverse("labels:verify", args=[demo.label.number]),
        reverse("labels:space", args=[demo.label.number]),
    ]

    assert overflowing(page, urls) == {}


def test_staff_pages_and_the_applicants_dossier_fit_a_phone(page, demo, sign_in_as):
    sign_in_as(page, demo.officer)
    staff_urls = [
        reverse("review:ranking", args=[demo.ranked_call.slug]),
        reverse("applications:staff_call", args=[demo.ranked_call.slug]),
        reverse("applications:staff_application", args=[demo.staff_dossier.pk]),
        reverse("review:decisions", args=[demo.ranked_call.slug]),
        reverse("reporting:statistics"),
        reverse("labels:staff_list"),
        reverse("reporting:staff_list"),
        reverse("portal:dashboard"),
    ]
    assert overflowing(page, staff_urls) == {}

    page.context.clear_cookies()
    sign_in_as(page, demo.applicant)
    assert overflowing(page, [demo.dossier.get_absolute_url(), reverse("portal:dashboard")]) == {}
