"""The surveillance's messages (``surveillance.messages``): each renders from a dossier,
with or without its label and cases, in every language; one case reads as a sentence of
its own, several are listed."""

import re

import pytest
from django.conf import settings

from portal import messages, notifications
from portal.models import Notification
from surveillance import messages as surveillance_messages
from surveillance import watch
from surveillance.models import Condition, NonConformity
from tests.factories import ApplicationFactory, UserFactory
from tests.surveillance.conftest import condition, make_label
from tests.surveillance.pages.conftest import open_case

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in surveillance_messages.MESSAGES]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def label(call, officer):
    return make_label(call)


@pytest.fixture
def holder(label):
    return label.organisation.memberships.get().user


@pytest.fixture
def reports_on_time(programme):
    return condition(programme, Condition.Kind.REPORTS_ON_TIME, label_fr="Rapports à temps")


def example_context(key, application):
    return {"user": UserFactory(full_name="Anne Dubois"), **messages.get(key).example(application)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_each_message_renders_from_a_dossier_with_or_without_its_label(
    key, language, call, label, reports_on_time
):
    open_case(label, reports_on_time, measured="2 rapports en retard")
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


def two_cases(label, programme):
    return [
        open_case(
            label,
            condition(
                programme,
                Condition.Kind.REPORTS_ON_TIME,
                label_fr=f"Condition {n}",
                label_en=f"Condition {n}",
            ),
            measured=str(n),
        )
        for n in (1, 2)
    ]


def test_several_cases_are_listed_in_one_message_emailed_whatever_the_choice(
    label, holder, programme
):
    notifications.set_email_opt_out(holder, ["labels"])
    two_cases(label, programme)

    assert watch.announce_opened() == 2

    told = Notification.objects.get(recipient=holder, kind__startswith="surveillance/")
    assert told.kind == "surveillance/emails/opened_several" and told.emailed
    assert told.subject == f"Label {label.number}\u00a0: 2 conditions ne sont plus remplies"
    assert "- Condition 1\n  Mesuré\u00a0: 1\n" in told.body and "- Condition 2" in told.body


def test_officers_read_one_flagged_case_as_a_sentence_and_several_as_a_list(
    label, officer, programme
):
    first, second = two_cases(label, programme)
    NonConformity.objects.filter(pk=first.pk).update(state=NonConformity.State.FLAGGED)
    watch.announce_flagged()
    NonConformity.objects.filter(pk=second.pk).update(state=NonConformity.State.FLAGGED)
    third = open_case(label, summary="Fermé le mardi")
    NonConformity.objects.filter(pk=third.pk).update(state=NonConformity.State.FLAGGED)
    watch.announce_flagged()

    one, several = (
        Notification.objects.filter(recipient=officer)
        .filter(kind__startswith="surveillance/")
        .order_by("pk")
    )
    assert one.kind == "surveillance/emails/flagged"
    assert one.subject == "Une non-conformité a dépassé son délai"
    assert "Condition 1" in one.body and f"/staff/labels/{label.number}/" in one.body
    assert several.kind == "surveillance/emails/flagged_several"
    assert several.subject == "2 non-conformités ont dépassé leur délai"
    assert "Condition 2" in several.body and "Fermé le mardi" in several.body


@pytest.mark.parametrize("key", KEYS)
def test_the_french_texts_put_a_non_breaking_space_before_double_punctuation(key):
    subject, body = messages.default_wording(key, "fr-be")
    assert not re.search(r" [:;?!»]|« ", subject + "\n" + body)
