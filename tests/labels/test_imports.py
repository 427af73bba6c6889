"""Legacy labels imported in the admin (CSV): a legacy dossier for each, all or nothing."""

from functools import partial

import pytest

from applications.models import Application
from labels.models import Label, label_number, parse_label_number
from labels.resources import LabelResource
from portal import imports
from portal.models import Counter
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.portal.test_imports import import_file

pytestmark = pytest.mark.django_db


def legacy_row(call) -> dict:
    """A legacy label of the call's programme, as a row of the import file."""
    return {
        "number": "CW-LBL-2012-003",
        "state": "expired",
        "enterprise_number": "0403.170.701",
        "programme": call.programme.slug,
        "space_name": "Co-nnexion",
        "street": "Rue des Arbalestriers 1",
        "postcode": "7000",
        "municipality": "Mons",
        "issued_on": "2012-11-15",
        "valid_until": "2015-11-14",
        "application": "",
    }


def test_a_legacy_label_gets_a_legacy_dossier(client, admin_user, call):
    holder = OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)
    row = legacy_row(call)

    result = import_file(client, "labels_label", LabelResource(), [row])

    assert [r.error_dict for r in result.invalid_rows] == []
    label = Label.objects.get()
    assert (label.organisation, label.state, label.province) == (holder, "expired", "HAI")
    dossier = label.application
    assert (dossier.call, dossier.state, dossier.submitted_at) == (call, "granted", None)
    assert dossier.project_title == "Co-nnexion"
    # The next label of 2012 in this programme does not take the imported number again.
    assert Counter.next(f"label:{call.programme.pk}:2012") == 4


def test_a_label_with_an_unknown_holder_writes_nothing(client, admin_user, call):
    client.force_login(admin_user)
    row = {
        "number": "CW-LBL-2012-003",
        "enterprise_number": "0403.170.701",
        "programme": call.programme.slug,
        "space_name": "Co-nnexion",
        "street": "Rue des Arbalestriers 1",
        "postcode": "7000",
        "municipality": "Mons",
        "issued_on": "2012-11-15",
        "valid_until": "2015-11-14",
    }

    result = import_file(client, "labels_label", LabelResource(), [row])

    assert [(row.number, list(row.error_dict)) for row in result.invalid_rows] == [
        (1, ["organisation"])
    ]
    assert not Label.objects.exists() and not Application.objects.exists()


def test_a_label_number_a_spreadsheet_would_run_is_refused(client, admin_user, call):
    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)
    row = {**legacy_row(call), "number": "=HYPERLINK(1)"}

    result = import_file(client, "labels_label", LabelResource(), [row])

    [invalid] = result.invalid_rows
    assert "commence par une lettre ou un chiffre" in str(invalid.error_dict["number"])
    assert not Label.objects.exists()


def test_the_labels_export_names_the_programme(client, officer, call):
    import csv
    import io

    from django.urls import reverse

    from labels import services
    from tests.labels.conftest import granted

    services.issue_label(granted(call))
    client.force_login(officer)
    response = client.get(reverse("labels:staff_export", args=["csv"]))

    (row,) = csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    assert row["Programme"] == call.programme.name
    assert row["Nom court du programme"] == call.programme.slug


def test_english_import_errors_say_application(call):
    from django.utils import translation

    from tests.labels.conftest import granted

    dossier = granted(call)
    label = Label(
        programme=call.programme,
        organisation=OrganisationFactory(),
        application=dossier,
        postcode="7000",
    )

    with translation.override("en"):
        errors = LabelResource().check(label, set())

    assert errors == {"application": "This application belongs to another organisation."}


@pytest.mark.parametrize(
    "dates, field, message",
    [
        ({"issued_on": "2999-01-01", "valid_until": "3001-12-31"}, "issued_on", "pas après"),
        ({"issued_on": "1900-01-01", "valid_until": "1902-12-31"}, "issued_on", "ou après"),
        ({"valid_until": "9999-12-31"}, "valid_until", "36 mois au plus"),
        ({"valid_until": "2011-01-01"}, "valid_until", "se termine avant"),
    ],
)
def test_implausible_label_dates_are_row_errors(client, admin_user, call, dates, field, message):
    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)

    result = import_file(client, "labels_label", LabelResource(), [{**legacy_row(call), **dates}])

    (invalid,) = result.invalid_rows
    assert message in " ".join(invalid.error_dict[field])
    assert not Label.objects.exists() and not Application.objects.exists()


