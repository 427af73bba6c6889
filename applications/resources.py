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
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, F, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Length, Replace, Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.filters import answer_alias, call_questions
from applications.formbuilder import current_version
from applications.models import Application, Call, Question, reference_counter
from applications.questionnaire import (
    Questionnaire,
    answer_expression,
    as_json_text,
    form_field,
    to_json,
)
from applications.signals import dossiers_imported
from portal import bce, postcodes
from portal.exports import ChoiceLabels, Column, ExportResource
from portal.expressions import KeyNumber
from portal.imports import ImportExportResource, NaturalKeyWidget, StateColumn
from portal.models import Counter, Organisation
from portal.postcodes import Province

STATE = Application.State
KIND = Question.Kind
MONEY = models.DecimalField(max_digits=18, decimal_places=2)


class SeveralLabels:
    """A ``display`` for a question with several choices: the JSON list of codes the row
    holds, as their labels joined by commas; in Python, or, for the database-written CSV,
    as SQL that replaces each quoted code in the list's JSON text by its label."""

    def __init__(self, options):
        # Not ``labels``: joined, they hold commas, so the CSV must probe each cell.
        self.names = {option.code: str(option.label) for option in options}

    def __call__(self, value):
        codes = json.loads(value) if isinstance(value, str) else value
        if not isinstance(codes, list):
            codes = [codes]
        return ", ".join(self.names.get(code, code) for code in codes)

    def expression(self, path: str):
        # PostgreSQL writes the list as ["a", "b"], SQLite as ["a","b"]: one spacing first.
        text = Replace(F(path), Value('","'), Value('", "'))
        for code, name in self.names.items():
            text = Replace(text, Value(f'"{code}"'), Value(name))
        return Substr(text, 2, Length(text) - 2, output_field=models.TextField())


class DecimalColumn(Column):
    """A column of decimals with their ``places`` whichever way the file is written
    (SQLite gives a cast decimal without its places)."""

    def __init__(self, path: str, header, places: int, **kwargs):
        super().__init__(path, header, **kwargs)
        self.unit = Decimal(1).scaleb(-places)

    def convert(self, value):
        return Decimal(value).quantize(self.unit)


def answer_columns(question: Question) -> dict[str, tuple[Column, models.Expression]]:
    """The export columns of one question, each with the SQL expression it reads."""
    name = answer_alias(question)
    label = question.label
    kind = question.kind
    if kind == KIND.TABLE:
        answer = KeyTransform(question.code, "answers")
        total = Cast(KeyNumber("total", answer), MONEY)
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
        expression = Cast(KeyNumber(question.code, "answers"), MONEY)
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


# The import of legacy dossiers ------------------------------------------------------------


def _answer_text(value) -> str:
    return "" if value is None else (value if isinstance(value, str) else as_json_text(value))


def _from_file(question: Question, value):
    """A cell of the file as the applicant form's field takes it: yes/no and options by
    their code or their label, several choices separated by commas, a table as the JSON
    of its rows (as the export writes it), a date from a spreadsheet as a date."""
    kind = question.kind
    if isinstance(value, str):
        value = value.strip()
    if kind == KIND.YES_NO:
        text = str(value).casefold()
        if value is True or text in ("yes", "true", "1", gettext("Yes").casefold()):
            return "yes"
        if value is False or text in ("no", "false", "0", gettext("No").casefold()):
            return "no"
        return text
    if kind in (KIND.CHOICE, KIND.CHOICES):
        codes = {o.label.casefold(): o.code for o in question.options.all()}
        codes.update({o.code.casefold(): o.code for o in question.options.all()})
        if kind == KIND.CHOICE:
            return codes.get(str(value).casefold(), str(value))
        return _several(str(value), codes)
    if kind == KIND.TABLE:
        try:
            rows = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            message = gettext("Give the table's rows as JSON, as the export writes them.")
            raise ValueError(message) from None
        return rows.get("rows", []) if isinstance(rows, dict) else rows
    if kind == KIND.DATE and hasattr(value, "date"):
        return value.date()
    return value


def _several(text: str, codes: dict[str, str]) -> list[str]:
    """The codes of a cell of several choices as the export writes it, labels joined by
    ", " — a label may itself hold a comma ("Accès 24 h/24, 7 j/7"): the longest run of
    pieces that names an option is taken first. An unknown piece stays as typed, for the
    form to refuse."""
    pieces = [piece.strip() for piece in text.split(",")]
    found, start = [], 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            name = ", ".join(pieces[start:end]).casefold()
            if name in codes:
                found.append(codes[name])
                start = end
                break
        else:
            found.append(pieces[start])
            start += 1
    return [code for code in found if code]


