"""Export and import columns of activity reports (SPEC §6).

The indicators of the reports' programmes follow the core columns, one column each, headed
by the indicator's name and unit in the reader's language ("Taux d'occupation (%)") and read
in SQL from the reports' values: whole numbers as integers, other numbers as decimals with
their places, yes/no and one choice as their words, text as typed. Two programmes that
share an indicator's code and type share its column. An import reads the same columns (or
columns headed by the indicators' codes) into the values, each cell checked as the holder's
form checks it for the indicators the row's report asks.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from labels.models import Label
from portal.exports import ChoiceLabels, Column
from portal.expressions import KeyNumber
from portal.imports import ImportExportResource, NaturalKeyWidget, StateColumn
from portal.postcodes import Province
from reporting import tallies
from reporting.indicators import form_field, from_cell, is_asked, value_expression
from reporting.models import ActivityReport, Indicator

Kind = Indicator.Kind
# Decimal places of each type of number in a file.
PLACES = {Kind.DECIMAL: 4, Kind.PERCENTAGE: 2, Kind.AMOUNT: 2}


class IndicatorColumn(Column):
    """The column of one indicator code and type, for the programmes that have it
    (``indicators``, one per programme). Exported, the value read in SQL (its annotation
    is ``expression``); imported, each cell checked for the row's programme and period."""

    def __init__(self, name: str, header: str, indicators: list[Indicator], expression, **kwargs):
        super().__init__(name, header, attribute=header, **kwargs)
        first = indicators[0]
        self.code, self.kind = first.code, first.kind
        self.by_programme = {indicator.programme_id: indicator for indicator in indicators}
        self.expression = expression
        self.unit = Decimal(1).scaleb(-PLACES[self.kind]) if self.kind in PLACES else None
        # Form fields by (indicator, days of the period): built once per file, not per row.
        self.fields_by_days: dict[tuple[int, int], object] = {}

    def convert(self, value):
        """A whole number or a decimal with its places, whether read in SQL (:func:`_sql`)
        or from a report's values (the admin's export)."""
        if self.kind == Kind.INTEGER:
            return value if type(value) is int else int(value)
        if self.unit is not None:
            return (value if type(value) is Decimal else Decimal(value)).quantize(self.unit)
        return value

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = row.get(self.column_name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        indicator = (
            self.by_programme.get(instance.label.programme_id) if instance.label_id else None
        )
        if indicator is None:
            if blank:
                return
            raise ValueError(gettext("The report's programme has no such indicator."))
        values = dict(instance.values or {})
        values.pop(indicator.code, None)
        if not blank and instance.period_start and instance.period_end:
            if not is_asked(indicator, instance.period_start):
                raise ValueError(gettext("This indicator is not asked for this period."))
            days = instance.period_days
            field = self.fields_by_days.get((indicator.pk, days))
            if field is None:
                field = self.fields_by_days[indicator.pk, days] = form_field(indicator, days)
            try:
                values[indicator.code] = from_cell(indicator, value, days, field=field)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        instance.values = values

    def export(self, instance, **kwargs):
        return self.show(getattr(instance, self.path, None))


def _sql(indicator: Indicator):
    """An indicator's value as the export reads it (see the module's docstring)."""
    text = KeyTextTransform(indicator.code, "values")
    number = KeyNumber(indicator.code, "values")
    if indicator.kind == Kind.INTEGER:
        return Cast(number, models.BigIntegerField())
    if indicator.kind in PLACES:
        return Cast(
            number, models.DecimalField(max_digits=20, decimal_places=PLACES[indicator.kind])
        )
    if indicator.kind == Kind.YES_NO:
        return value_expression(indicator)
    return Cast(text, models.TextField())


def _display(indicator: Indicator):
    if indicator.kind == Kind.YES_NO:
        return ChoiceLabels(((1, gettext("Yes")), (0, gettext("No"))))
    if indicator.kind == Kind.CHOICE:
        return ChoiceLabels(
            (option["code"], indicator.option_label(option["code"])) for option in indicator.options
        )
    return None


def indicator_columns(indicators: list[Indicator]) -> dict[str, IndicatorColumn]:
    """One column per indicator code and type among ``indicators`` (of several programmes,
    in their order), headed by the first one's name and unit; the type's name is added
    when programmes give a code different types, the code when two codes share a name."""
    groups: dict[tuple[str, str], list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault((indicator.code, indicator.kind), []).append(indicator)
    kinds_of: dict[str, int] = {}
    for code, _kind in groups:
        kinds_of[code] = kinds_of.get(code, 0) + 1
    headers = {}
    for (code, kind), group in groups.items():
        header = str(capfirst(group[0].heading))
        if kinds_of[code] > 1:
            header = f"{header} ({group[0].get_kind_display()})"
        headers[code, kind] = header
    # Two indicators of the same name ("jours d'ouverture" of a coworking and of a fab
    # lab) keep their own columns, told apart by their codes.
    taken = Counter(headers.values())
    columns = {}
    for (code, kind), group in groups.items():
        first = group[0]
        header = headers[code, kind]
        if taken[header] > 1:
            header = f"{header} [{code}]"
        name = "indicator_" + code.replace("-", "_")
        expression = _sql(first)
        if kinds_of[code] > 1:
            name = f"{name}_{kind}"
            programmes = [indicator.programme_id for indicator in group]
            expression = models.Case(
                models.When(label__programme__in=programmes, then=expression),
                output_field=expression.output_field,
            )
        columns[name] = IndicatorColumn(name, header, group, expression, display=_display(first))
    return columns


def indicators_in(queryset: models.QuerySet) -> list[Indicator]:
    """Every indicator of the programmes whose reports ``queryset`` holds, retired ones
    too (older reports answered them), in one query."""
    programmes = queryset.order_by().values("label__programme")
    return list(
        Indicator.objects.filter(programme__in=programmes).order_by("programme", "position", "pk")
    )


class ActivityReportResource(ImportExportResource):
    """Reports, identified by their label's number and the start of their period: a row
    for an existing report updates its values, any other creates one in the state it
    names (legacy reports arrive accepted). Then one column per indicator (``indicators=``
    for an export, see ``indicators_in``; an import finds those of the labels its file
    names), each value checked as the holder's form checks it: an occupancy of 140 % is
    a row error named by its column."""

    label = Column(
        "label__number",
        _("Label number"),
        plain=True,
        attribute="label",
        widget=NaturalKeyWidget(Label, "number"),
    )
    holder = Column("label__organisation__legal_name", _("Holder"), attribute=None, readonly=True)
    province = Column(
        "label__province",
        _("Province"),
        attribute=None,
        display=ChoiceLabels(Province.choices),
        readonly=True,
    )
    period_start = Column("period_start", _("Period start"))
    period_end = Column("period_end", _("Period end"))
    due_on = Column("due_on", _("Due date"))
    state = StateColumn("state", _("State"), ActivityReport.State.choices)
    submitted_at = Column("submitted_at", _("Submitted on"), readonly=True)
    narrative = Column("narrative", _("Narrative"))

    class Meta:
        model = ActivityReport
        fields = (
            "label",
            "holder",
            "province",
            "period_start",
            "period_end",
            "due_on",
            "state",
            "submitted_at",
            "narrative",
        )
        export_order = fields
        import_id_fields = ["label", "period_start"]
        clean_model_instances = True
        use_transactions = True

    # Constraints tested in Python: the period's order by ``check_dates``
    # (``period_in_order``).
    checked_here = frozenset({"period_end"})

    def __init__(self, indicators: list[Indicator] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.indicators: list[Indicator] | None = None
        if indicators is not None:
            self.set_indicators(indicators)

    def set_indicators(self, indicators: list[Indicator]) -> None:
        """The indicator columns of ``indicators`` (of one or more programmes)."""
        for name in [n for n, field in self.fields.items() if isinstance(field, IndicatorColumn)]:
            del self.fields[name]
        self.indicators = list(indicators)
        self.fields.update(indicator_columns(self.indicators))

    def indicator_columns(self) -> list[IndicatorColumn]:
        return [field for field in self.fields.values() if isinstance(field, IndicatorColumn)]

    def get_export_order(self):
        core = [name for name in self._meta.export_order if name != "narrative"]
        added = [name for name, field in self.fields.items() if isinstance(field, IndicatorColumn)]
        return (*core, *added, "narrative")

    def prepare(self, queryset):
        columns = {column.path: column.expression for column in self.indicator_columns()}
        return queryset.select_related("label__organisation").annotate(**columns)

    def export(self, queryset=None, **kwargs):
        """The admin's export: the indicators of the exported reports' programmes."""
        if self.indicators is None:
            self.set_indicators(
                indicators_in(queryset if queryset is not None else self.get_queryset())
            )
        return super().export(queryset, **kwargs)

    # --- the import ---------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The indicators of the programmes of the labels the file names, once per file.
        labels = (self.fields["label"].widget.known or {}).values()
        programmes = {label.programme_id for label in labels}
        self.programmes = programmes
        indicators = list(
            Indicator.objects.filter(programme__in=programmes).order_by(
                "programme", "position", "pk"
            )
        )
        self.set_indicators(indicators)
        self.asked_by_programme: dict[int, list[Indicator]] = {}
        for indicator in indicators:
            self.asked_by_programme.setdefault(indicator.programme_id, []).append(indicator)
        headers = {str(header or "").strip() for header in dataset.headers or ()}
        for column in self.indicator_columns():
            column.column_name = str(column.column_name)
            # A column may be headed by the indicator's code, as the API names it.
            if column.column_name not in headers and column.code in headers:
                column.column_name = column.code
            column.attribute = column.column_name

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not getattr(self, "summaries_asked", False):
            # The statistics' summaries of the programmes written to, once the import
            # commits (once for a file imported in chunks, in one transaction).
            self.summaries_asked = True
            tallies.refresh_programmes_after_commit(self.programmes)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The indicators the row's report asks, for its checks: no query per row.
            asked = []
            if instance.label_id and instance.period_start:
                asked = [
                    indicator
                    for indicator in self.asked_by_programme.get(instance.label.programme_id, [])
                    if is_asked(indicator, instance.period_start)
                ]
            instance._asked = asked
            # Each cell was checked as it was read (see ``IndicatorColumn.save``).
            instance._values_checked = True

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "values"]

    def check(self, instance, unread) -> dict[str, str]:
        """A filed report is the holder's record: an import may not rewrite it, and a
        legacy report that arrives filed must be complete (statistics count it). An
        existing row keeps its stored state (see ``StateColumn``). Dates must be
        plausible (see ``check_dates``)."""
        if not instance._state.adding and not instance.is_editable:
            return {"state": _("This report was filed: an import cannot change it.")}
        dates = check_dates(instance, unread)
        if dates:
            return dates
        if instance.state in ActivityReport.OPEN_STATES or not instance.label_id:
            return {}
        unread_codes = {
            column.code for column in self.indicator_columns() if column.attribute in unread
        }
        names = {indicator.code: indicator.label for indicator in instance.asked_indicators()}
        names["narrative"] = ActivityReport._meta.get_field("narrative").verbose_name
        missing = [
            str(capfirst(names[code]))
            for code in instance.missing_fields()
            if code not in unread_codes and not (code == "narrative" and "narrative" in unread)
        ]
        if missing:
            return {
                "state": _("A filed report needs every required indicator; missing: %(fields)s.")
                % {"fields": ", ".join(missing)}
            }
        return {}


# How long a period may last, and how long after its end a report may fall due.
LONGEST_PERIOD = dt.timedelta(days=366)
LATEST_DUE = dt.timedelta(days=366)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def check_dates(report: ActivityReport, unread: set[str] = frozenset()) -> dict[str, str]:
    """Row errors for implausible dates: a period in order, at most a year long, that
    overlaps its label's validity (as a report is asked for: an expired label still owes
    its last period); a due date after the period's end and within a year of it.

    The programme's dates reach a report through its label, whose validity an import
    keeps within its call's (see ``labels.resources.check_dates``). The reporting
    schedule's first day is not a bound: legacy reports predate the portal's schedule."""
    start, end, due = report.period_start, report.period_end, report.due_on
    if start is None or end is None or {"period_start", "period_end"} & unread:
        return {}
    if end < start:
        return {"period_end": _("The period ends before it starts.")}
    if end - start >= LONGEST_PERIOD:
        return {"period_end": _("A reporting period lasts at most a year.")}
    errors = {}
    label = report.label if report.label_id else None
    if label is not None and (end < label.issued_on or start > label.valid_until):
        errors["period_start"] = _(
            "The period lies outside the label's validity (%(issued)s to %(until)s)."
        ) % {"issued": _day(label.issued_on), "until": _day(label.valid_until)}
    if due is not None and "due_on" not in unread:
        if due <= end:
            errors["due_on"] = _("A report falls due after its period ends (%(date)s).") % {
                "date": _day(end)
            }
        elif due - end > LATEST_DUE:
            errors["due_on"] = _(
                "A report falls due within a year of its period's end (by %(date)s)."
            ) % {"date": _day(end + LATEST_DUE)}
    return errors
