from playwright.sync_api import expect

from labels import services
from labels.models import Label
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

    expect(page.get_by_role("status")).to_have_text(f"Le label {forge.number} est valide.")
