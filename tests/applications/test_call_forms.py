"""A call's own application form: answers checked by kind, the table rules, what is
missing at submission, the freeze once dossiers exist, and answers read in SQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications import formbuilder, formlibrary, services
from applications.callforms import FormChange, FormRule, Option, Question
from applications.models import Application
from applications.questionnaire import Questionnaire, SectionAnswersForm, answer_expression
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    EligibilityQuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rural_call():
    call = CallFactory(slug="ruralite")
    formbuilder.install(call, formlibrary.RURAL_2017)
    return call


@pytest.fixture
def fab_call():
    call = CallFactory(slug="fab-labs")
    formbuilder.install(call, formlibrary.FAB_LAB)
    return call


def section_form(application, position, data):
    questionnaire = Questionnaire.of(application.call)
    return SectionAnswersForm(
        data,
        questionnaire=questionnaire,
        section=questionnaire.sections[position],
        application=application,
    )


def budget_rows(*rows):
    data = {}
    for index, (line, category, amount) in enumerate(rows):
        data[f"budget-{index}-line"] = line
        data[f"budget-{index}-category"] = category
        data[f"budget-{index}-amount"] = amount
        data[f"budget-{index}-cofunding"] = ""
    return data


def test_installing_a_definition_gives_it_back_and_starts_the_history(rural_call):
    assert formbuilder.definition(rural_call)["rules"] == [
        {
            "kind": "total_equals",
            "question": "budget",
            "other": None,
            "core_field": "total_cost",
            "column": None,
            "option_code": "",
            "percent": None,
        },
        {
            "kind": "share_at_most",
            "question": "budget",
            "other": None,
            "core_field": "",
            "column": "category",
            "option_code": "equipment",
            "percent": "33.33",
        },
        {
            "kind": "required_if_yes",
            "question": "agrifood_activities",
            "other": "agrifood",
            "core_field": "",
            "column": None,
            "option_code": "",
            "percent": None,
        },
    ]
    again = CallFactory()
    formbuilder.install(again, formbuilder.definition(rural_call))
    assert formbuilder.definition(again) == formbuilder.definition(rural_call)
    assert list(rural_call.form_changes.values_list("version", "kind")) == [(1, "structure")]


def test_answers_are_checked_by_kind_and_stored_as_json(fab_call):
    application = ApplicationFactory(call=fab_call)
    with translation.override("fr"):
        form = section_form(
            application,
            0,
            {
                "legal_form": "asbl",
                "machines": ["laser", "cnc"],
                "open_hours_per_week": "2",
                "public_share": "120",
                "workshop_postcode": "9999",
                "opening_date": "pas une date",
            },
        )
        assert not form.is_valid()
    assert set(form.errors) == {
        "open_hours_per_week",
        "public_share",
        "workshop_postcode",
        "opening_date",
    }
    form = section_form(
        application,
        0,
        {
            "legal_form": "asbl",
            "machines": ["laser", "cnc"],
            "open_hours_per_week": "24",
            "public_share": "62,5",
            "workshop_postcode": "6700",
            "opening_date": "2027-03-01",
        },
    )
    assert form.is_valid(), form.errors
    services.save_answers(form)
    application.refresh_from_db()
    assert application.answers == {
        "legal_form": "asbl",
        "machines": ["laser", "cnc"],
        "open_hours_per_week": 24,
        "public_share": "62.50",
        "workshop_postcode": "6700",
        "opening_date": "2027-03-01",
    }


def test_a_section_saved_keeps_the_other_sections_answers(fab_call):
    application = ApplicationFactory(call=fab_call)
    Application.objects.filter(pk=application.pk).update(answers={"charter": True})
    application.refresh_from_db()
    form = section_form(application, 0, {"legal_form": "srl"})
    assert form.is_valid()
    services.save_answers(form)
    application.refresh_from_db()
    assert application.answers == {"charter": True, "legal_form": "srl"}


def test_long_text_counts_words(rural_call):
    application = ApplicationFactory(call=rural_call)
    with translation.override("en"):
        form = section_form(application, 0, {"partner_municipalities": "mot " * 201})
        assert not form.is_valid()
    assert form.errors["partner_municipalities"] == ["At most 200 words (this text has 201)."]


def test_the_budget_table_totals_and_its_rules_are_checked_on_save(rural_call):
    application = ApplicationFactory(call=rural_call, content={"total_cost": Decimal("90000")})
    data = budget_rows(
        ("Imprimantes et écrans", "equipment", "45 000"),
        ("Peinture et cloisons", "works", "45 000"),
    )
    with translation.override("fr"):
        form = section_form(application, 2, data)
        assert not form.is_valid()
    message = form.errors["budget"][0]
    assert "Équipement" in message and "50\u00a0%" in message and "33,33\u00a0%" in message

    form = section_form(
        application,
        2,
        budget_rows(
            ("Imprimantes et écrans", "equipment", "30 000"),
            ("Peinture et cloisons", "works", "50 000"),
        ),
    )
    assert not form.is_valid()
    assert "doit être égal à coût total du projet" in form.errors["budget"][0]

    form = section_form(
        application,
        2,
        budget_rows(
            ("Imprimantes et écrans", "equipment", "30 000"),
            ("Peinture et cloisons", "works", "60 000"),
            ("", "", ""),
        ),
    )
    assert form.is_valid(), form.errors
    services.save_answers(form)
    application.refresh_from_db()
    assert application.answers["budget"]["total"] == "90000.00"
    assert len(application.answers["budget"]["rows"]) == 2


def test_a_bad_cell_names_its_row_and_column(rural_call):
    application = ApplicationFactory(call=rural_call)
    with translation.override("en"):
        form = section_form(application, 2, budget_rows(("Écrans", "jewels", "beaucoup")))
        assert not form.is_valid()
    assert form.errors["budget"] == [
        "Row 1, Category: Choose one of the listed options.",
        "Row 1, Amount (EUR): Enter a number, for example 41,250.50.",
    ]


def test_submission_lists_missing_answers_and_required_if_yes(rural_call):
    application = ApplicationFactory(call=rural_call)
    with translation.override("en"):
        problems = application.submission_problems()
        assert (
            "Rural roots: missing Number of partner municipalities, Partner municipalities and "
            "their commitment, The space's role in the rural economy, Does the space host "
            "farming or food businesses?." in problems
        )
        Application.objects.filter(pk=application.pk).update(answers={"agrifood": True})
        application = Application.objects.get(pk=application.pk)
        problems = " ".join(application.submission_problems())
    assert "Which ones?" in problems


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_form_is_free_until_a_dossier_starts_then_only_wording_may_change(rural_call, english):
    officer = UserFactory()
    question = rural_call.questions.get(code="desks")
    question.kind = Question.Kind.DECIMAL
    formbuilder.save_part(question, by=officer)

    ApplicationFactory(call=rural_call)
    question.refresh_from_db()
    question.kind = Question.Kind.INTEGER
    with pytest.raises(formbuilder.FormFrozen, match="cannot change"):
        formbuilder.save_part(question, by=officer)

    question.refresh_from_db()
    question.min_value = Decimal("5")
    with pytest.raises(formbuilder.FormFrozen, match="tightened"):
        formbuilder.save_part(question, by=officer)

    with pytest.raises(formbuilder.FormFrozen):
        formbuilder.remove_part(rural_call.questions.get(code="surface_m2"), by=officer)
    with pytest.raises(formbuilder.FormFrozen):
        equipment = Option.objects.get(column__code="category", code="equipment")
        formbuilder.remove_part(equipment, by=officer)
    with pytest.raises(formbuilder.FormFrozen, match="optional"):
        formbuilder.save_part(
            Question(
                section=question.section,
                code="new",
                kind="integer",
                label_fr="Nouveau",
                required=True,
            ),
            by=officer,
        )

    question.refresh_from_db()
    question.label_fr = "Postes de travail"
    question.required = False
    formbuilder.save_part(question, by=officer)
    rule = rural_call.form_rules.get(kind=FormRule.Kind.SHARE_AT_MOST)
    rule.percent = Decimal("40")
    formbuilder.save_part(rule, by=officer)
    formbuilder.remove_part(rule, by=officer)

    history = list(rural_call.form_changes.values_list("version", "kind"))
    assert history == [
        (5, "structure"),
        (4, "structure"),
        (3, "structure"),
        (2, "structure"),
        (1, "structure"),
    ]
    latest = rural_call.form_changes.first()
    assert latest.made_by == officer
    assert len(latest.definition["rules"]) == 2


def test_a_wording_change_is_recorded_as_such(rural_call):
    ApplicationFactory(call=rural_call)
    question = rural_call.questions.get(code="desks")
    question.help_en = "Desks rented by the day or the month."
    change = formbuilder.save_part(question)
    assert change.kind == FormChange.Kind.WORDING
    assert change.definition["sections"][1]["questions"][0]["help_en"] == question.help_en


def test_answers_are_filtered_in_sql(fab_call):
    first = ApplicationFactory(call=fab_call)
    second = ApplicationFactory(call=fab_call)
    Application.objects.filter(pk=first.pk).update(
        answers={"open_hours_per_week": 12, "charter": True, "legal_form": "asbl"}
    )
    Application.objects.filter(pk=second.pk).update(
        answers={"open_hours_per_week": 40, "charter": False, "legal_form": "srl"}
    )
    hours = fab_call.questions.get(code="open_hours_per_week")
    charter = fab_call.questions.get(code="charter")
    legal_form = fab_call.questions.get(code="legal_form")
    dossiers = Application.objects.filter(call=fab_call)
    assert list(
        dossiers.annotate(hours=answer_expression(hours))
        .filter(hours__gte=20)
        .values_list("pk", flat=True)
    ) == [second.pk]
    assert list(
        dossiers.annotate(charter=answer_expression(charter))
        .filter(charter=True)
        .values_list("pk", flat=True)
    ) == [first.pk]
    assert list(
        dossiers.annotate(form=answer_expression(legal_form))
        .filter(form="srl")
        .values_list("pk", flat=True)
    ) == [second.pk]


@pytest.mark.parametrize("code", ["2024", "has__lab", "Desks", "-desks", "desks-"])
def test_a_code_sql_would_misread_is_refused(fab_call, code):
    question = Question(
        call=fab_call,
        section=fab_call.form_sections.first(),
        code=code,
        kind="integer",
        label_fr="Postes",
    )
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "code" in error.value.message_dict


@pytest.mark.parametrize("code", ["contains", "in", "has-lab", "lab_2"])
def test_every_valid_code_is_read_in_sql(code):
    call = CallFactory()
    formbuilder.install(
        call,
        {
            "sections": [
                formlibrary.section(
                    "Atelier",
                    "Workshop",
                    [
                        formlibrary.question(code, "yes_no", "Ouvert ?", "Open?"),
                        formlibrary.question(f"{code}-hours", "integer", "Heures", "Hours"),
                    ],
                )
            ]
        },
    )
    answered = ApplicationFactory(call=call, answers={code: True, f"{code}-hours": 40})
    ApplicationFactory(call=call, answers={code: False, f"{code}-hours": 4})
    yes_no, hours = call.questions.order_by("position")
    dossiers = Application.objects.filter(call=call).annotate(
        open=answer_expression(yes_no), hours=answer_expression(hours)
    )
    assert list(dossiers.filter(open=True, hours__gte=20).values_list("pk", flat=True)) == [
        answered.pk
    ]


def test_a_table_reads_no_further_than_its_last_allowed_line(rural_call):
    application = ApplicationFactory(call=rural_call)
    far = {"budget-99999999-line": "Écrans", "budget-99999999-amount": "10"}
    with translation.override("en"):
        form = section_form(application, 2, far)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["budget"] is None
        many = budget_rows(*[(f"Poste {n}", "works", "10") for n in range(101)])
        form = section_form(application, 2, many)
        assert not form.is_valid()
    assert "At most 100 lines." in form.errors["budget"]


def test_a_whole_number_stays_within_what_the_database_holds(rural_call):
    application = ApplicationFactory(call=rural_call)
    with translation.override("en"):
        form = section_form(application, 0, {"partner_municipalities_count": "1" + "0" * 20})
        assert not form.is_valid()
        assert form.errors["partner_municipalities_count"] == [
            "Ensure this value is less than or equal to 999999999999999."
        ]


def test_clearing_a_maximum_length_below_the_default_is_a_tightening(rural_call):
    question = rural_call.questions.get(code="opening_hours")
    assert question.max_length == 1000
    ApplicationFactory(call=rural_call)
    question.max_length = None
    with pytest.raises(formbuilder.FormFrozen):
        formbuilder.save_part(question)
    question.max_length = 2000
    formbuilder.save_part(question)


def test_a_question_an_eligibility_question_checks_keeps_its_code_and_stays(rural_call):
    EligibilityQuestionFactory(
        call=rural_call, text="Au moins 10 postes ?", figure="desks", minimum=10
    )
    desks = rural_call.questions.get(code="desks")
    desks.code = "workstations"
    with pytest.raises(formbuilder.FormFrozen, match="Au moins 10 postes"):
        formbuilder.save_part(desks)
    with pytest.raises(formbuilder.FormFrozen):
        formbuilder.remove_part(rural_call.questions.get(code="desks"))
    with pytest.raises(formbuilder.FormFrozen):
        formbuilder.remove_part(desks.section)
    assert rural_call.questions.filter(code="desks").exists()
    formbuilder.remove_part(rural_call.questions.get(code="opening_date"))


def test_the_directory_card_takes_the_questions_named_for_it(rural_call):
    question = rural_call.questions.get(code="surface_m2")
    question.directory = Question.Directory.OPENING_HOURS
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "directory" in error.value.message_dict
    questionnaire = Questionnaire.of(rural_call)
    assert questionnaire.directory_card(
        {"desks": 14, "opening_hours": "Du lundi au vendredi", "surface_m2": 180}
    ) == {"capacity": 14, "opening_hours": "Du lundi au vendredi"}
