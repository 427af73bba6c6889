"""The audit history and the legal record cannot be edited or deleted through the admin, and
the history cannot be rewritten by any code that goes through the model."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import StateChange
from reporting.models import ActivityReport
from tests.reporting.conftest import FILLED, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_history_is_read_only_in_the_admin(admin_client, label):
    change = StateChange.objects.filter(object_id=label.pk).first()
    assert change is not None
    url = reverse("admin:portal_statechange_change", args=[change.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"comment": "réécrit", "target": "revoked"})

    assert page.status_code == 200 and b'name="comment"' not in page.content
    assert admin_client.get(reverse("admin:portal_statechange_add")).status_code == 403
    deletion = reverse("admin:portal_statechange_delete", args=[change.pk])
    assert admin_client.post(deletion, {"post": "yes"}).status_code == 403
    listing = admin_client.post(
        reverse("admin:portal_statechange_changelist"),
        {"action": "delete_selected", "_selected_action": [change.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    change.refresh_from_db()
    assert (change.comment, change.target) != ("réécrit", "revoked")


def test_the_history_cannot_be_rewritten_or_deleted_through_the_model(label):
    change = StateChange.objects.filter(object_id=label.pk).first()
    change.comment = "réécrit"

    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    assert StateChange.objects.get(pk=change.pk).comment != "réécrit"


@pytest.mark.parametrize(
    "model", ["applications_application", "labels_label", "reporting_activityreport"]
)
def test_the_admin_deletes_no_part_of_the_legal_record(admin_client, label, model):
    report = make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, **FILLED)
    obj = {"applications_application": label.application, "labels_label": label}.get(model, report)

    response = admin_client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_filed_report_is_read_only_in_the_admin(admin_client, label):
    report = make_report(label, dt.date(2026, 1, 1), ActivityReport.State.SUBMITTED, **FILLED)
    url = reverse("admin:reporting_activityreport_change", args=[report.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"values": '{"active_coworkers": 999}', "label": label.pk})

    assert b'name="values"' not in page.content
    report.refresh_from_db()
    assert report.values["active_coworkers"] == FILLED["active_coworkers"]
