"""The applicant fills the call's own form through its pages; the dossier page, the summary,
the staff page and the receipt show the answers (issue 17)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications import formbuilder, formlibrary, pdf, services
from applications.models import Application
from tests.factories import ApplicationFactory, CallFactory, complete
from tests.pages import pdf_outline, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rural(call):
    formbuilder.install(call, formlibrary.RURAL_2017)
    return call


@pytest.fixture
def dossier(rural, organisation, applicant):
    application = ApplicationFactory(call=rural, organisation=organisation)
    application.created_by = applicant
    application.save()
    return application


def section(application, position):
    return application.call.form_sections.order_by("position", "pk")[position]


def answers_url(application, position):
    return reverse("applications:answers", args=[application.pk, section(application, position).pk])


def budget(*rows):
    data = {}
    for index, (line, category, amount) in enumerate(rows):
        data[f"budget-{index}-line"] = line
        data[f"budget-{index}-category"] = category
        data[f"budget-{index}-amount"] = amount
        data[f"budget-{index}-cofunding"] = ""
    return data


ROOTS = {
    "partner_municipalities_count": "3",
    "partner_municipalities": "Ciney, Hamois et Havelange soutiennent le projet.",
    "rural_role": "Un lieu de travail pour les indépendants du Condroz.",
    "agrifood": "no",
}
SPACE = {"desks": "18", "surface_m2": "220", "opening_date": "2027-03-01"}
BUDGET = budget(
    ("Aménagement de la grange", "works", "160 000"),
    ("Mobilier et matériel", "equipment", "60 000"),
    ("Animation", "communication", "20 000,00"),
)


def fill(client, application):
    for position, data in enumerate([ROOTS, SPACE, BUDGET]):
        response = client.post(answers_url(application, position), data)
        assert response.status_code == 302, text_of(response)


def test_a_founder_fills_each_section_of_the_calls_form(client, dossier, applicant):
    client.force_login(applicant)

    page = client.get(answers_url(dossier, 0))
    assert "Nombre de communes partenaires" in text_of(page)
    assert 'data-max-words="200"' in page.content.decode()
    assert "<title>Ancrage rural · Guichet</title>" in page.content.decode()
    assert '<script src="/static/applications/words.js"' in page.content.decode()

    response = client.post(answers_url(dossier, 0), ROOTS, follow=True)

    assert "Section enregistrée et complète." in text_of(response)
    dossier.refresh_from_db()
    assert dossier.answer("partner_municipalities_count") == 3
    assert dossier.answer("agrifood") is False

    response = client.post(answers_url(dossier, 1), {"desks": "18"}, follow=True)
    assert "Section enregistrée. Il manque encore :" in text_of(response)
    assert "Surface (m²)" in text_of(response)


def test_a_table_with_a_bad_cell_says_where_and_keeps_what_was_saved(client, dossier, applicant):
    client.force_login(applicant)
    client.post(answers_url(dossier, 2), budget(("Travaux", "works", "240 000")))

    response = client.post(
        answers_url(dossier, 2),
        budget(("Travaux", "works", "cent mille"), ("Matériel", "equipment", "10 000")),
    )

    assert response.status_code == 200
    assert "Ligne 1, Montant (EUR) :" in text_of(response)
    assert 'value="cent mille"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.answer("budget")["rows"] == [
        {"line": "Travaux", "category": "works", "amount": "240000.00"}
    ]


def test_a_broken_share_rule_is_refused_on_the_table(client, dossier, applicant):
    client.force_login(applicant)

    response = client.post(
        answers_url(dossier, 2),
        budget(("Machines", "equipment", "140 000"), ("Travaux", "works", "100 000")),
    )

    assert response.status_code == 200
    assert "« Équipement » représente 140 000,00 €, soit 58,33 % du total" in text_of(response)
    dossier.refresh_from_db()
    assert dossier.answer("budget") is None


def test_the_table_shows_its_total_and_names_each_input(client, dossier, applicant):
    client.force_login(applicant)
    client.post(answers_url(dossier, 2), BUDGET)

    page = client.get(answers_url(dossier, 2))

    content = page.content.decode()
    assert "Total de « Montant (EUR) » : 240 000,00 €" in text_of(page)
    assert "<legend>Budget du projet</legend>" in content
    assert 'aria-labelledby="id_budget-amount id_budget-row-0"' in content
    assert "applications/tables.js" in content


def test_a_stranger_or_another_calls_section_is_not_found(
    client, dossier, other_applicant, applicant
):
    client.force_login(other_applicant)
    assert client.get(answers_url(dossier, 0)).status_code == 404
    assert client.post(answers_url(dossier, 0), ROOTS).status_code == 404

    other_call = CallFactory()
    formbuilder.install(other_call, formlibrary.FAB_LAB)
    elsewhere = other_call.form_sections.first()
    client.force_login(applicant)
    url = reverse("applications:answers", args=[dossier.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_the_dossier_page_links_each_section_that_is_missing_answers(client, dossier, applicant):
    client.force_login(applicant)
    client.post(answers_url(dossier, 1), SPACE)

    page = client.get(dossier.get_absolute_url())

    content, text = page.content.decode(), text_of(page)
    assert "Ancrage rural — il manque : Nombre de communes partenaires" in text
    assert "L'espace — complet" in text
    roots, budget_url = answers_url(dossier, 0), answers_url(dossier, 2)
    assert f'<a href="{roots}">Ancrage rural\u00a0: il manque Nombre de communes' in content
    assert f'<a href="{budget_url}">Budget\u00a0: il manque Budget du projet' in content
    assert f'href="{answers_url(dossier, 1)}"' in content  # its Edit link


def test_a_rule_broken_later_links_to_the_section_of_its_table(client, dossier, applicant):
    client.force_login(applicant)
    client.post(answers_url(dossier, 2), BUDGET)
    Application.objects.filter(pk=dossier.pk).update(total_cost=250000)

    page = client.get(reverse("applications:submit", args=[dossier.pk]))

    assert (
        f'<a href="{answers_url(dossier, 2)}">Budget du projet\u00a0: le total '
        "(240\u00a0000,00\u00a0€) doit être égal à"
    ) in page.content.decode()


def test_a_complete_form_is_submitted_and_the_receipt_shows_the_answers(client, dossier, applicant):
    complete(dossier, by=applicant)
    client.force_login(applicant)
    fill(client, dossier)

    response = client.post(reverse("applications:submit", args=[dossier.pk]), {"declaration": "on"})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == Application.State.SUBMITTED
    receipt = dossier.receipts.get()
    with receipt.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Nombre de communes partenaires 3" in text
    assert "Communes partenaires et leur engagement" in text
    assert "Ciney, Hamois et Havelange" in text
    assert "Budget du projet" in text
    assert "Aménagement de la grange" in text
    assert "Travaux d'aménagement" in text
    assert "Total" in text and "240 000,00 €" in text
    assert "Individual workstations" not in text


def test_the_receipt_is_in_the_applicants_language(dossier, applicant):
    complete(dossier, by=applicant)
    dossier.answers = {"partner_municipalities_count": 3}
    dossier.save()
    with translation.override("en"):
        content = pdf.receipt(dossier, dossier.updated_at)
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Number of partner municipalities 3" in text
    assert "Rural roots" in text


def test_the_staff_page_shows_the_answers(client, dossier, applicant, officer):
    complete(dossier, by=applicant)
    client.force_login(applicant)
    fill(client, dossier)
    services.submit(dossier, by=applicant)
    client.force_login(officer)

    page = client.get(reverse("applications:staff_application", args=[dossier.pk]))

    text = text_of(page)
    assert "Rôle de l'espace dans l'économie rurale" in text
    assert "Un lieu de travail pour les indépendants du Condroz." in text
    assert "Mobilier et matériel Équipement 60 000,00 €" in text
    assert "Total : 240 000,00 €" in text
    assert "Postes de travail individuels 18" in text


def test_the_answers_and_dossier_pages_run_a_bounded_number_of_queries(
    client, dossier, applicant, django_assert_max_num_queries
):
    client.force_login(applicant)
    fill(client, dossier)

    with django_assert_max_num_queries(16):
        assert client.get(answers_url(dossier, 2)).status_code == 200
    with django_assert_max_num_queries(36):
        assert client.get(dossier.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("applications:submit", args=[dossier.pk])).status_code == 200


def test_the_receipt_tells_screen_readers_its_title_language_and_parts(dossier, applicant):
    complete(dossier, by=applicant)
    with translation.override("en"):
        content = pdf.receipt(dossier, dossier.updated_at)

    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title.startswith("Acknowledgement of receipt no. 1")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    outline = [(level, title) for level, title, _page in pdf_outline(content)]
    assert outline[0] == (0, "Acknowledgement of receipt no. 1")
    assert (1, "Project summary") in outline and (1, "Supporting documents") in outline
