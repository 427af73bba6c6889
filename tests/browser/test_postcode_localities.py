"""The municipality field offers the localities of the postcode as soon as it is typed."""

from playwright.sync_api import expect


def options_of(page, field):
    return page.locator(f"datalist#{field.get_attribute('list')} option").evaluate_all(
        "options => options.map(option => option.value)"
    )


def test_typing_a_postcode_offers_its_localities_without_sending_the_form(
    page, sign_in_as, applicant
):
    sign_in_as(page, applicant)
    page.goto("/organisations/new/")
    municipality = page.get_by_label("Commune")

    page.get_by_label("Code postal").fill("4000")

    expect(municipality).to_have_attribute("list", "id_municipality-localities")
    expect(page.locator("datalist#id_municipality-localities option")).to_have_count(3)
    assert options_of(page, municipality) == ["Glain", "Liège", "Rocourt"]

    page.get_by_label("Code postal").fill("7000")
    expect(page.locator("datalist#id_municipality-localities option")).to_have_count(1)
    assert options_of(page, municipality) == ["Mons"]
