"""A person's download of their personal data holds their dossiers' answers in words."""

import json

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.callform_samples import FIRST, install_sample_form
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_answers_in_words(client, call, applicant, organisation):
    install_sample_form(call)
    dossier = ApplicationFactory(call=call, organisation=organisation)
    Application.objects.filter(pk=dossier.pk).update(created_by=applicant, answers=FIRST)
    client.force_login(applicant)

    response = client.get(reverse("portal:personal_data"))

    (created,) = json.loads(response.content)["dossiers_created"]
    answers = {item["question"]: item["answer"] for item in created["answers"]}
    assert answers["Charte signée"] == "Oui"
    assert answers["Forme juridique"] == "Association"
    assert answers["Services"] == "Internet, Café"
    assert answers["Postes de travail"] == "12"
    assert "Budget" in answers and "Devise" in answers
    assert {item["section"] for item in created["answers"]} == {"L'espace"}
