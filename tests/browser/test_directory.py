from playwright.sync_api import expect

from applications.models import Service
from labels import services
from labels.models import Label
from portal.transitions import perform
from tests.factories import CallFactory
from tests.labels.conftest import granted


def test_a_visitor_filters_the_directory_opens_a_space_and_verifies_its_label(page):
    call = CallFactory()
    for name, postcode, municipality in [
        ("La Forge", "4000", "Liège"),
        ("Le Quai", "5000", "Namur"),
    ]:
        label = services.issue_label(granted(call))
        Label.objects.filter(pk=label.pk).update(
            space_name=name, postcode=postcode, municipality=municipality
        )
        label.refresh_from_db()
        label.save()
    forge = Label.objects.get(space_name="La Forge")

    page.goto("/")
    page.get_by_role("link", name="Consulter l'annuaire des espaces labellisés").click()
    page.get_by_label("Province").select_option(label="Liège")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="La Forge")).to_be_visible()
    expect(page.get_by_role("link", name="Le Quai")).to_have_count(0)

    page.get_by_role("link", name="La Forge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La Forge")
    page.get_by_role("link", name=forge.number).click()

    expect(page.locator(".label-status--active")).to_contain_text("Label valide du")


def box(locator):
    return locator.bounding_box()


def test_the_directory_filters_leave_no_empty_area_beside_the_services(
    page, screenshot, reference_data
):
    """The services' checkboxes run in columns under the other filters: no tall column with
    empty space beside it, and nothing wider than a phone."""
    call = CallFactory()
    label = services.issue_label(granted(call))
    label.services.set(Service.objects.all())

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/labels/?municipality=namur")
    screenshot(page, "directory-1280")
    form = page.locator("form.directory-filters")
    services_box = box(form.locator("fieldset"))
    province = box(page.get_by_label("Province"))
    capacity = box(page.get_by_label("Au moins ce nombre de postes de travail"))
    # The three short filters share the first row, the services come under them…
    assert abs(province["y"] + province["height"] - capacity["y"] - capacity["height"]) < 2
    assert services_box["y"] > province["y"] + province["height"]
    # …in several columns, so the form stays short.
    lefts = {round(box(checkbox)["x"]) for checkbox in form.get_by_role("checkbox").all()}
    assert len(lefts) >= 3
    assert box(form)["height"] < 420
    expect(page.locator(".card").first).to_contain_text("Label valide jusqu'au")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/labels/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "directory-375")


def test_the_verification_page_of_a_revoked_label_leads_with_the_revocation(
    page, screenshot, reference_data
):
    label = services.issue_label(granted(CallFactory()))
    perform(label, "revoke", by=None, system=True, comment="Fermeture")

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"/labels/verify/{label.number}/")
        status = page.locator(".label-status--revoked")
        expect(status).to_contain_text("Label retiré le")
        expect(page.get_by_text("Valable jusqu'au")).to_have_count(0)
        colour = status.evaluate("e => getComputedStyle(e).borderLeftColor")
        assert colour == "rgb(179, 38, 30)"  # the error red, not the neutral border
        screenshot(page, f"verify-revoked-{width}")
