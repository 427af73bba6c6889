"""A call's form at work: the Django form of each section, what each kind of question stores
in ``Application.answers``, how answers read, what is missing or breaks a rule, and the SQL
expression of an answer for filters and exports.

Stored values are JSON: text kinds, email, web address, postcode and date (ISO) as strings;
whole numbers as integers; decimals, amounts and percentages as decimal strings ("41250.50",
exact, cast in SQL); yes/no as booleans; one choice as its option code, several choices as a
list of codes; a table as ``{"rows": [{column code: cell}], "total": "…"}`` with the sum of
its summed column. An empty answer has no key.
"""

import copy
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.callforms import FormRule, FormSection, Option, Question, TableColumn
from portal import postcodes, textlimits
from portal.expressions import KeyNumber
from portal.fields import DecimalField
from portal.figures import euros, exact, number, share

KIND = Question.Kind
CELL = TableColumn.Kind
CENT = Decimal("0.01")
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
BLANK_ROWS = 3
# A table takes at most this many lines: the form reads no further, whatever is posted.
MAX_ROWS = 100
# Whole numbers stay within what every database and spreadsheet holds exactly.
LARGEST_WHOLE = 10**15
CELL_MAX_LENGTH = 300


def words(text: str) -> int:
    """The words of ``text`` as the live counter counts them: runs of non-spaces."""
    return len(text.split())


def validate_words(limit: int):
    def validator(value: str):
        count = words(value)
        if count > limit:
            raise ValidationError(
                ngettext(
                    "At most %(limit)s word (this text has %(count)s).",
                    "At most %(limit)s words (this text has %(count)s).",
                    limit,
                )
                % {"limit": number(limit), "count": number(count)},
                code="max_words",
            )

    return validator


# The form of a section ---------------------------------------------------------------------


class TableWidget(forms.Widget):
    """A table of inputs, one row per line already given plus a few blank ones, so that it
    works without script; named ``<code>-<row>-<column>``."""

    template_name = "applications/widgets/table.html"
    # A group of inputs: its question is the legend of a fieldset (a <label> cannot name a table).
    use_fieldset = True

    def __init__(self, columns: list[TableColumn], attrs=None):
        super().__init__(attrs)
        self.columns = columns

    def value_from_datadict(self, data, files, name):
        rows = []
        prefix = f"{name}-"
        count = max(
            (int(key[len(prefix) :].split("-")[0]) + 1 for key in data if _cell_key(key, prefix)),
            default=0,
        )
        # One line more than allowed, so that the field can say there are too many.
        for index in range(min(count, MAX_ROWS + 1)):
            rows.append({c.code: data.get(f"{name}-{index}-{c.code}", "") for c in self.columns})
        return rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [row for row in (value or []) if any(str(v).strip() for v in row.values())]
        rows += [{} for _blank in range(BLANK_ROWS)]
        context["widget"]["columns"] = self.columns
        context["widget"]["rows"] = [
            (index, [self._cell(name, index, column, row) for column in self.columns])
            for index, row in enumerate(rows)
        ]
        return context

    @staticmethod
    def _cell(name, index, column, row):
        return column, f"{name}-{index}-{column.code}", _cell_text(column, row.get(column.code))


def _cell_key(key: str, prefix: str) -> bool:
    return key.startswith(prefix) and bool(re.fullmatch(r"\d+", key[len(prefix) :].split("-")[0]))


