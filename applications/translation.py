"""The texts of programmes and calls that staff write per language (django-modeltranslation:
a column per language, French required and the fallback; see portal.translations)."""

from django.urls import reverse
from modeltranslation.translator import TranslationOptions, register

from applications.callforms import FormSection, Option, Question, TableColumn
from applications.models import Call, DocumentType, EligibilityQuestion, Programme, Service
from portal import translations


class Translated(TranslationOptions):
    required_languages = ("fr",)


@register(Programme)
class ProgrammeTexts(Translated):
    fields = ("name", "description", "label_name", "legal_basis", "redress_body")


@register(Call)
class CallTexts(Translated):
    fields = ("title", "summary", "rules", "legal_basis")


@register(DocumentType)
class DocumentTypeTexts(Translated):
    fields = ("name", "help_text")


@register(EligibilityQuestion)
class EligibilityQuestionTexts(Translated):
    fields = ("text",)


@register(Service)
class ServiceTexts(Translated):
    fields = ("name",)


@register(FormSection)
class FormSectionTexts(Translated):
    fields = ("title", "intro")


@register(Question)
class QuestionTexts(Translated):
    fields = ("label", "help")


@register(TableColumn)
class TableColumnTexts(Translated):
    fields = ("label",)


@register(Option)
class OptionTexts(Translated):
    fields = ("label",)


# The missing translations of a call and of a programme count these (portal.translations),
# and link each to the page where staff write it.
def _url(name: str, *args) -> str:
    return reverse(f"applications:{name}", args=args)


translations.track(
    Programme,
    ProgrammeTexts.fields,
    programme="",
    edit=lambda programme: _url("staff_programme_edit", programme.slug),
)
translations.track(
    Call,
    CallTexts.fields,
    call="",
    programme="programme",
    edit=lambda call: _url("staff_call_edit", call.slug),
)
for model, options in (
    (DocumentType, DocumentTypeTexts),
    (EligibilityQuestion, EligibilityQuestionTexts),
):
    translations.track(
        model,
        options.fields,
        call="call",
        programme="call__programme",
        edit=lambda row: _url("staff_call_edit", row.call.slug),
        related=("call",),
    )
translations.track(
    FormSection,
    FormSectionTexts.fields,
    call="call",
    programme="call__programme",
    edit=lambda section: _url("staff_form_section", section.call.slug, section.pk),
    related=("call",),
)
translations.track(
    Question,
    QuestionTexts.fields,
    call="call",
    programme="call__programme",
    edit=lambda question: _url("staff_form_question", question.call.slug, question.pk),
    related=("call",),
)
translations.track(
    TableColumn,
    TableColumnTexts.fields,
    call="question__call",
    programme="question__call__programme",
    edit=lambda column: _url("staff_form_column", column.question.call.slug, column.pk),
    related=("question__call",),
)
translations.track(
    Option,
    OptionTexts.fields,
    call=("question__call", "column__question__call"),
    programme=("question__call__programme", "column__question__call__programme"),
    edit=lambda option: _url(
        "staff_form_option", (option.question or option.column.question).call.slug, option.pk
    ),
    related=("question__call", "column__question__call"),
)
