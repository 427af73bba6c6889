"""The form to report a problem with a labelled space: no account, validated, a trap for
robots, and limited per connection and per label (HTTP 429 past the limit)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from labels.models import Label
from portal.models import OutgoingEmail
from surveillance.models import VisitorReport
from surveillance.views import public
from tests.pages import text_of

pytestmark = pytest.mark.django_db

MESSAGE = "L'espace était fermé mardi à 10 h, pendant ses heures d'ouverture."


def url(label):
    return reverse("surveillance:report_problem", args=[label.number])


def test_the_space_page_carries_the_form_with_its_csrf_token(label):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("labels:space", args=[label.number])).content.decode()
    assert f'action="{url(label)}"' in page and 'name="message"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    response = client.post(url(label), {"message": MESSAGE, "csrfmiddlewaretoken": token})

    assert response.status_code == 302 and VisitorReport.objects.exists()


def test_a_visitor_reports_a_problem_without_an_account(client, label, officer):
    response = client.post(url(label), {"message": MESSAGE, "name": "Ana", "email": ""})

    assert response.status_code == 302 and response["Location"] == label.get_absolute_url()
    report = VisitorReport.objects.get()
    assert report.message == MESSAGE and report.name == "Ana" and len(report.source) == 12
    assert OutgoingEmail.objects.filter(recipient=officer.email).exists()
    assert "votre signalement est envoyé" in text_of(client.get(response["Location"]))


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"message": "Trop court."}, "au moins 20 caractères"),
        ({"message": "x" * 2001}, "au plus 2000 caractères"),
        ({"message": ""}, "Ce champ est obligatoire."),
        ({"message": MESSAGE, "email": "pas-une-adresse"}, "adresse de courriel valide"),
    ],
)
def test_the_form_is_validated(client, label, data, problem):
    response = client.post(url(label), data)

    assert response.status_code == 400
    assert problem in text_of(response)
    assert not VisitorReport.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(client, label):
    response = client.post(url(label), {"message": MESSAGE, "website": "http://spam.example"})

    assert response.status_code == 302
    assert not VisitorReport.objects.exists()


def test_one_connection_sends_a_few_reports_an_hour(client, label):
    for _ in range(public.PER_SOURCE_PER_HOUR):
        assert client.post(url(label), {"message": MESSAGE}).status_code == 302

    response = client.post(url(label), {"message": MESSAGE})

    assert response.status_code == 429
    assert "Trop de signalements" in text_of(response)
    assert VisitorReport.objects.count() == public.PER_SOURCE_PER_HOUR


def test_one_label_receives_a_few_dozen_reports_a_day(client, label):
    for n in range(public.PER_LABEL_PER_DAY):
        address = f"10.0.{n // 250}.{n % 250 + 1}"
        response = client.post(url(label), {"message": MESSAGE}, REMOTE_ADDR=address)
        assert response.status_code == 302

    response = client.post(url(label), {"message": MESSAGE}, REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 429
    assert VisitorReport.objects.count() == public.PER_LABEL_PER_DAY


def test_only_a_valid_label_may_be_reported(client, label):
    Label.objects.filter(pk=label.pk).update(state=Label.State.REVOKED)

    assert client.get(url(label)).status_code == 404
    assert client.post(url(label), {"message": MESSAGE}).status_code == 404


def test_an_officer_triages_a_report_into_a_case(client, label, officer, holder):
    client.post(url(label), {"message": MESSAGE})
    report = VisitorReport.objects.get()
    client.force_login(officer)
    detail = reverse("surveillance:visitor_report", args=[report.pk])

    response = client.post(
        detail,
        {
            "action": "confirm",
            "confirm-summary": "Fermé pendant les heures.",
            "confirm-grace_days": 10,
        },
    )

    case = report.non_conformity
    assert response.status_code == 302 and response["Location"].endswith(f"/{case.pk}/")
    client.force_login(holder)
    page = text_of(client.get(reverse("labels:space", args=[label.number])))
    assert "En cours d'examen" in page and "Fermé pendant les heures." not in page
