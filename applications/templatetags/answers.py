"""Template tags for the answers to a call's own form: the dossier's answers read section by
section (``_content.html``, shown to the applicant, officers and reviewers) and the running
total of a table question's form."""

import contextlib
from dataclasses import dataclass
from decimal import Decimal

from django import template

from applications.callforms import FormSection, Question, TableColumn
from applications.questionnaire import shown_rows
from portal.fields import parse_decimal
from portal.figures import euros

register = template.Library()


@dataclass
class Answer:
    """One question of a form section with its answer in words; a table's cells in words
    and its total as well."""

    question: Question
    text: str
    rows: list[list[tuple[TableColumn, str]]]
    total: str

    @property
    def columns(self) -> list[TableColumn]:
        return list(self.question.columns.all())

    @property
    def is_table(self) -> bool:
        return self.question.kind == Question.Kind.TABLE


def answer_sheet(application) -> list[tuple[FormSection, list[Answer]]]:
    """Each section of the call's form with its questions and the dossier's answers."""
    answers = application.answers or {}
    sheet = []
    for section, pairs in application.questionnaire.readable(answers):
        entries = []
        for question, text in pairs:
            value = answers.get(question.code)
            table = question.kind == Question.Kind.TABLE and value
            entries.append(
                Answer(
                    question,
                    text,
                    [
                        list(zip(question.columns.all(), cells, strict=True))
                        for cells in shown_rows(question, value)
                    ]
                    if table
                    else [],
                    euros(Decimal(value["total"])) if table else "",
                )
            )
        sheet.append((section, entries))
    return sheet


@register.simple_tag
def answers_of(application):
    """``{% answers_of application as sheet %}``: see :func:`answer_sheet`."""
    return answer_sheet(application)


@register.simple_tag
def table_total(widget) -> str:
    """The sum of the summed column of a table widget's rows as typed (cells that are not
    amounts are left out; the form says what is wrong with them), in euros; "" when no
    column is summed. On a saved table this is the stored total."""
    summed = next((c for c in widget["columns"] if c.summed), None)
    if summed is None:
        return ""
    total = Decimal("0.00")
    for _index, cells in widget["rows"]:
        for column, _name, text in cells:
            if column.pk == summed.pk and text:
                with contextlib.suppress(ValueError, ArithmeticError):
                    total += parse_decimal(text, 2)
    return euros(total)


@register.filter
def summed_column(columns: list[TableColumn]):
    """The column of a table whose cells add up to its total, if any."""
    return next((c for c in columns if c.summed), None)
