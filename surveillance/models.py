"""A label's conditions and their surveillance (issue "Programmes as data" 2/2).

A programme's officers define the conditions its labels must keep meeting, each of a closed
set of kinds (``Condition.Kind``): on the dossier at award, on the activity reports, or an
evidence document to upload every validity year. The daily job and each accepted report
evaluate them (``surveillance.evaluation``, set-based SQL); a failing condition opens a
``NonConformity`` on the label, which the holder answers and an officer resolves or, past
its deadline, sanctions through the labels app's suspension or revocation. Visitors may
report a problem with a labelled space (``VisitorReport``); an officer triages it.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.callforms import validate_question_code
from applications.models import Programme, programme_staff
from labels.models import Label
from portal import textlimits
from portal.rules import rule
from portal.transitions import SYSTEM
from reporting.models import Indicator


class Condition(models.Model):
    """A condition a programme's labels must keep meeting, of one closed kind."""

    class Kind(models.TextChoices):
        ANSWER_AT_LEAST = "answer_at_least", _("Dossier: an answer at least a figure")
        ANSWER_YES = "answer_yes", _("Dossier: an answer is yes")
        INDICATOR_AT_LEAST = (
            "indicator_at_least",
            _("Reports: an indicator at least a figure in each of the last periods"),
        )
        INDICATOR_MEAN = (
            "indicator_mean",
            _("Reports: the mean of an indicator over the last year at least a figure"),
        )
        REPORTS_ON_TIME = "reports_on_time", _("Reports: every report of the last year on time")
        EVIDENCE = "evidence", _("Evidence document uploaded within each validity year")

    # What each kind needs besides its label and grace period.
    NEEDS = {
        Kind.ANSWER_AT_LEAST: ("question_code", "threshold"),
        Kind.ANSWER_YES: ("question_code",),
        Kind.INDICATOR_AT_LEAST: ("indicator", "threshold", "periods"),
        Kind.INDICATOR_MEAN: ("indicator", "threshold"),
        Kind.REPORTS_ON_TIME: (),
        Kind.EVIDENCE: ("document_fr",),  # the French is required; other languages may wait
    }

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="label_conditions",
        verbose_name=_("programme"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # Per language (translation.py): label_fr, label_de, label_nl, label_en, and so on.
    label = models.CharField(pgettext_lazy("the words shown for an item", "label"), max_length=200)
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days the holder has to put things right once the condition fails."),
    )
    question_code = models.CharField(
        _("question code"),
        max_length=40,
        blank=True,
        validators=[validate_question_code],
        help_text=_("The code of a question of the programme's application forms."),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
        verbose_name=_("indicator"),
    )
    threshold = models.DecimalField(
        _("at least"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    periods = models.PositiveSmallIntegerField(
        _("last periods"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    document = models.CharField(_("document"), max_length=200, blank=True)
    active = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_("A condition no longer in force is not evaluated; its history stays."),
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("label condition")
        verbose_name_plural = _("label conditions")
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.label


def evidence_path(evidence: "Evidence", filename: str) -> str:
    """A random name under the label's folder: stored names never come from users."""
    return f"labels/{evidence.label_id}/evidence/{uuid.uuid4().hex}{PurePath(filename).suffix}"


def answer_path(answer: "Answer", filename: str) -> str:
    folder = f"labels/non-conformities/{answer.non_conformity_id}"
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Evidence(models.Model):
    """A document the holder uploaded for an evidence condition (an insurance certificate)."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="evidence")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class NonConformityQuerySet(models.QuerySet):
    def pending(self) -> "NonConformityQuerySet":
        """Not closed yet: open, answered or flagged for suspension."""
        return self.filter(state__in=NonConformity.PENDING)

    def staff_visible_to(self, user) -> "NonConformityQuerySet":
        if user.is_superuser:
            return self
        return self.filter(programme_staff(user, "label__programme"))

    def visible_to(self, user) -> "NonConformityQuerySet":
        """Those of the labels held by the organisations ``user`` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(label__organisation__memberships__user=user)


class NonConformity(ConcurrentTransitionMixin, models.Model):
    """A condition a label fails (or a problem a visitor reported and an officer confirmed):
    what, the value measured, since when and by when it must be put right."""

    class State(models.TextChoices):
        # A context of its own: "open" of other machines is masculine in French.
        OPEN = "open", pgettext_lazy("non-conformity", "open")
        ANSWERED = "answered", _("answered by the holder")
        FLAGGED = "flagged", _("flagged for suspension")
        RESOLVED = "resolved", _("resolved")
        SANCTIONED = "sanctioned", _("label suspended or revoked")

    PENDING = (State.OPEN, State.ANSWERED, State.FLAGGED)

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="non_conformities")
    condition = models.ForeignKey(
        Condition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="non_conformities",
        verbose_name=_("condition"),
    )
    visitor_report = models.OneToOneField(
        "surveillance.VisitorReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="non_conformity",
    )
    summary = textlimits.LimitedTextField(
        _("what is wrong"), max_length=textlimits.SUMMARY, blank=True
    )
    measured = models.CharField(_("value measured"), max_length=200, blank=True)
    opened_on = models.DateField(_("failing since"), default=timezone.localdate)
    deadline = models.DateField(_("to be put right by"), db_index=True)
    state = FSMField(
        _("state"), default=State.OPEN, choices=State.choices, protected=True, db_index=True
    )
    # Opened by the daily re-check of holders against the enterprise register
    # (``surveillance.holders``): the holder's enterprise has stopped.
    holder_stopped = models.BooleanField(_("holder stopped"), default=False, editable=False)
    # Each email goes once, whatever the number of runs of the daily job.
    opening_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    flag_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    objects = NonConformityQuerySet.as_manager()

    class Meta:
        verbose_name = _("non-conformity")
        verbose_name_plural = _("non-conformities")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            # The daily job opens nothing twice: one pending case per label and condition.
            models.UniqueConstraint(
                fields=["label", "condition"],
                condition=Q(state__in=["open", "answered", "flagged"]),
                name="one_pending_non_conformity_per_condition",
            ),
            models.UniqueConstraint(
                fields=["label"],
                condition=Q(holder_stopped=True, state__in=["open", "answered", "flagged"]),
                name="one_pending_stopped_holder_case_per_label",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label.number} — {self.condition or self.summary[:60]}"

    @property
    def programme(self) -> Programme:
        """The programme, for the rules shared with labels."""
        return self.label.programme

    @property
    def title(self) -> str:
        return self.condition.label if self.condition_id else self.summary

    @property
    def is_overdue(self) -> bool:
        return self.state in (self.State.OPEN, self.State.ANSWERED) and (
            self.deadline < timezone.localdate()
        )

    @transition(
        field=state,
        source=[State.OPEN, State.ANSWERED],
        target=State.ANSWERED,
        permission=rule("surveillance.answer_non_conformity"),
    )
    def answer(self, by=None, comment=""):
        """The holder says what was done (a comment, a document); it may answer again. On a
        flagged case the answer is kept without a transition (``services.answer``)."""

    @transition(
        field=state,
        source=[State.OPEN, State.ANSWERED, State.FLAGGED],
        target=State.RESOLVED,
        permission=rule("surveillance.manage_non_conformity"),
    )
    def resolve(self, by=None, comment=""):
        """An officer closes the case: things were put right."""
        self.closed_on = timezone.localdate()

    @transition(
        field=state,
        source=[State.OPEN, State.ANSWERED],
        target=State.FLAGGED,
        custom=SYSTEM,
    )
    def flag(self, by=None, comment=""):
        """The deadline passed: the daily job flags the label for suspension."""

    @transition(
        field=state,
        source=[State.OPEN, State.ANSWERED, State.FLAGGED],
        target=State.SANCTIONED,
        permission=rule("surveillance.manage_non_conformity"),
    )
    def sanction(self, by=None, comment=""):
        """An officer suspends or revokes the label with this case as the reason."""
        self.closed_on = timezone.localdate()


class Answer(models.Model):
    """What the holder said about a non-conformity: a comment and/or a document."""

    non_conformity = models.ForeignKey(
        NonConformity, on_delete=models.CASCADE, related_name="answers"
    )
    comment = textlimits.LimitedTextField(_("comment"), max_length=textlimits.COMMENT, blank=True)
    file = models.FileField(upload_to=answer_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer to a non-conformity")
        verbose_name_plural = _("answers to non-conformities")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.non_conformity} — {self.at:%d/%m/%Y}"


class VisitorReport(ConcurrentTransitionMixin, models.Model):
    """A problem a visitor reported with a labelled space, without an account; an officer
    triages it: dismissed with a reason, or a non-conformity opened."""

    class State(models.TextChoices):
        NEW = "new", _("to triage")
        DISMISSED = "dismissed", _("dismissed")
        CONFIRMED = "confirmed", _("non-conformity opened")

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="visitor_reports")
    message = textlimits.LimitedTextField(_("what happened"), max_length=textlimits.COMMENT)
    name = models.CharField(_("your name"), max_length=120, blank=True)
    email = models.EmailField(_("your email"), blank=True)
    # Who sent it, as a pseudonym (``portal.throttle.pseudonym``): reports from one source
    # can be told apart without keeping their address.
    source = models.CharField(max_length=12, blank=True, editable=False)
    created_at = models.DateTimeField(_("received on"), default=timezone.now, db_index=True)
    state = FSMField(
        _("state"), default=State.NEW, choices=State.choices, protected=True, db_index=True
    )
    reason = textlimits.LimitedTextField(_("reason"), max_length=textlimits.COMMENT, blank=True)

    class Meta:
        verbose_name = _("visitor report")
        verbose_name_plural = _("visitor reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label.number} — {self.created_at:%d/%m/%Y}"

    @property
    def programme(self) -> Programme:
        return self.label.programme

    @transition(
        field=state,
        source=State.NEW,
        target=State.DISMISSED,
        permission=rule("surveillance.manage_non_conformity"),
    )
    def dismiss(self, by=None, comment=""):
        """An officer dismisses the report, with a reason."""
        self.reason = comment

    @transition(
        field=state,
        source=State.NEW,
        target=State.CONFIRMED,
        permission=rule("surveillance.manage_non_conformity"),
    )
    def confirm(self, by=None, comment=""):
        """An officer opens a non-conformity from the report."""
        self.reason = comment
