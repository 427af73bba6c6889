"""Export columns of dossiers: the single definition of their columns and headers, and the
admin's import of legacy dossiers.

A call's own questions follow the core columns, one column each, headed by the question's
label in the reader's language and read in SQL (``questionnaire.answer_expression``):
numbers as numbers, yes/no and one choice as their label, several choices as their labels
joined by commas (mapped in Python from the row's JSON, no more queries), a date as its ISO
text. A table question takes two columns: its total (a number) and its rows as JSON text,
so that a spreadsheet sums the totals and a program reads the rows (see docs/exports.md).
"""

import json
from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.filters import answer_alias, call_questions
from applications.models import Application, Question
from applications.questionnaire import answer_expression
from portal import bce
from portal.exports import ChoiceLabels, Column, ExportResource
from portal.postcodes import Province

STATE = Application.State
KIND = Question.Kind
MONEY = models.DecimalField(max_digits=18, decimal_places=2)


class SeveralLabels:
    """A ``display`` for a question with several choices: the JSON list of codes the row
    holds, as their labels joined by commas (Python only: the export is then written from
    Python, see ``portal.database_csv``)."""

    def __init__(self, options):
        self.labels = {option.code: option.label for option in options}

    def __call__(self, value):
        codes = json.loads(value) if isinstance(value, str) else value
        if not isinstance(codes, list):
            codes = [codes]
        return ", ".join(str(self.labels.get(code, code)) for code in codes)


class DecimalColumn(Column):
    """A column of decimals with their ``places`` whichever way the file is written
    (SQLite gives a cast decimal without its places)."""

    def __init__(self, path: str, header, places: int, **kwargs):
        super().__init__(path, header, **kwargs)
        self.unit = Decimal(1).scaleb(-places)

    def show(self, value):
        if value is not None:
            value = Decimal(value).quantize(self.unit)
        return super().show(value)


def answer_columns(question: Question) -> dict[str, tuple[Column, models.Expression]]:
    """The export columns of one question, each with the SQL expression it reads."""
    name = answer_alias(question)
    label = question.label
    kind = question.kind
    if kind == KIND.TABLE:
        answer = KeyTransform(question.code, "answers")
        total = Cast(KeyTextTransform("total", answer), MONEY)
        rows = KeyTextTransform("rows", answer)
        return {
            name: (
                DecimalColumn(name, gettext("%(question)s — total") % {"question": label}, 2),
                total,
            ),
            f"{name}_rows": (
                Column(f"{name}_rows", gettext("%(question)s (JSON)") % {"question": label}),
                Cast(rows, models.TextField()),
            ),
        }
    expression = answer_expression(question)
    display = None
    if kind in (KIND.AMOUNT, KIND.PERCENTAGE):
        expression = Cast(KeyTextTransform(question.code, "answers"), MONEY)
        return {name: (DecimalColumn(name, label, 2), expression)}
    if kind == KIND.DECIMAL:
        return {name: (DecimalColumn(name, label, 4), expression)}
    if kind == KIND.YES_NO:
        display = ChoiceLabels(((True, gettext("Yes")), (False, gettext("No"))))
    elif kind == KIND.CHOICE:
        display = ChoiceLabels((o.code, o.label) for o in question.options.all())
    elif kind == KIND.CHOICES:
        display = SeveralLabels(question.options.all())
    return {name: (Column(name, label, display=display), expression)}


class ApplicationResource(ExportResource):
    """A dossier with its review results, then the answers to its call's questions (given
    ``call=``). The jury proposal and the decision are read through their reverse relations
    (``proposal``, ``decision``); the total score is an expression given by the review app
    (``total_score=``), which applications does not import — without one the column stays
    empty."""

    reference = Column("reference", _("Reference"))
    state = Column("state", _("State"), display=ChoiceLabels(STATE.choices))
    organisation = Column("organisation__legal_name", _("Organisation"))
    enterprise_number = Column(
        "organisation__enterprise_number",
        _("Enterprise number"),
        display=bce.display,
        sql_display=bce.display_sql,
    )
    project_title = Column("project_title", _("Project title"))
    municipality = Column("municipality", _("Municipality"))
    province = Column("province", _("Province"), display=ChoiceLabels(Province.choices))
    total_cost = Column("total_cost", _("Total cost (EUR)"))
    requested_amount = Column("requested_amount", _("Requested amount (EUR)"))
    submitted_at = Column("submitted_at", _("Submitted on"))
    total_score = Column("total_score", _("Total score"))
    proposal = Column(
        "proposal__proposed",
        _("Jury proposal"),
        display=ChoiceLabels(((True, STATE.PROPOSED.label), (False, STATE.NOT_PROPOSED.label))),
    )
    decision = Column(
        "decision__granted",
        _("Ministerial decision"),
        display=ChoiceLabels(((True, STATE.GRANTED.label), (False, STATE.REFUSED.label))),
    )
    granted_amount = Column("decision__amount", _("Amount granted (EUR)"))

    class Meta:
        model = Application
        fields = (
            "reference",
            "state",
            "organisation",
            "enterprise_number",
            "project_title",
            "municipality",
            "province",
            "total_cost",
            "requested_amount",
            "submitted_at",
            "total_score",
            "proposal",
            "decision",
            "granted_amount",
        )
        export_order = fields

    def __init__(self, total_score=None, call=None, questions=None, **kwargs):
        super().__init__(**kwargs)
        self.total_score = total_score
        if questions is None:
            questions = call_questions(call) if call is not None else []
        self.answers = {}
        for question in questions:
            for name, (column, expression) in answer_columns(question).items():
                self.fields[name] = column
                self.answers[name] = expression

    def get_export_order(self):
        return (*self._meta.export_order, *self.answers)

    def prepare(self, queryset):
        score = self.total_score
        if score is None:
            score = Value(None, output_field=DecimalField(max_digits=12, decimal_places=4))
        return queryset.annotate(total_score=score, **self.answers)