class AnswerColumn(Column):
    """The column of a question in the import of legacy dossiers, headed by its code. Each
    value is checked as the applicant form checks it, for the question of that code in
    the row's call (:attr:`ApplicationImportResource.questionnaires`)."""

    def __init__(self, code: str, resource):
        super().__init__("answers", code, attribute=code)
        self.code = code
        self.resource = resource

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = row.get(self.column_name)
        questionnaire = self.resource.questionnaires.get(instance.call_id)
        question = questionnaire.by_code(self.code) if questionnaire else None
        blank = value is None or (isinstance(value, str) and not value.strip())
        if question is None:
            if blank:
                return
            raise ValueError(gettext("The dossier's call has no question of this code."))
        answers = dict(instance.answers or {})
        answers.pop(self.code, None)
        if not blank:
            try:
                cleaned = form_field(question).clean(_from_file(question, value))
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
            stored = to_json(question, cleaned)
            if stored is not None:
                answers[self.code] = stored
        instance.answers = answers

    def export(self, instance, **kwargs):
        return _answer_text((instance.answers or {}).get(self.code))


class ApplicationImportResource(ImportExportResource):
    """Legacy dossiers, identified by their reference: the call by its short name, the
    organisation by its enterprise number, the state and core fields, then one column per
    question of the call headed by its code, each checked as the applicant form checks it.
    The province follows the postcode; a reference of the programme's own sequence moves
    the sequence past it, so that the next submission does not take it again."""

    call = Column(
        "call__slug",
        _("Call short name"),
        attribute="call",
        widget=NaturalKeyWidget(Call, "slug", select_related=["programme"]),
    )
    reference = Column("reference", _("Reference"), plain=True)
    enterprise_number = Column(
        "organisation__enterprise_number",
        _("Enterprise number"),
        attribute="organisation",
        display=bce.display,
        sql_display=bce.display_sql,
        widget=NaturalKeyWidget(Organisation, "enterprise_number", normalise=bce.normalise),
    )
    state = StateColumn("state", _("State"), STATE.choices)
    project_title = Column("project_title", _("Project title"))
    summary = Column("summary", _("Project summary"))
    street = Column("street", _("Street and number"))
    postcode = Column("postcode", _("Postcode"))
    municipality = Column("municipality", _("Municipality"))
    total_cost = Column("total_cost", _("Total cost (EUR)"))
    requested_amount = Column("requested_amount", _("Requested amount (EUR)"))
    submitted_at = Column("submitted_at", _("Submitted on"))

    class Meta:
        model = Application
        fields = (
            "call",
            "reference",
            "enterprise_number",
            "state",
            "project_title",
            "summary",
            "street",
            "postcode",
            "municipality",
            "total_cost",
            "requested_amount",
            "submitted_at",
        )
        export_order = fields
        import_id_fields = ["reference"]
        clean_model_instances = True
        use_transactions = True

    questionnaires: dict

    def prepare(self, queryset):
        return queryset.select_related("call", "organisation")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The calls the file names, each with its form, read once for the file.
        calls = (self.fields["call"].widget.known or {}).values()
        self.questionnaires = {call.pk: Questionnaire.of(call) for call in calls}
        self.versions = {call.pk: current_version(call) for call in calls}
        core = {str(field.column_name) for field in self.fields.values()}
        for header in dataset.headers or ():
            header = str(header or "").strip()
            if header and header not in core and f"answer:{header}" not in self.fields:
                self.fields[f"answer:{header}"] = AnswerColumn(header, self)

    def check(self, instance, unread):
        errors = {}
        try:
            instance.province = postcodes.province_for(instance.postcode or "")
        except ValidationError as error:
            errors["postcode"] = error.messages[0]
        if (
            "submitted_at" not in unread
            and instance.submitted_at is None
            and instance.state not in (STATE.DRAFT, STATE.WITHDRAWN)
        ):
            errors["submitted_at"] = gettext(
                "A dossier in this state was submitted: give the date it was."
            )
        return errors

    def not_validated(self, instance):
        """A legacy dossier was started by no one the portal knows."""
        return super().not_validated(instance) | {"created_by"}

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "answers", "province"]

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.form_version = self.versions.get(instance.call_id)
            if instance.submitted_at is not None:
                instance.created_at = instance.submitted_at
        reach_reference(instance)
        self.programmes_written = getattr(self, "programmes_written", set())
        self.programmes_written.add(instance.call.programme_id)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        written = getattr(self, "programmes_written", set())
        if not kwargs.get("dry_run") and written:
            # Dossiers written without their transitions: the statistics' summaries of
            # their programmes are computed again once the import commits.
            dossiers_imported.send(sender=Application, programme_ids=sorted(written))
            self.programmes_written = set()


def reach_reference(application: Application) -> None:
    """Move the programme's sequence of references past a reference of its own format."""
    programme = application.call.programme
    match = re.fullmatch(
        rf"{re.escape(programme.reference_prefix)}-(\d{{4}})-(\d+)", application.reference or ""
    )
    if match:
        year, sequence = int(match[1]), int(match[2])
        Counter.reach(reference_counter(programme.pk, year), sequence)
