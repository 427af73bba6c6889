"""The officer's form builder in the staff pages: a form built question by question, the
constraints refused where they make no sense, the freeze once a dossier exists (wording
still free, and kept in the history), the preview in both languages, and who may come."""

import pytest
from django.urls import reverse

from applications import formbuilder, formlibrary
from applications.callforms import FormChange, FormRule, FormSection, Question, TableColumn
from applications.questionnaire import Questionnaire
from tests.factories import ApplicationFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EMPTY_CONSTRAINTS = {"max_length": "", "max_words": "", "min_value": "", "max_value": ""}


def url(name, call, *args):
    return reverse(f"applications:{name}", args=[call.slug, *args])


def question_data(section, code, kind, **extra):
    return {
        "section": section.pk,
        "position": "0",
        "code": code,
        "kind": kind,
        "label_fr": f"Question {code} en français",
        "label_en": f"Question {code} in English",
        "help_fr": "",
        "help_en": "",
        "required": "on",
        **EMPTY_CONSTRAINTS,
        **extra,
    }


@pytest.fixture
def section(call):
    section = FormSection(call=call, title_fr="Le projet", title_en="The project")
    formbuilder.save_part(section)
    return section


@pytest.fixture
def rural_call(call):
    formbuilder.install(call, formlibrary.RURAL_2017)
    return call


def test_an_officer_builds_a_form_with_every_kind_of_question(client, call, officer):
    client.force_login(officer)
    response = client.post(
        url("staff_form_section_add", call),
        {
            "title_fr": "Le projet",
            "title_en": "The project",
            "intro_fr": "Décrivez.",
            "intro_en": "Describe.",
            "position": "0",
        },
    )
    assert response.status_code == 302
    section = call.form_sections.get()
    add = url("staff_form_question_add", call, section.pk)
    extras = {
        "short_text": {"max_length": "80"},
        "long_text": {"max_words": "300"},
        "integer": {"min_value": "1", "max_value": "500"},
        "decimal": {"min_value": "0,5"},
        "amount": {"min_value": "1000", "max_value": "100 000"},
        "percentage": {"max_value": "50"},
        "choice": {"options": "wallonie | Wallonie | Wallonia\nbruxelles | Bruxelles | Brussels"},
        "choices": {"options": "coworking | Coworking\nfablab | Fab lab | Fab lab"},
    }
    for kind in Question.Kind.values:
        response = client.post(
            add, question_data(section, kind.replace("_", "-"), kind, **extras.get(kind, {}))
        )
        assert response.status_code == 302, (kind, text_of(response))
    table = call.questions.get(kind="table")
    for data in (
        {"code": "line", "kind": "text", "label_fr": "Poste", "label_en": "Line"},
        {
            "code": "category",
            "kind": "choice",
            "label_fr": "Catégorie",
            "label_en": "Category",
            "options": "equipment | Équipement | Equipment\nworks | Travaux | Works",
        },
        {
            "code": "amount",
            "kind": "amount",
            "label_fr": "Montant",
            "label_en": "Amount",
            "summed": "on",
        },
    ):
        response = client.post(
            url("staff_form_column_add", call, table.pk), {"position": "0", **data}
        )
        assert response.status_code == 302, text_of(response)
    category = TableColumn.objects.get(question=table, code="category")
    rules = [
        {"kind": "total_equals", "question": table.pk, "core_field": "total_cost"},
        {
            "kind": "share_at_most",
            "question": table.pk,
            "column": category.pk,
            "option_code": "equipment",
            "percent": "33,33",
        },
        {
            "kind": "required_if_yes",
            "question": call.questions.get(code="long-text").pk,
            "other": call.questions.get(code="yes-no").pk,
        },
    ]
    for data in rules:
        response = client.post(url("staff_form_rule_add", call), data)
        assert response.status_code == 302, text_of(response)

    questionnaire = Questionnaire.of(call)
    assert sorted(q.kind for q in questionnaire.questions) == sorted(Question.Kind.values)
    choice = questionnaire.by_code("choice")
    assert [(o.code, o.label_en) for o in choice.options.all()] == [
        ("wallonie", "Wallonia"),
        ("bruxelles", "Brussels"),
    ]
    assert [o.code for o in category.options.all()] == ["equipment", "works"]
    assert call.form_rules.count() == 3
    # One numbered change per action, the options included in the question's.
    assert formbuilder.current_version(call) == 1 + len(Question.Kind.values) + 3 + 3
    added = call.form_changes.get(summary__contains="choice en français")
    assert [o["code"] for o in added.definition["sections"][0]["questions"][-1]["options"]] == [
        "wallonie",
        "bruxelles",
    ]

    page = text_of(client.get(url("staff_form", call)))
    assert "Question integer en français" in page
    assert "Équipement" in page
    assert (
        "Le total de « Question table en français » doit être égal à « coût total du projet »."
        in page
    )


