"""A call's form in the admin: shown, never written there (the staff form builder checks
codes, kinds and rules, and records the history)."""

import pytest
from django.urls import reverse

from applications.callforms import FormChange, Question
from tests.applications.callform_samples import install_sample_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(call):
    return install_sample_form(call)


def question_data(question, **changes):
    data = {
        "section": question.section_id,
        "position": question.position,
        "code": question.code,
        "kind": question.kind,
        "label_fr": question.label_fr,
        "label_en": question.label_en,
        "help_fr": "",
        "help_en": "",
        "required": "on" if question.required else "",
        "max_length": "",
        "max_words": "",
        "min_value": "",
        "max_value": "",
        **changes,
    }
    for prefix in ("options", "columns"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize("name", ["formsection", "question", "formrule", "formchange"])
def test_the_form_parts_are_listed_and_shown(client, admin_user, form, name):
    client.force_login(admin_user)

    assert client.get(reverse(f"admin:applications_{name}_changelist")).status_code == 200


def test_a_question_is_shown_but_changed_only_in_the_staff_pages(client, admin_user, form):
    question = form.questions.get(code="desks")
    client.force_login(admin_user)
    url = reverse("admin:applications_question_change", args=[question.pk])
    assert question.label_fr in text_of(client.get(url))
    before = FormChange.objects.filter(call=form).count()

    response = client.post(url, question_data(question, label_fr="Postes de coworking"))

    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).label_fr == question.label_fr
    assert FormChange.objects.filter(call=form).count() == before
    assert client.get(reverse("admin:applications_question_add")).status_code == 403


def test_the_form_history_is_read_only(client, admin_user, form):
    client.force_login(admin_user)
    change = FormChange.objects.filter(call=form).first()

    assert client.get(reverse("admin:applications_formchange_add")).status_code == 403
    response = client.post(
        reverse("admin:applications_formchange_change", args=[change.pk]), {"summary": "x"}
    )
    assert response.status_code == 403