def _cell_text(column: TableColumn, value) -> str:
    if value in (None, ""):
        return ""
    if column.kind == CELL.AMOUNT:
        try:
            return number(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    return str(value)


class TableField(forms.Field):
    """The rows of a table question, each cell checked by its column's kind; blank rows
    are dropped. Cleans to ``{"rows": [...], "total": "…"}`` (or None when empty)."""

    def __init__(self, *, columns: list[TableColumn], **kwargs):
        self.columns = columns
        super().__init__(widget=TableWidget(columns), **kwargs)

    def to_python(self, value):
        if not value:
            return None
        if isinstance(value, dict):
            value = value.get("rows", [])
        rows, errors = [], []
        for number_, row in enumerate(value, start=1):
            if not any(str(cell).strip() for cell in row.values()):
                continue
            clean = {}
            for column in self.columns:
                try:
                    cell = _clean_cell(column, str(row.get(column.code, "")).strip())
                except ValidationError as error:
                    errors.append(
                        _("Row %(row)s, %(column)s: %(error)s")
                        % {"row": number_, "column": column.label, "error": error.messages[0]}
                    )
                    continue
                if cell is not None:
                    clean[column.code] = cell
            rows.append(clean)
        if len(rows) > MAX_ROWS:
            errors.append(_("At most %(count)s lines.") % {"count": number(MAX_ROWS)})
        if errors:
            raise ValidationError(errors)
        if not rows:
            return None
        return {"rows": rows, "total": str(table_total(self.columns, rows))}


def _clean_cell(column: TableColumn, text: str):
    if not text:
        return None
    if column.kind == CELL.TEXT:
        if len(text) > CELL_MAX_LENGTH:
            raise ValidationError(
                _("At most %(count)s characters.") % {"count": number(CELL_MAX_LENGTH)}
            )
        return text
    if column.kind == CELL.INTEGER:
        try:
            value = int(text.replace(" ", "").replace("\u202f", "").replace("\u00a0", ""))
        except ValueError:
            raise ValidationError(_("Enter a whole number.")) from None
        if abs(value) >= LARGEST_WHOLE:
            raise ValidationError(_("Enter a smaller number."))
        return value
    if column.kind == CELL.AMOUNT:
        value = DecimalField(max_digits=14, decimal_places=2).clean(text)
        if value < 0:
            raise ValidationError(_("Enter an amount of zero or more."))
        return str(value.quantize(CENT))
    codes = [option.code for option in column.options.all()]
    if text not in codes:
        raise ValidationError(_("Choose one of the listed options."))
    return text


def table_total(columns: list[TableColumn], rows: list[dict]) -> Decimal:
    summed = next((c for c in columns if c.summed), None)
    if summed is None:
        return Decimal("0.00")
    return sum((Decimal(row.get(summed.code) or 0) for row in rows), Decimal("0.00")).quantize(CENT)


def form_field(question: Question) -> forms.Field:
    """The form field asking ``question``; never required (drafts may be incomplete)."""
    common = {"label": question.label, "help_text": question.help, "required": False}
    kind = question.kind
    low, high = question.bounds()
    if kind == KIND.SHORT_TEXT:
        return forms.CharField(max_length=question.text_limit, **common)
    if kind == KIND.LONG_TEXT:
        attrs = {"rows": 6}
        validators = []
        if question.max_words:
            attrs["data-max-words"] = question.max_words
            validators.append(validate_words(question.max_words))
            limit = _("At most %(limit)s words.") % {"limit": number(question.max_words)}
            common["help_text"] = " ".join(filter(None, [question.help, limit]))
        return forms.CharField(
            max_length=textlimits.LONG,
            widget=forms.Textarea(attrs=attrs),
            validators=validators,
            **common,
        )
    if kind == KIND.INTEGER:
        return forms.IntegerField(
            min_value=-LARGEST_WHOLE + 1 if low is None else int(low),
            max_value=LARGEST_WHOLE - 1 if high is None else int(high),
            **common,
        )
    if kind in (KIND.DECIMAL, KIND.AMOUNT, KIND.PERCENTAGE):
        validators = []
        if low is not None:
            validators.append(MinValueValidator(low))
        if high is not None:
            validators.append(MaxValueValidator(high))
        return DecimalField(
            max_digits=14,
            decimal_places=2 if kind != KIND.DECIMAL else 4,
            validators=validators,
            **common,
        )
    if kind == KIND.DATE:
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(widget=widget, **common)
    if kind == KIND.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == KIND.CHOICE:
        return forms.ChoiceField(
            choices=[(o.code, o.label) for o in question.options.all()],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == KIND.CHOICES:
        return forms.MultipleChoiceField(
            choices=[(o.code, o.label) for o in question.options.all()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == KIND.EMAIL:
        return forms.EmailField(**common)
    if kind == KIND.URL:
        return forms.URLField(assume_scheme="https", **common)
    if kind == KIND.POSTCODE:
        return forms.CharField(
            max_length=4,
            validators=[postcodes.validate_postcode],
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            **common,
        )
    return TableField(columns=list(question.columns.all()), **common)


def to_json(question: Question, value):
    """The stored form of a cleaned form value (None: no answer)."""
    if value in (None, "", [], {}):
        return None
    kind = question.kind
    if kind in (KIND.AMOUNT, KIND.PERCENTAGE):
        return str(Decimal(value).quantize(CENT))
    if kind == KIND.DECIMAL:
        return str(Decimal(value))
    if kind == KIND.DATE:
        return value.isoformat()
    if kind == KIND.YES_NO:
        return value in ("yes", True)
    if kind == KIND.CHOICES:
        return list(value)
    return value


def to_initial(question: Question, value):
    """A stored value as the form field shows it."""
    if value is None:
        return None
    kind = question.kind
    if kind in (KIND.DECIMAL, KIND.AMOUNT, KIND.PERCENTAGE):
        return Decimal(value)
    if kind == KIND.DATE:
        return dt.date.fromisoformat(value)
    if kind == KIND.YES_NO:
        return "yes" if value else "no"
    if kind == KIND.TABLE:
        return value.get("rows", [])
    return value


class SectionAnswersForm(forms.Form):
    """One section of a call's form. Values are checked by kind; the rules whose table is
    in the section are checked against the rest of the dossier as it stands."""

    def __init__(self, *args, questionnaire, section: FormSection, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.section = section
        self.application = application
        self.questions = questionnaire.questions_of(section)
        answers = application.answers or {}
        for question in self.questions:
            self.fields[question.code] = form_field(question)
            self.fields[question.code].initial = to_initial(question, answers.get(question.code))

    def answers(self) -> dict:
        """The dossier's answers with this section's replaced by the form's."""
        merged = dict(self.application.answers or {})
        for question in self.questions:
            value = to_json(question, self.cleaned_data.get(question.code))
            if value is None:
                merged.pop(question.code, None)
            else:
                merged[question.code] = value
        return merged

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        answers = self.answers()
        codes = {question.code for question in self.questions}
        for rule in self.questionnaire.rules:
            if rule.kind == FormRule.Kind.REQUIRED_IF_YES or rule.question.code not in codes:
                continue
            message = rule_problem(rule, answers, self.application)
            if message:
                self.add_error(rule.question.code, message)
        # A figure an eligibility answer contradicts ("at least 20 workstations": yes).
        candidate = copy.copy(self.application)
        candidate.answers = answers
        for inconsistency in candidate.inconsistencies():
            if inconsistency.field in self.fields and inconsistency.field not in self.errors:
                self.add_error(inconsistency.field, inconsistency.message)
        return cleaned


# The whole form ----------------------------------------------------------------------------


@dataclass
class Questionnaire:
    """A call's form, read in a constant number of queries."""

    sections: list[FormSection]
    questions: list[Question]
    rules: list[FormRule] = field(default_factory=list)

    @classmethod
    def of(cls, call) -> "Questionnaire":
        sections = list(call.form_sections.order_by("position", "pk"))
        questions = list(
            Question.objects.filter(call=call)
            .select_related("section")
            .prefetch_related(
                models.Prefetch("options", Option.objects.order_by("position", "pk")),
                models.Prefetch(
                    "columns",
                    TableColumn.objects.order_by("position", "pk").prefetch_related(
                        models.Prefetch("options", Option.objects.order_by("position", "pk"))
                    ),
                ),
            )
        )
        rules = list(
            FormRule.objects.filter(call=call).select_related("question", "other", "column")
        )
        # The rules read their questions' columns and options: hand them the prefetched
        # questions, not copies that would query them again at every check.
        by_pk = {question.pk: question for question in questions}
        columns = {column.pk: column for q in questions for column in q.columns.all()}
        for rule in rules:
            rule.question = by_pk.get(rule.question_id, rule.question)
            if rule.other_id is not None:
                rule.other = by_pk.get(rule.other_id, rule.other)
            if rule.column_id is not None:
                rule.column = columns.get(rule.column_id, rule.column)
        return cls(sections, questions, rules)

    def questions_of(self, section: FormSection) -> list[Question]:
        return [q for q in self.questions if q.section_id == section.pk]

    def section(self, pk) -> FormSection | None:
        return next((s for s in self.sections if str(s.pk) == str(pk)), None)

    def by_code(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def required(self, answers: dict) -> list[Question]:
        """Questions that must be answered: the required ones, and those a "required if
        yes" rule makes required."""
        needed = [q for q in self.questions if q.required]
        for rule in self.rules:
            if (
                rule.kind == FormRule.Kind.REQUIRED_IF_YES
                and rule.other is not None
                and answers.get(rule.other.code) is True
                and rule.question not in needed
            ):
                needed.append(rule.question)
        return needed

    def missing(self, section: FormSection, answers: dict) -> list[Question]:
        needed = self.required(answers)
        return [
            q
            for q in self.questions_of(section)
            if q in needed and answers.get(q.code) in (None, "", [], {})
        ]

    def problems(self, application) -> list:
        """What stops submission, section by section: missing answers, broken rules; each a
        ``SubmissionProblem`` that links to its section's page."""
        from applications.models import SubmissionProblem

        answers = application.answers or {}
        found = []
        for section in self.sections:
            url = reverse("applications:answers", args=[application.pk, section.pk])
            missing = self.missing(section, answers)
            if missing:
                message = _("%(section)s: missing %(fields)s.") % {
                    "section": section.title,
                    "fields": ", ".join(q.label for q in missing),
                }
                found.append(SubmissionProblem(message, url))
            for rule in self.rules:
                if (
                    rule.kind != FormRule.Kind.REQUIRED_IF_YES
                    and rule.question.section_id == section.pk
                ):
                    message = rule_problem(rule, answers, application)
                    if message:
                        found.append(SubmissionProblem(message, url))
        return found

    def directory_card(self, answers: dict) -> dict:
        """The answers that fill a labelled space's card in the directory, by the part of
        the card their question names (``Question.directory``)."""
        return {
            question.directory: answers.get(question.code)
            for question in self.questions
            if question.directory and answers.get(question.code) is not None
        }

    def readable(self, answers: dict) -> list[tuple[FormSection, list[tuple[Question, str]]]]:
        """Each section with its questions and their answers in words."""
        return [
            (section, [(q, shown(q, answers.get(q.code))) for q in self.questions_of(section)])
            for section in self.sections
        ]


# Rules ------------------------------------------------------------------------------------


def rule_problem(rule: FormRule, answers: dict, application) -> str:
    """What ``rule`` finds wrong with ``answers`` (empty: nothing, or not answered yet)."""
    table = answers.get(rule.question.code)
    if rule.kind == FormRule.Kind.TOTAL_EQUALS:
        if not table:
            return ""
        if rule.other is not None:
            target = answers.get(rule.other.code)
            target_label = rule.other.label
        else:
            target = getattr(application, rule.core_field, None)
            target_label = str(dict(FormRule.CORE_AMOUNTS).get(rule.core_field, ""))
        if target in (None, ""):
            return ""
        total, expected = Decimal(table["total"]), Decimal(str(target)).quantize(CENT)
        if total != expected:
            return _("%(table)s: the total (%(total)s) must equal %(target)s (%(expected)s).") % {
                "table": rule.question.label,
                "total": euros(total),
                "target": target_label,
                "expected": euros(expected),
            }
        return ""
    if rule.kind == FormRule.Kind.SHARE_AT_MOST:
        if not table or rule.column is None or rule.percent is None:
            return ""
        columns = list(rule.question.columns.all())
        total = Decimal(table["total"])
        rows = [row for row in table["rows"] if row.get(rule.column.code) == rule.option_code]
        part = table_total(columns, rows)
        portion = (part * 100 / total).quantize(CENT) if total > 0 else Decimal(0)
        if portion > rule.percent:
            option = next(
                (o for o in rule.column.options.all() if o.code == rule.option_code), None
            )
            return _(
                "%(table)s: “%(category)s” comes to %(part)s, %(share)s %% of the total "
                "%(total)s; it may be at most %(limit)s %%."
            ) % {
                "table": rule.question.label,
                "category": option.label if option else rule.option_code,
                "part": euros(part),
                "share": exact(portion),
                "total": euros(total),
                "limit": exact(rule.percent),
            }
    return ""


# Reading answers --------------------------------------------------------------------------


def shown(question: Question, value) -> str:
    """An answer in words, in the reader's language ("—" when empty)."""
    if value in (None, "", [], {}):
        return "—"
    kind = question.kind
    if kind == KIND.AMOUNT:
        return euros(Decimal(value))
    if kind == KIND.PERCENTAGE:
        return share(value)
    if kind == KIND.INTEGER:
        return number(value)
    if kind == KIND.DECIMAL:
        return exact(value)
    if kind == KIND.DATE:
        return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    if kind == KIND.YES_NO:
        return _("Yes") if value else _("No")
    if kind in (KIND.CHOICE, KIND.CHOICES):
        labels = {o.code: o.label for o in question.options.all()}
        codes = [value] if kind == KIND.CHOICE else value
        return ", ".join(labels.get(code, code) for code in codes)
    if kind == KIND.POSTCODE:
        province = postcodes.province_for(value)
        return f"{value} ({postcodes.Province(province).label})" if province else value
    if kind == KIND.TABLE:
        return _("%(rows)s, total %(total)s") % {
            "rows": ngettext("%(count)s line", "%(count)s lines", len(value["rows"]))
            % {"count": len(value["rows"])},
            "total": euros(Decimal(value["total"])),
        }
    return str(value)


def shown_rows(question: Question, value) -> list[list[str]]:
    """The cells of a table answer in words, row by row."""
    if not value:
        return []
    columns = list(question.columns.all())
    rows = []
    for row in value["rows"]:
        cells = []
        for column in columns:
            cell = row.get(column.code)
            if cell in (None, ""):
                cells.append("")
            elif column.kind == CELL.AMOUNT:
                cells.append(euros(Decimal(cell)))
            elif column.kind == CELL.INTEGER:
                cells.append(number(cell))
            elif column.kind == CELL.CHOICE:
                labels = {o.code: o.label for o in column.options.all()}
                cells.append(labels.get(cell, cell))
            else:
                cells.append(str(cell))
        rows.append(cells)
    return rows


def as_json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Answers in SQL ---------------------------------------------------------------------------


def answer_expression(question: Question):
    """The answer to ``question`` as an SQL expression on dossiers, typed for filters and
    exports: a number kind cast to integer or decimal, yes/no to a boolean, a table to its
    total; other kinds as text (several choices: their JSON list)."""
    code = question.code
    kind = question.kind
    if kind == KIND.INTEGER:
        return Cast(KeyNumber(code, "answers"), models.BigIntegerField())
    if kind in (KIND.DECIMAL, KIND.AMOUNT, KIND.PERCENTAGE):
        return Cast(
            KeyNumber(code, "answers"), models.DecimalField(max_digits=18, decimal_places=4)
        )
    if kind == KIND.TABLE:
        return Cast(
            KeyNumber("total", KeyTransform(code, "answers")),
            models.DecimalField(max_digits=18, decimal_places=2),
        )
    if kind == KIND.YES_NO:
        # JSON true and false read alike on both databases through the key lookup.
        # "__exact" at the end: a code that is also a lookup's name ("contains") stays a key.
        path = f"answers__{code}__exact"
        return models.Case(
            models.When(**{path: True}, then=models.Value(True)),
            models.When(**{path: False}, then=models.Value(False)),
            output_field=models.BooleanField(null=True),
        )
    # Cast: a key transform compared to a string would read it as JSON.
    return Cast(KeyTextTransform(code, "answers"), models.TextField())