def test_constraints_that_do_not_fit_the_kind_are_refused(client, call, officer, section):
    client.force_login(officer)
    add = url("staff_form_question_add", call, section.pk)
    response = client.post(add, question_data(section, "desks", "integer", max_words="10"))
    assert response.status_code == 200
    assert (
        "Cette contrainte ne s'applique pas à une question de type « nombre entier »."
        in text_of(response)
    )

    response = client.post(
        add, question_data(section, "grant", "amount", min_value="5000", max_value="1000")
    )
    assert "Le maximum ne peut pas être inférieur au minimum." in text_of(response)

    response = client.post(add, question_data(section, "region", "choice"))
    assert "Une question à choix a besoin de ses options." in text_of(response)

    response = client.post(add, question_data(section, "share", "percentage", max_value="120"))
    assert "Un pourcentage est compris entre 0 et 100." in text_of(response)

    client.post(add, question_data(section, "desks", "integer"))
    response = client.post(add, question_data(section, "desks", "short_text"))
    assert "Une autre question de cet appel utilise déjà ce code." in text_of(response)
    assert call.questions.count() == 1


def test_rules_must_name_the_right_questions(client, rural_call, officer):
    client.force_login(officer)
    budget = rural_call.questions.get(code="budget")
    not_a_table = rural_call.questions.exclude(kind="table").first()
    category = budget.columns.get(code="category")
    add = url("staff_form_rule_add", rural_call)

    response = client.post(add, {"kind": "total_equals", "question": not_a_table.pk})
    page = text_of(response)
    assert "Choisissez une question tableau." in page
    response = client.post(
        add,
        {
            "kind": "share_at_most",
            "question": budget.pk,
            "column": category.pk,
            "option_code": "jewels",
            "percent": "10",
        },
    )
    assert "Donnez le code d'une des options de la colonne" in text_of(response)
    response = client.post(
        add, {"kind": "required_if_yes", "question": budget.pk, "other": budget.pk}
    )
    assert "Choisissez une question oui/non." in text_of(response)
    assert rural_call.form_rules.count() == 3


def test_once_a_dossier_exists_structure_is_refused_and_wording_is_kept_in_history(
    client, rural_call, officer, draft
):
    client.force_login(officer)
    question = rural_call.questions.get(code="agrifood")
    data = {
        "section": question.section_id,
        "position": question.position,
        "code": question.code,
        "kind": "short_text",
        "label_fr": question.label_fr,
        "label_en": question.label_en,
        "help_fr": question.help_fr,
        "help_en": question.help_en,
        "required": "on" if question.required else "",
        **EMPTY_CONSTRAINTS,
    }
    edit = url("staff_form_question", rural_call, question.pk)
    before = formbuilder.current_version(rural_call)
    page = text_of(client.get(edit))
    assert "Des dossiers ont déjà été commencés sur cet appel." in page

    response = client.post(edit, data)
    assert response.status_code == 200
    assert "le code et le type d'une question ne peuvent pas changer." in text_of(response)
    assert Question.objects.get(pk=question.pk).kind == "yes_no"

    response = client.post(edit, {**data, "kind": "yes_no", "label_en": "Agri-food activities?"})
    assert response.status_code == 302
    assert formbuilder.current_version(rural_call) == before + 1
    change = rural_call.form_changes.get(version=before + 1)
    assert change.kind == FormChange.Kind.WORDING

    response = client.post(
        url("staff_form_remove", rural_call, "question", question.pk), follow=True
    )
    assert "le retirer perdrait ou invaliderait des réponses enregistrées." in text_of(response)
    assert Question.objects.filter(pk=question.pk).exists()

    history = text_of(client.get(url("staff_form_history", rural_call)))
    assert "formulation" in history
    shown = text_of(client.get(url("staff_form_history", rural_call), {"version": before + 1}))
    assert "Agri-food activities?" in shown


