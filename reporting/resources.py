"""Export and import columns of activity reports (SPEC §6)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from labels.models import Label
from portal.exports import ChoiceLabels, Column
from portal.imports import ImportExportResource, NaturalKeyWidget, StateColumn
from portal.postcodes import Province
from reporting.models import INDICATORS, ActivityReport, indicator_label


def _indicator(name: str) -> Column:
    """An indicator's column, headed by its name and unit: "Occupancy rate (%)"."""
    return Column(name, capfirst(indicator_label(name)))


class ActivityReportResource(ImportExportResource):
    """Reports, identified by their label's number and the start of their period: a row
    for an existing report updates its indicators, any other creates one in the state it
    names (legacy reports arrive accepted). Indicators are checked by the model's own
    rules: an occupancy of 140 % is a row error."""

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
    active_coworkers = _indicator("active_coworkers")
    desks = _indicator("desks")
    occupancy_rate = _indicator("occupancy_rate")
    days_open = _indicator("days_open")
    events_held = _indicator("events_held")
    event_attendance = _indicator("event_attendance")
    businesses_hosted = _indicator("businesses_hosted")
    businesses_created = _indicator("businesses_created")
    jobs_created = _indicator("jobs_created")
    turnover = _indicator("turnover")
    public_funding_used = _indicator("public_funding_used")
    partnerships = _indicator("partnerships")
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
            *INDICATORS,
            "narrative",
        )
        export_order = fields
        import_id_fields = ["label", "period_start"]
        clean_model_instances = True
        use_transactions = True

    # Constraints tested in Python: the period's order by ``check_dates``
    # (``period_in_order``), the occupancy by its field's validator (``occupancy_at_most_100``).
    checked_here = frozenset({"period_end", "occupancy_rate"})

    def prepare(self, queryset):
        return queryset.select_related("label__organisation")

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
        unread_names = {
            str(ActivityReport._meta.get_field(name).verbose_name)
            for name in unread
            if name in INDICATORS
        }
        missing = [name for name in instance.missing() if name not in unread_names]
        if instance.state not in ActivityReport.OPEN_STATES and missing:
            return {
                "state": _("A filed report needs every indicator; missing: %(fields)s.")
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
