"""Legacy organisations imported in the admin (CSV), all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from portal.models import BackgroundImport, Organisation
from portal.resources import OrganisationResource
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def upload(resource, rows):
    with translation.override("fr-be"):
        names = {name: str(field.column_name) for name, field in resource.fields.items()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[names[name] for name in rows[0]])
    writer.writeheader()
    writer.writerows([{names[name]: value for name, value in row.items()} for row in rows])
    return SimpleUploadedFile("legacy.csv", out.getvalue().encode("utf-8"))


def import_file(client, model, resource, rows):
    """Preview then, if the file is valid, confirm; the preview's result."""
    response = client.post(
        reverse(f"admin:{model}_import"), {"import_file": upload(resource, rows), "format": "0"}
    )
    if response.context.get("confirm_form") is not None:
        client.post(
            reverse(f"admin:{model}_process_import"), response.context["confirm_form"].initial
        )
    return response.context["result"]


ORGANISATION = {
    "legal_name": "La Forge ASBL",
    "legal_form": "ASBL",
    "street": "Rue de la Forge 1",
    "postcode": "4000",
    "municipality": "Liège",
    "contact_email": "info@laforge.example",
}


def test_organisations_import_by_enterprise_number_in_any_spelling(client, admin_user):
    existing = OrganisationFactory(enterprise_number="0566988259", legal_name="Ancien nom")
    client.force_login(admin_user)

    result = import_file(
        client,
        "portal_organisation",
        OrganisationResource(),
        [
            {**ORGANISATION, "enterprise_number": "BE 0566.988.259"},
            {**ORGANISATION, "legal_name": "Escot SRL", "enterprise_number": "0403.170.701"},
        ],
    )

    assert not result.has_errors() and not result.has_validation_errors()
    existing.refresh_from_db()
    assert existing.legal_name == "La Forge ASBL"
    assert Organisation.objects.get(enterprise_number="0403170701").province == "LIE"


def test_one_invalid_enterprise_number_writes_nothing(client, admin_user):
    client.force_login(admin_user)

    result = import_file(
        client,
        "portal_organisation",
        OrganisationResource(),
        [
            {**ORGANISATION, "enterprise_number": "0403.170.701"},
            {**ORGANISATION, "enterprise_number": "0403.170.702"},
        ],
    )

    assert [(row.number, list(row.error_dict)) for row in result.invalid_rows] == [
        (2, ["enterprise_number"])
    ]
    assert not Organisation.objects.exists()


def test_a_large_file_of_organisations_is_imported_in_the_background(
    client, admin_user, monkeypatch, private_storage
):
    """Saved in bulk, the organisations still get what ``Organisation.save`` gives them."""
    monkeypatch.setattr("portal.imports.BACKGROUND_BYTES", 0)
    existing = OrganisationFactory(enterprise_number="0566988259", legal_name="Ancien nom")
    client.force_login(admin_user)
    rows = [
        {**ORGANISATION, "enterprise_number": "BE 0566.988.259"},
        {**ORGANISATION, "legal_name": "Escot SRL", "enterprise_number": "0403.170.701"},
    ]

    response = client.post(
        reverse("admin:portal_organisation_import"),
        {"import_file": upload(OrganisationResource(), rows), "format": "0"},
    )
    job = BackgroundImport.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.state, job.new_rows, job.updated_rows) == ("checked", 1, 1)
    client.post(reverse("portal:import_confirm", args=[job.pk]))

    existing.refresh_from_db()
    assert existing.legal_name == "La Forge ASBL"
    assert Organisation.objects.get(enterprise_number="0403170701").province == "LIE"
    job.refresh_from_db()
    assert job.state == "done"
