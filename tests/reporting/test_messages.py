"""The reporting app's messages (``reporting.messages``): each renders from a dossier, with
or without a label and reports, in every language; holders and officers each reach their
own page of the report."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal import messages
from portal.models import Notification
from reporting import messages as reporting_messages
from reporting import services
from reporting.models import ActivityReport
from tests.factories import ApplicationFactory, UserFactory
from tests.reporting.conftest import make_report

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in reporting_messages.MESSAGES]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def example_context(key, application):
    return {"user": UserFactory(full_name="Anne Dubois"), **messages.get(key).example(application)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_each_message_renders_from_a_dossier_with_or_without_its_label(key, language, call, label):
    make_report(label, dt.date(2026, 1, 1))
    for application in (label.application, ApplicationFactory(call=call)):
        subject, body = messages.render(key, example_context(key, application), language)
        assert subject and "{{" not in subject and "{{" not in body
        assert "Anne Dubois" in body


@pytest.mark.parametrize("key", KEYS)
def test_every_placeholder_has_a_value_and_the_default_texts_hold_the_required_ones(key, label):
    message = messages.get(key)
    values = messages.values_of(message, example_context(key, label.application))
    assert message.names <= set(values)
    for language in LANGUAGES:
        subject, body = messages.default_wording(key, language)
        found = messages.used(subject) | messages.used(body)
        assert set(message.required) <= found <= message.names


def test_the_returned_report_tells_the_holder_what_to_correct_on_their_page(label, holder, officer):
    report = make_report(label, dt.date(2026, 1, 1), state=ActivityReport.State.SUBMITTED)

    services.return_for_corrections(report, by=officer, comment="Il manque les ateliers.")

    told = Notification.objects.get(recipient=holder, kind="reporting/emails/returned")
    assert told.subject == "Rapport d'activité T1 2026 renvoyé pour corrections"
    assert "Il manque les ateliers." in told.body
    assert told.link == reverse("reporting:detail", args=[report.pk])


def test_officers_are_sent_to_the_review_page_of_a_submitted_report(label, officer):
    report = make_report(label, dt.date(2026, 1, 1))
    context = {"user": officer, "report": report}

    subject, body = messages.render("reporting/emails/submitted", context, "en")

    assert subject == f"Activity report Q1 2026 submitted by {label.number}"
    assert reverse("reporting:staff_detail", args=[report.pk]) in body
    assert reverse("labels:staff_detail", args=[label.number]) not in body


@pytest.mark.parametrize("key", KEYS)
def test_the_french_texts_put_a_non_breaking_space_before_double_punctuation(key):
    subject, body = messages.default_wording(key, "fr-be")
    assert not re.search(r" [:;?!»]|« ", subject + "\n" + body)
