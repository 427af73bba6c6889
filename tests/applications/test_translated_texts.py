"""The texts staff write have a version per language (django-modeltranslation): readers see
theirs, or the French where it is not written yet, marked for screen readers and, for staff
only, as not translated; staff see how many translations a call or programme lacks and
where to write each one."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications import formbuilder
from applications.builderforms import option_line, parse_options
from applications.forms import CallForm
from applications.questionnaire import Questionnaire
from portal import translations
from reporting.models import Indicator
from tests.factories import CallFactory, DocumentTypeFactory, EligibilityQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_a_text_reads_in_the_readers_language_or_else_in_french():
    call = CallFactory(title="Espaces de coworking", title_de="Coworking-Räume")
    with translation.override("de"):
        assert call.title == "Coworking-Räume"
    with translation.override("nl"):
        assert call.title == "Espaces de coworking"
    with translation.override("fr-be"):
        assert call.title == "Espaces de coworking"
    assert translations.is_translated(call, "title", "de")
    assert not translations.is_translated(call, "title", "nl")
    # An empty French text has nothing to translate.
    assert translations.is_translated(call, "summary", "nl")


def test_the_missing_translations_of_a_call_are_counted_per_language():
    call = CallFactory(title="Appel", title_de="Aufruf", rules="Règles", summary="")
    DocumentTypeFactory(call=call, name="Plan financier", name_nl="Financieel plan")
    EligibilityQuestionFactory(call=call, text="Un partenaire public ?")

    # title (nl, en); rules (de, nl, en); document (de, en); question (de, nl, en)
    assert translations.missing_in("call", call) == {"de": 3, "nl": 3, "en": 4}
    # The programme counts its own texts and its calls'.
    programme_counts = translations.missing_in("programme", call.programme)
    assert all(programme_counts[code] >= count for code, count in {"de": 3, "nl": 3}.items())


def test_counting_a_calls_missing_translations_costs_the_same_queries_for_any_form_size(
    django_assert_num_queries,
):
    small, large = CallFactory(), CallFactory()
    question = {"kind": "short_text", "label_fr": "Question", "required": False}
    for call, count in ((small, 2), (large, 20)):
        questions = [{**question, "code": f"q{n}"} for n in range(count)]
        formbuilder.install(call, {"sections": [{"title_fr": "Partie", "questions": questions}]})
    with django_assert_num_queries(8) as small_queries:
        small_counts = translations.missing_in("call", small)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        large_counts = translations.missing_in("call", large)
    assert large_counts["de"] - small_counts["de"] == 18


def test_the_translations_page_lists_each_missing_text_with_where_to_write_it(client, officer):
    call = CallFactory(title="Appel", title_de="Aufruf", title_nl="Oproep", title_en="Call")
    formbuilder.install(
        call,
        {
            "sections": [
                {
                    "title_fr": "Le projet",
                    "questions": [
                        {
                            "code": "desks",
                            "kind": "integer",
                            "label_fr": "Postes de travail",
                            "label_de": "Arbeitsplätze",
                            "required": False,
                        },
                    ],
                }
            ]
        },
    )
    call.programme.staff.create(user=officer, role="officer")
    question = call.questions.get()
    client.force_login(officer)

    page = client.get(reverse("applications:staff_call_translations", args=[call.slug]))

    text = text_of(page)
    assert "Postes de travail" in text and "néerlandais, anglais" in text
    assert "Le projet" in text
    # The call's title is written in every language: it is not listed.
    rows = translations.untranslated_in("call", call)
    assert {(row.kind, row.field) for row in rows} == {
        ("appels à projets", "rules"),
        ("sections du formulaire", "title"),
        ("questions", "label"),
    }
    edit = reverse("applications:staff_form_question", args=[call.slug, question.pk])
    assert f'href="{edit}"' in page.content.decode()
    # The call's page says how many are missing and links here.
    edit_page = text_of(client.get(reverse("applications:staff_call_edit", args=[call.slug])))
    assert "traductions manquent" in edit_page


def test_the_call_form_names_each_language_and_says_what_is_not_translated():
    call = CallFactory(title="Appel", title_de="Aufruf", rules="Règles")
    form = CallForm(instance=call)
    assert str(form["title_de"].label) == "Titre (allemand)"
    assert str(form["rules_nl"].label) == "Règlement (néerlandais)"
    assert form.fields["title_fr"].required and not form.fields["title_de"].required
    assert form["rules_nl"].help_text == translations.NOT_TRANSLATED
    assert form["title_de"].help_text == ""
    # Only the French is required.
    data = {**form.initial, "title_fr": "", "title_de": "Aufruf", "rules_fr": "Règles"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    bound = CallForm(data, instance=call)
    assert "title_fr" in bound.errors and "title_de" not in bound.errors


def test_applicants_read_the_form_in_their_language():
    call = CallFactory()
    formbuilder.install(
        call,
        {
            "sections": [
                {
                    "title_fr": "Le projet",
                    "title_de": "Das Projekt",
                    "questions": [
                        {
                            "code": "desks",
                            "kind": "integer",
                            "label_fr": "Postes de travail",
                            "label_de": "Arbeitsplätze",
                            "required": False,
                        },
                    ],
                }
            ]
        },
    )
    with translation.override("de"):
        questionnaire = Questionnaire.of(call)
        assert [s.title for s in questionnaire.sections] == ["Das Projekt"]
        assert [q.label for q in questionnaire.sections[0].questions.all()] == ["Arbeitsplätze"]
    with translation.override("nl"):
        assert Questionnaire.of(call).sections[0].title == "Le projet"


def test_the_public_call_page_marks_the_french_that_stands_in(client, applicant, officer):
    call = CallFactory(title="Appel", title_de="Aufruf", summary="Un résumé en français.")
    call.programme.staff.create(user=officer, role="officer")
    client.cookies["guichet_language"] = "de"

    page = client.get(call.get_absolute_url()).content.decode()
    assert "<span>Aufruf</span>" in page
    assert '<span lang="fr">Un résumé en français.</span>' in page
    assert "noch nicht übersetzt" not in page

    client.force_login(applicant)
    applicant.language = "de"
    applicant.save()
    assert "noch nicht übersetzt" not in client.get(call.get_absolute_url()).content.decode()

    officer.language = "de"
    officer.save()
    client.force_login(officer)
    staff_view = client.get(call.get_absolute_url()).content.decode()
    assert staff_view.count('class="untranslated">noch nicht übersetzt') == 2  # summary, rules


def test_options_are_typed_with_their_translations_in_any_order_of_writing():
    (option,) = parse_options("equipment | Équipement | Equipment | Ausstattung | Uitrusting")
    assert (option.label_fr, option.label_en, option.label_de, option.label_nl) == (
        "Équipement",
        "Equipment",
        "Ausstattung",
        "Uitrusting",
    )
    # Lines written before German and Dutch keep their meaning.
    (older,) = parse_options("equipment | Équipement | Equipment")
    assert (older.label_en, older.label_de) == ("Equipment", "")
    assert option_line("equipment", {"label_fr": "Équipement", "label_de": "Ausstattung"}) == (
        "equipment | Équipement |  | Ausstattung"
    )


def test_a_choice_indicators_options_read_in_the_readers_language(programme):
    indicator = Indicator(
        programme=programme,
        code="status",
        label_fr="Statut",
        kind=Indicator.Kind.CHOICE,
        options=[{"code": "students", "label_fr": "étudiants", "label_nl": "studenten"}],
    )
    with translation.override("nl"):
        assert indicator.option_label("students") == "studenten"
    with translation.override("de"):
        assert indicator.option_label("students") == "étudiants"