def test_a_label_from_a_portal_dossier_is_issued_after_its_call_closed(client, admin_user, call):
    holder = OrganisationFactory(enterprise_number="0403170701")
    dossier = ApplicationFactory(call=call, organisation=holder, reference="CW-2026-0042")
    client.force_login(admin_user)
    row = {**legacy_row(call), "application": dossier.reference}

    result = import_file(client, "labels_label", LabelResource(), [row])

    (invalid,) = result.invalid_rows
    assert "a été clôturé le" in " ".join(invalid.error_dict["issued_on"])
    assert not Label.objects.exists()


def test_only_a_number_of_the_programmes_own_series_moves_its_counter():
    """The number format and its reading are one rule: what issuance writes, the import
    reads back; another programme's or a legacy form's number is left alone."""
    assert parse_label_number(label_number("CW", 2012, 3), "CW") == (2012, 3)
    assert parse_label_number("CW-LBL-2012-1004", "CW") == (2012, 1004)
    assert parse_label_number("CWE-LBL-2012-003", "CW") is None
    assert parse_label_number("CW-LBL-2012-003", "CWE") is None
    assert parse_label_number("CW-LBL-12-003", "CW") is None
    assert parse_label_number("CW/2012/3", "CW") is None


def history_of(obj) -> list[tuple]:
    from portal.transitions import history

    return [(c.transition, c.source, c.target, c.by, c.comment) for c in history(obj)]


def test_a_legacy_label_and_its_dossier_say_they_were_imported(client, admin_user, call):
    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)
    active = {**legacy_row(call), "number": "CW-LBL-2024-001", "state": "active"}
    active.update(enterprise_number="0566.988.259", issued_on="2024-11-15")
    active["valid_until"] = "2027-11-14"
    OrganisationFactory(enterprise_number="0566988259")

    import_file(client, "labels_label", LabelResource(), [legacy_row(call), active])

    expired = Label.objects.get(number="CW-LBL-2012-003")
    assert history_of(expired) == [("import", "", "expired", admin_user, "Importé")]
    assert history_of(expired.application) == [("import", "", "granted", admin_user, "Importé")]
    # A label imported valid is in its machine's first state: nothing happened to it here.
    assert history_of(Label.objects.get(number="CW-LBL-2024-001")) == []


def test_a_large_file_of_labels_writes_their_history_once_per_chunk(
    client, admin_user, call, monkeypatch, private_storage
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from portal.models import BackgroundImport, StateChange
    from tests.portal.test_imports import upload

    monkeypatch.setattr("portal.imports.BACKGROUND_BYTES", 0)
    monkeypatch.setattr("portal.imports.read_chunks", partial(imports.read_chunks, size=2))
    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)
    rows = [{**legacy_row(call), "number": f"CW-LBL-2012-00{n}"} for n in (1, 2, 3)]
    client.post(
        reverse("admin:labels_label_import"),
        {"import_file": upload(LabelResource(), rows), "format": "0"},
    )
    job = BackgroundImport.objects.get()
    assert job.state == "checked"
    assert not StateChange.objects.exists()  # the check wrote nothing that stayed

    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("portal:import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.state, job.new_rows) == ("done", 3)
    for label in Label.objects.all():
        assert history_of(label) == [("import", "", "expired", admin_user, "Importé")]
        assert history_of(label.application)[0][:3] == ("import", "", "granted")
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "portal_statechange"')]
    assert len(inserts) == 2  # two chunks of at most two rows: one insert each


def test_an_import_with_an_invalid_row_leaves_no_history(client, admin_user, call):
    from portal.models import StateChange

    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)
    invalid = {**legacy_row(call), "number": "CW-LBL-2012-004", "postcode": "99999"}

    result = import_file(client, "labels_label", LabelResource(), [legacy_row(call), invalid])

    assert result.invalid_rows
    assert not StateChange.objects.exists() and not Label.objects.exists()


def test_a_legacy_revoked_label_does_not_claim_it_was_revoked_on_the_import_day(
    client, admin_user, call
):
    OrganisationFactory(enterprise_number="0403170701")
    client.force_login(admin_user)

    import_file(client, "labels_label", LabelResource(), [{**legacy_row(call), "state": "revoked"}])

    label = Label.objects.get()
    assert history_of(label)[0][:3] == ("import", "", "revoked")
    assert label.status_since() is None
