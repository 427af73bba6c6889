import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from labels import services
from labels.models import Label
from portal.transitions import TransitionRefused
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "verdict"),
    [
        ("active", "Label valide du"),
        ("suspended", "Label suspendu depuis le"),
        ("revoked", "Label retiré le"),
        ("expired", "Label expiré le"),
        ("renewed", "Label renouvelé le"),
    ],
)
def test_anyone_verifies_a_label_in_each_state(client, label, officer, state, verdict):
    if state == "suspended":
        services.suspend(label, by=officer, reason="Contrôle")
    elif state == "revoked":
        services.revoke(label, by=officer, reason="Fermeture")
    elif state == "expired":
        with time_machine.travel(label.valid_until + dt.timedelta(days=1)):
            services.expire_due()
    elif state == "renewed":
        from tests.labels.conftest import granted

        renewal = granted(label.application.call)
        renewal.organisation = label.organisation
        renewal.save()
        successor = services.issue_label(renewal)

    page = text_of(client.get(reverse("labels:verify", args=[label.number])))

    assert f"Label n° {label.number}" in page
    assert verdict in page
    if state == "renewed":
        assert f"Remplacé par {successor.number}" in page
    assert "Société Liégeoise des Tiers-Lieux ASBL" in page


def test_an_unknown_number_says_so(client):
    response = client.get(reverse("labels:verify", args=["CW-LBL-1999-999"]))

    assert response.status_code == 404
    assert "Aucun label ne porte le numéro CW-LBL-1999-999" in text_of(response)


def test_the_expiry_job_run_twice_changes_nothing_the_second_time(label):
    with time_machine.travel(label.valid_until + dt.timedelta(days=1)):
        assert services.expire_due() == [label]
        mail.outbox.clear()
        assert services.expire_due() == []
    label.refresh_from_db()
    assert label.state == Label.State.EXPIRED
    assert mail.outbox == []


def test_the_expiry_warning_is_sent_once_within_90_days(
    label, holder, django_capture_on_commit_callbacks
):
    with time_machine.travel(label.valid_until - dt.timedelta(days=100)):
        assert services.warn_expiring() == []
    with time_machine.travel(label.valid_until - dt.timedelta(days=89)):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.warn_expiring() == [label]
            assert services.warn_expiring() == []
    assert next(m.to for m in mail.outbox if "expire" in m.subject) == [holder.email]


def test_officers_suspend_reinstate_and_revoke_with_a_reason(client, label, officer, holder):
    client.force_login(officer)
    url = reverse("labels:staff_detail", args=[label.number])
    response = client.post(url, {"action": "suspend", "suspend-reason": ""})
    label.refresh_from_db()
    assert label.state == Label.State.ACTIVE
    assert response.status_code == 400
    assert 'href="#id_suspend-reason"' in response.content.decode()

    client.post(url, {"action": "suspend", "suspend-reason": "Contrôle en cours"})
    label.refresh_from_db()
    assert label.state == Label.State.SUSPENDED
    client.post(url, {"action": "reinstate"})
    label.refresh_from_db()
    assert label.state == Label.State.ACTIVE
    mail.outbox.clear()
    client.post(url, {"action": "revoke", "revoke-reason": "Fermeture de l'espace", "confirm": "1"})
    label.refresh_from_db()
    assert label.state == Label.State.REVOKED
    assert holder.email in [m.to[0] for m in mail.outbox]
    with pytest.raises(TransitionRefused):
        services.reinstate(label, by=officer)


def test_officers_of_another_programme_and_holders_cannot_manage(
    client, label, other_officer, holder
):
    url = reverse("labels:staff_detail", args=[label.number])
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(holder)
    assert client.post(url, {"action": "revoke", "revoke-reason": "x"}).status_code == 404
    label.refresh_from_db()
    assert label.state == Label.State.ACTIVE


def test_the_holder_keeps_the_public_profile(client, label, holder, other_applicant):
    url = reverse("labels:profile", args=[label.number])
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    client.force_login(holder)

    client.post(url, {"space_name": "Le Quai", "description": "Un lieu ouvert", "capacity": "40"})

    page = text_of(client.get(label.get_absolute_url()))
    assert "Le Quai" in page and "Un lieu ouvert" in page


def test_a_label_past_its_validity_reads_expired_before_the_job_runs(client, label):
    with time_machine.travel(label.valid_until + dt.timedelta(days=1)):
        page = text_of(client.get(reverse("labels:verify", args=[label.number])))
        directory = text_of(client.get(reverse("labels:directory")))

    assert "Label expiré le" in page
    assert label.space_name not in directory


def test_the_verification_form_leads_to_the_number(client, label):
    response = client.get(reverse("labels:verify_form"), {"number": label.number.lower()})

    assert response.url == reverse("labels:verify", args=[label.number])


def test_a_suspended_label_past_its_validity_expires(label, officer):
    services.suspend(label, by=officer, reason="Contrôle")
    with time_machine.travel(label.valid_until + dt.timedelta(days=1)):
        services.expire_due()
    label.refresh_from_db()
    assert label.state == Label.State.EXPIRED


def test_strangers_cannot_export_labels(client, label, other_applicant):
    client.force_login(other_applicant)

    assert client.get(reverse("labels:staff_export", args=["csv"])).status_code == 404
