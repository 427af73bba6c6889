"""Activity reports that labelled spaces file for each period of their programme's schedule
(SPEC §2 reporting/, §3 ActivityReport, §6)."""

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.callforms import validate_question_code
from applications.models import Application, Call, Programme, programme_staff
from labels.models import Label
from portal import textlimits
from portal.rules import rule
from portal.translations import in_language


def first_day_of_month(day: dt.date, months_later: int = 0) -> dt.date:
    month = day.month - 1 + months_later
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


class ReportingSchedule(models.Model):
    """How often the labelled spaces of a programme report, and how long they have to."""

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("quarterly")
        HALF_YEARLY = "half_yearly", _("half-yearly")
        YEARLY = "yearly", _("yearly")

    MONTHS = {Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="reporting_schedule"
    )
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    starts_on = models.DateField(
        _("reporting starts on"),
        help_text=_("Reports are asked for the periods that begin on or after this day."),
    )
    days_allowed = models.PositiveSmallIntegerField(
        _("days allowed after the period ends"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before the due date"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")

    def __str__(self) -> str:
        return f"{self.programme} — {self.get_frequency_display()}"

    @property
    def months(self) -> int:
        return self.MONTHS[self.frequency]

    def period_containing(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The calendar period (quarter, half-year or year) that holds ``day``."""
        start = dt.date(day.year, (day.month - 1) // self.months * self.months + 1, 1)
        return start, first_day_of_month(start, self.months) - dt.timedelta(days=1)

    def periods_ended_by(self, today: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
        """Every period from the first one of the schedule that has ended before ``today``."""
        start, end = self.period_containing(self.starts_on)
        if start < self.starts_on:
            start = end + dt.timedelta(days=1)
            end = first_day_of_month(start, self.months) - dt.timedelta(days=1)
        while end < today:
            yield start, end
            start = end + dt.timedelta(days=1)
            end = first_day_of_month(start, self.months) - dt.timedelta(days=1)

    def due_on(self, period_end: dt.date) -> dt.date:
        return period_end + dt.timedelta(days=self.days_allowed)


def overdue_condition(today: dt.date | None = None) -> Q:
    """SQL: the due date has passed while the report was never submitted (SPEC §3: derived,
    not a state). A report returned for corrections was filed on time: it is not overdue."""
    return Q(state=ActivityReport.State.DUE, due_on__lt=today or timezone.localdate())


class ActivityReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActivityReportQuerySet":
        """Reports of the labels held by the organisations ``user`` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(label__organisation__memberships__user=user)

    def newest_first(self) -> "ActivityReportQuerySet":
        """Newest periods first, then by label number: the order of the staff list and the
        API. It sorts on a joined column: a page of it is read keys first
        (``portal.pagination.KeysFirst``) from the index ``report_newest_first``."""
        return self.order_by("-period_start", "label__number", "pk")

    def staff_visible_to(self, user) -> "ActivityReportQuerySet":
        """Reports of the programmes where ``user`` is officer or ministry."""
        if user.is_superuser:
            return self
        return self.filter(programme_staff(user, "label__programme"))

    def open(self) -> "ActivityReportQuerySet":
        """Reports waiting for their holder: due, or returned for corrections."""
        return self.filter(state__in=ActivityReport.OPEN_STATES)

    def overdue(self, today: dt.date | None = None) -> "ActivityReportQuerySet":
        return self.filter(overdue_condition(today))


class IndicatorQuerySet(models.QuerySet):
    def asked_for(self, period_start: dt.date) -> "IndicatorQuerySet":
        """The indicators a report of the period that starts on ``period_start`` asks:
        introduced by then, and not retired before it."""
        return self.filter(
            Q(from_period__isnull=True) | Q(from_period__lte=period_start),
            Q(retired_from__isnull=True) | Q(retired_from__gt=period_start),
        )


class Indicator(models.Model):
    """What a programme's activity reports measure, as data (SPEC §6 made per programme):
    a typed value each report gives under the indicator's ``code`` in ``ActivityReport.values``,
    and how statistics aggregate it across spaces and periods.

    An indicator that has values is never deleted nor retyped (the values would lose their
    meaning): it is retired from a period on, and older reports keep showing it."""

    class Kind(models.TextChoices):
        INTEGER = "integer", _("whole number")
        DECIMAL = "decimal", _("decimal number")
        PERCENTAGE = "percentage", _("percentage")
        AMOUNT = "amount", _("amount in euros")
        YES_NO = "yes_no", _("yes or no")
        CHOICE = "choice", _("one choice")
        TEXT = "text", _("short text")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("sum")
        MEAN = "mean", _("mean")
        LAST = "last", _("last value")
        SHARE_YES = "share_yes", _("share of “yes”")

    NUMBERS = (Kind.INTEGER, Kind.DECIMAL, Kind.PERCENTAGE, Kind.AMOUNT)
    # The aggregations each kind allows: a sum of texts or a share of "yes" among amounts
    # means nothing.
    AGGREGATIONS = {
        Kind.INTEGER: (Aggregation.SUM, Aggregation.MEAN, Aggregation.LAST),
        Kind.DECIMAL: (Aggregation.SUM, Aggregation.MEAN, Aggregation.LAST),
        Kind.PERCENTAGE: (Aggregation.MEAN, Aggregation.LAST),
        Kind.AMOUNT: (Aggregation.SUM, Aggregation.MEAN, Aggregation.LAST),
        Kind.YES_NO: (Aggregation.SHARE_YES, Aggregation.LAST),
        Kind.CHOICE: (Aggregation.LAST,),
        Kind.TEXT: (Aggregation.LAST,),
    }

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[validate_question_code],
        help_text=_(
            "A short stable name: the key of the values in exports and the API. It cannot "
            "change once reports give a value."
        ),
    )
    # Per language (translation.py): label_fr, label_de, label_nl, label_en, and so on.
    label = models.CharField(pgettext_lazy("the words shown for an item", "label"), max_length=200)
    help = models.CharField(_("explanation"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    minimum = models.DecimalField(
        _("minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    at_most_period_days = models.BooleanField(
        _("at most the days of the period"),
        default=False,
        help_text=_("For a number of days: no more than the period has."),
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("A report cannot be filed without it.")
    )
    aggregation = models.CharField(
        _("statistics"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("How statistics combine the values of the spaces and periods."),
    )
    # For a choice: [{"code": ..., "label_fr": ..., "label_de": ..., "label_nl": ...,
    # "label_en": ...}], in their order.
    options = models.JSONField(_("options"), default=list, blank=True)
    from_period = models.DateField(
        _("asked from the period starting on"),
        null=True,
        blank=True,
        help_text=_("Empty: asked in every report."),
    )
    retired_from = models.DateField(
        _("retired from the period starting on"),
        null=True,
        blank=True,
        help_text=_("Reports of earlier periods keep their values."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="one_indicator_code_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_number(self) -> bool:
        return self.kind in self.NUMBERS

    @property
    def heading(self) -> str:
        """The name with its unit, for forms and column headers: "chiffre d'affaires (€)"; a
        name that says its unit keeps it once ("jours d'ouverture", not "(jours)" again)."""
        unit = self.unit or {self.Kind.PERCENTAGE: "%", self.Kind.AMOUNT: "€"}.get(self.kind, "")
        return _with_unit(self.label, unit) if unit else self.label

    def option_label(self, code: str) -> str:
        for option in self.options:
            if option.get("code") == code:
                return in_language(option, "label")
        return code

    def clean(self) -> None:
        errors = {}
        if self.aggregation not in self.AGGREGATIONS.get(self.kind, ()):
            errors["aggregation"] = _("This type of indicator cannot be combined this way.")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = _("The maximum is below the minimum.")
        if self.kind == self.Kind.CHOICE and not self.options:
            errors["options"] = _("Give the options to choose from.")
        if self.from_period and self.retired_from and self.retired_from <= self.from_period:
            errors["retired_from"] = _("An indicator is retired after it is first asked.")
        if errors:
            raise ValidationError(errors)


def _with_unit(verbose_name, unit) -> str:
    if str(unit).lower() in str(verbose_name).lower().split():
        return str(verbose_name)
    return f"{verbose_name} ({unit})"


class ActivityReport(ConcurrentTransitionMixin, models.Model):
    """What a labelled space did during one period: the indicators of SPEC §6 and a
    narrative, filed by its holder and accepted (or returned) by the programme's officer."""

    class State(models.TextChoices):
        # A context of their own: other machines' states bear the same English words.
        DUE = "due", pgettext_lazy("activity report", "to be filed")
        SUBMITTED = "submitted", pgettext_lazy("activity report", "submitted")
        RETURNED = "returned", pgettext_lazy("activity report", "returned for corrections")
        ACCEPTED = "accepted", pgettext_lazy("activity report", "accepted")

    OPEN_STATES = (State.DUE, State.RETURNED)

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due date"), db_index=True)
    state = FSMField(
        _("state"), default=State.DUE, choices=State.choices, protected=True, db_index=True
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    # The first filing: a report returned for corrections and filed again was on time if
    # its first filing was (the "reports filed on time" condition reads this).
    first_submitted_at = models.DateTimeField(
        _("first submitted on"), null=True, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        "portal.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True, editable=False)
    reminder_sent_on = models.DateField(
        _("reminder sent on"), null=True, blank=True, editable=False
    )
    overdue_notice_sent_on = models.DateField(
        _("overdue notice sent on"), null=True, blank=True, editable=False
    )

    # The programme's indicators (``Indicator``), by code; see ``reporting.indicators`` for
    # what each type stores.
    values = models.JSONField(_("indicators"), default=dict, blank=True)
    narrative = textlimits.LimitedTextField(
        _("narrative"),
        blank=True,
        max_length=textlimits.LONG,
        help_text=_("Highlights, difficulties and plans for the next period."),
    )

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-period_start", "label_id"]
        constraints = [
            models.UniqueConstraint(fields=["label", "period_start"], name="one_report_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="period_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            # The staff list, newest periods first: a page reads one period's reports, their
            # keys and labels from the index alone (PostgreSQL) to sort them by label number.
            models.Index(
                fields=["-period_start"], include=["label", "id"], name="report_newest_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label.number} — {self.period_name}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:detail", args=[self.pk])

    @property
    def programme(self) -> Programme:
        """The programme, for the rules shared with dossiers and labels."""
        return self.label.programme

    @property
    def period_name(self) -> str:
        """ "Q3 2026", "H1 2026" or "2026" (translated), from the period's length."""
        months = (self.period_end.year - self.period_start.year) * 12 + (
            self.period_end.month - self.period_start.month + 1
        )
        values = {"year": self.period_start.year, "n": (self.period_start.month - 1) // months + 1}
        if months == 3:
            return gettext("Q%(n)s %(year)s") % values
        if months == 6:
            return gettext("H%(n)s %(year)s") % values
        if months == 12:
            return str(self.period_start.year)
        return f"{self.period_start:%d/%m/%Y}-{self.period_end:%d/%m/%Y}"

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def is_editable(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        """Past its due date and never submitted (see ``overdue_condition``)."""
        return self.state == self.State.DUE and self.due_on < timezone.localdate()

    def asked_indicators(self) -> list[Indicator]:
        """The indicators this report asks (see ``IndicatorQuerySet.asked_for``), read once
        per instance; an import, which reads them once for its whole file, gives them."""
        asked = self.__dict__.get("_asked")
        if asked is None:
            asked = list(
                Indicator.objects.filter(programme=self.label.programme_id).asked_for(
                    self.period_start
                )
            )
            self._asked = asked
        return asked

    def indicator_values(self) -> list[tuple[Indicator, str | None]]:
        """Each indicator the report asks, or answered before it was retired, with its
        value in words (None when not given), in the programme's order."""
        from reporting.indicators import readable

        rows = []
        for indicator, text in readable(self):
            if self.values.get(indicator.code) in (None, ""):
                text = None
            elif indicator.kind in (Indicator.Kind.INTEGER, Indicator.Kind.DECIMAL) and (
                indicator.unit
            ):
                text = f"{text}\u00a0{indicator.unit}"
            rows.append((indicator, text))
        return rows

    def missing_fields(self) -> list[str]:
        """The codes of the required indicators still without a value, and "narrative" if
        it is blank: what must be given before the report can be submitted."""
        missing = [
            indicator.code
            for indicator in self.asked_indicators()
            if indicator.required and self.values.get(indicator.code) in (None, "")
        ]
        if not self.narrative.strip():
            missing.append("narrative")
        return missing

    def missing(self) -> list[str]:
        """The names of what must still be filled in before the report can be submitted."""
        from reporting.indicators import missing

        return missing(self, self.asked_indicators())

    def clean(self) -> None:
        """The values against the indicators the report asks: their type, their range and
        the days of the period (the holder's form makes the same checks)."""
        from reporting.indicators import check_values

        if not self.label_id or self.period_start is None or self.period_end is None:
            return
        if self.__dict__.get("_values_checked"):
            return  # an import checks each cell as it reads it
        errors = check_values(self.asked_indicators(), self.values or {}, self.period_days)
        if errors:
            names = {indicator.code: indicator.label for indicator in self.asked_indicators()}
            raise ValidationError(
                {
                    "values": [
                        gettext("%(indicator)s: %(message)s")
                        % {"indicator": capfirst(names[code]), "message": message}
                        for code, messages in errors.items()
                        for message in messages
                    ]
                }
            )

    def is_complete(self) -> bool:
        return not self.missing_fields()

    @transition(
        field=state,
        source=[State.DUE, State.RETURNED],
        target=State.SUBMITTED,
        permission=rule("reporting.submit_report"),
        conditions=[is_complete],
    )
    def submit(self, by=None, comment=""):
        """The holder files the report: every indicator present and in range."""
        self.submitted_at = timezone.now()
        self.first_submitted_at = self.first_submitted_at or self.submitted_at

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.ACCEPTED,
        permission=rule("reporting.review_report"),
    )
    def accept(self, by=None, comment=""):
        """The programme officer accepts the report."""
        self.reviewed_by, self.reviewed_at = by, timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.RETURNED,
        permission=rule("reporting.review_report"),
    )
    def return_for_corrections(self, by=None, comment=""):
        """The programme officer returns the report with a comment; the holder corrects it."""
        self.reviewed_by, self.reviewed_at = by, timezone.now()


# What the programme statistics read (``reporting.tallies`` keeps them) ------------------------


class ReportTally(models.Model):
    """The counted reports (submitted or accepted) of one group: a programme, the call of the
    labels' dossiers (none for a label without one), the province of the spaces and a period.
    The row without an indicator holds how many reports the group has; a row per indicator
    the statistics aggregate holds the sum of its values and how many reports answered it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, null=True, related_name="+")
    province = models.CharField(max_length=3, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, related_name="+")
    reports = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["programme", "period_start"])]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.province} {self.period_start} {self.indicator_id}"


class DossierDuration(models.Model):
    """A submitted dossier's completed stay in a state (``stage``: the state), or its time
    from first submission to the minister's decision (``stage``: ``DECISION``), read from
    its history, with what the statistics filter dossiers by: programme, call, year of
    submission (Brussels time) and province."""

    DECISION = "decision"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    province = models.CharField(max_length=3, blank=True)
    stage = models.CharField(max_length=32)
    duration = models.DurationField()

    class Meta:
        indexes = [models.Index(fields=["programme", "stage", "duration"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.duration}"


class DossierTally(models.Model):
    """The submitted dossiers of one group: a programme, a call, the year of their first
    submission (Brussels time) and the province of the space, as ``DossierDuration`` files
    them. The row without a stage holds the funnel (how many dossiers were submitted, how
    many reached each later stage) and the amounts requested and granted; a row per stage
    of ``DossierDuration`` holds how many durations the group's dossiers have in it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    province = models.CharField(max_length=3, blank=True)
    stage = models.CharField(max_length=32, blank=True)
    submitted = models.PositiveIntegerField(default=0)
    admissible = models.PositiveIntegerField(default=0)
    reviewed = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    granted = models.PositiveIntegerField(default=0)
    requested_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    granted_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    stays = models.PositiveIntegerField(default=0)

    class Meta:
        # A refresh replaces a group's rows; the statistics read a programme's.
        indexes = [models.Index(fields=["programme", "call", "year", "province"])]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.call_id} {self.year} {self.province} {self.stage}"