def test_a_rule_can_be_removed_and_parts_moved_on_a_frozen_form(client, rural_call, officer, draft):
    client.force_login(officer)
    rule = rural_call.form_rules.get(kind="share_at_most")
    response = client.post(url("staff_form_remove", rural_call, "rule", rule.pk))
    assert response.status_code == 302
    assert not FormRule.objects.filter(pk=rule.pk).exists()
    first, second = rural_call.form_sections.order_by("position", "pk")[:2]
    versions = rural_call.form_changes.count()
    client.post(url("staff_form_move", rural_call, "section", second.pk, "up"))
    assert list(rural_call.form_sections.order_by("position", "pk")[:2]) == [second, first]
    move = rural_call.form_changes.first()
    assert rural_call.form_changes.count() == versions + 1
    assert (move.kind, move.summary) == (
        "wording",
        "Section du formulaire «\u00a0L'espace\u00a0»\u00a0: déplacement.",
    )
    assert move.definition["sections"][0]["title_fr"] == second.title_fr


def test_a_version_that_is_not_a_number_is_not_found(client, rural_call, officer):
    client.force_login(officer)
    history = url("staff_form_history", rural_call)
    assert client.get(history, {"version": "²"}).status_code == 200
    assert client.get(history, {"version": "1"}).status_code == 200
    assert client.get(history, {"version": "99"}).status_code == 404


def test_the_preview_shows_the_form_in_french_and_in_english(client, rural_call, officer):
    client.force_login(officer)
    budget = rural_call.questions.get(code="budget")
    french = text_of(client.get(url("staff_form_preview", rural_call), {"lang": "fr"}))
    english = text_of(client.get(url("staff_form_preview", rural_call), {"lang": "en"}))
    assert budget.label_fr in french
    assert budget.label_en in english
    assert budget.label_en not in french
    assert budget.columns.get(code="category").label_en in english


def test_only_the_programmes_officers_reach_the_builder(
    client, rural_call, other_officer, ministry, applicant
):
    question = rural_call.questions.first()
    pages = [
        url("staff_form", rural_call),
        url("staff_form_preview", rural_call),
        url("staff_form_history", rural_call),
        url("staff_form_question", rural_call, question.pk),
        url("staff_call_duplicate", rural_call),
    ]
    for user in (other_officer, ministry, applicant):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)


def test_a_part_of_another_call_is_not_found(client, call, officer, rural_call):
    from tests.factories import CallFactory

    other = CallFactory(programme=call.programme)
    formbuilder.install(other, formlibrary.FAB_LAB)
    client.force_login(officer)
    foreign = other.questions.first()
    assert client.get(url("staff_form_question", rural_call, foreign.pk)).status_code == 404
    edit = url("staff_form_question", rural_call, foreign.pk)
    assert client.post(edit, {"label_fr": "Piraté"}).status_code == 404
    stranger = CallFactory()
    formbuilder.install(stranger, formlibrary.FAB_LAB)
    remove = url("staff_form_remove", rural_call, "question", stranger.questions.first().pk)
    assert client.post(remove).status_code == 404
    assert stranger.questions.count() == len(formlibrary.FAB_LAB["sections"][0]["questions"]) + 5
    assert client.get(url("staff_form_remove", rural_call, "call", 1)).status_code == 404


def test_the_overview_reads_the_form_in_a_bounded_number_of_queries(
    client, rural_call, officer, django_assert_max_num_queries
):
    ApplicationFactory(call=rural_call)
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        response = client.get(url("staff_form", rural_call))
    assert response.status_code == 200


def test_the_overview_writes_limits_as_the_reader_does(client, rural_call, officer):
    client.force_login(officer)
    page = text_of(client.get(url("staff_form", rural_call)))
    assert "font au plus 33,33 % du total" in page
    assert "minimum 1" in page and "1.00" not in page
