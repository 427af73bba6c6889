"""Scoring grids, reviewer assignments and reviews, jury proposals and ministerial decisions."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import Application, Call
from portal import textlimits
from portal.rules import rule
from portal.transitions import SYSTEM


class Criterion(models.Model):
    """One line of a call's scoring grid: scored 0..max_score, weighted in the total."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    guidance = textlimits.LimitedTextField(
        _("guidance for reviewers"), blank=True, max_length=textlimits.COMMENT
    )
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    threshold = models.DecimalField(
        _("minimum threshold"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("An application whose mean score is below it cannot be proposed."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="criterion_code")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def clean(self):
        super().clean()
        if (
            self.threshold is not None
            and self.max_score is not None
            and self.threshold > self.max_score
        ):
            raise ValidationError(
                {"threshold": _("The threshold cannot exceed the maximum score.")}
            )


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> "AssignmentQuerySet":
        return self.filter(state__in=[Assignment.State.INVITED, Assignment.State.ACCEPTED])

    def to_do_first(self) -> "AssignmentQuerySet":
        """A reviewer's list: invitations awaiting an answer first, then reviews still to
        submit, then the rest; the newest first within each."""
        return self.annotate(
            to_do=models.Case(
                models.When(state=Assignment.State.INVITED, then=0),
                models.When(
                    models.Q(state=Assignment.State.ACCEPTED)
                    & ~models.Q(review__state=Review.State.SUBMITTED),
                    then=1,
                ),
                default=2,
            )
        ).order_by("to_do", "-assigned_at", "-pk")


class Assignment(ConcurrentTransitionMixin, models.Model):
    """A reviewer designated on a dossier; they accept (no conflict), decline or declare one."""

    class State(models.TextChoices):
        # Contexts keep these words apart from the same English words of other apps
        # (a dossier is "déposé", a review "remise").
        INVITED = "invited", pgettext_lazy("assignment state", "invited")
        ACCEPTED = "accepted", pgettext_lazy("assignment state", "accepted")
        DECLINED = "declined", pgettext_lazy("assignment state", "declined")
        CONFLICTED = "conflicted", pgettext_lazy("assignment state", "conflict of interest")
        # Of an earlier evaluation, set aside by an upheld complaint (review.redress).
        SUPERSEDED = "superseded", pgettext_lazy("assignment state", "earlier evaluation")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    state = FSMField(_("state"), default=State.INVITED, choices=State.choices, protected=True)
    declaration = textlimits.LimitedTextField(
        _("declaration"), blank=True, max_length=textlimits.COMMENT
    )
    due_at = models.DateTimeField(_("review due on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.application}"

    @transition(
        field=state,
        source=State.INVITED,
        target=State.ACCEPTED,
        permission=rule("review.answer_assignment"),
    )
    def accept(self, by=None, comment=""):
        """The reviewer accepts and declares no conflict of interest."""
        self.answered_at = timezone.now()
        self.declaration = comment

    @transition(
        field=state,
        source=State.INVITED,
        target=State.DECLINED,
        permission=rule("review.answer_assignment"),
    )
    def decline(self, by=None, comment=""):
        """The reviewer declines; the officer assigns someone else."""
        self.answered_at = timezone.now()

    @transition(
        field=state,
        source=State.INVITED,
        target=State.CONFLICTED,
        permission=rule("review.answer_assignment"),
    )
    def declare_conflict(self, by=None, comment=""):
        """The reviewer declares a conflict of interest (reason required)."""
        self.answered_at = timezone.now()
        self.declaration = comment

    @transition(
        field=state,
        source=[State.INVITED, State.ACCEPTED],
        target=State.SUPERSEDED,
        permission=rule("review.set_aside_assignment"),
    )
    def supersede(self, by=None, comment=""):
        """An upheld complaint against the evaluation sets this assignment aside: its review
        stays, as the earlier evaluation, and new reviewers evaluate the dossier."""


class ReviewQuerySet(models.QuerySet):
    def peers_visible_to(self, review: "Review | None") -> "ReviewQuerySet":
        """The other submitted reviews of the same dossier, which a reviewer reads only once
        their own review is submitted (none before)."""
        if review is None or review.state != Review.State.SUBMITTED:
            return self.none()
        return (
            self.filter(
                assignment__application=review.assignment.application_id,
                assignment__state=Assignment.State.ACCEPTED,
                state=Review.State.SUBMITTED,
            )
            .exclude(pk=review.pk)
            .select_related("assignment__reviewer")
            .prefetch_related("scores__criterion")
        )


class Review(ConcurrentTransitionMixin, models.Model):
    """A reviewer's scores on every criterion; locked once submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("review state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("review state", "submitted")

    class Recommendation(models.TextChoices):
        FUND = "fund", _("fund")
        FUND_WITH_CONDITIONS = "conditions", _("fund with conditions")
        DO_NOT_FUND = "reject", _("do not fund")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    overall_comment = textlimits.LimitedTextField(
        _("overall comment"), blank=True, max_length=textlimits.COMMENT
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.assignment}"

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=rule("review.score_assignment"),
    )
    def submit(self, by=None, comment=""):
        """The reviewer submits; the review is locked."""
        self.submitted_at = timezone.now()


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True)
    comment = textlimits.LimitedTextField(_("comment"), blank=True, max_length=textlimits.COMMENT)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score")]
        indexes = [models.Index(fields=["criterion", "review"])]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"


class Standing(models.Model):
    """A dossier's results from its submitted scores — total, threshold failure and
    disagreement — refreshed by the services that change them (a review submitted, the
    grid or the tolerance changed: ``review.ranking.refresh_after_commit``), so that a call
    of tens of thousands of dossiers is ranked without reading every score at each request.
    Ranks and running sums stay live: they depend on the other dossiers."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    total = models.DecimalField(_("total score"), max_digits=12, decimal_places=4)
    below_threshold = models.BooleanField(_("under a threshold"))
    disagreement = models.BooleanField(_("reviewers disagree"))
    consensus = models.BooleanField(
        _("from the consensus"),
        default=False,
        help_text=_("The total is the approved consensus's, not the mean of the reviews."),
    )

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.total}"


class Proposal(models.Model):
    """The jury's proposal on a dossier, with the ranking as it stood when it was made; on a
    call with a shortlist, a dossier left off the shortlist is not proposed at that stage
    (``at_shortlist``)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="proposal"
    )
    proposed = models.BooleanField(_("proposed for funding"))
    rationale = textlimits.LimitedTextField(_("rationale"), max_length=textlimits.COMMENT)
    ranking_snapshot = models.JSONField(_("ranking at the time"), default=list)
    at_shortlist = models.BooleanField(_("left off the shortlist"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("jury date"), default=timezone.now)

    class Meta:
        verbose_name = _("jury proposal")
        verbose_name_plural = _("jury proposals")

    def __str__(self) -> str:
        return f"{self.application}: {self.proposed}"


class Decision(models.Model):
    """The minister's decision: a grant with its amount, or a refusal with its reason."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    granted = models.BooleanField(_("granted"))
    amount = models.DecimalField(
        _("amount granted (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = textlimits.LimitedTextField(_("reason"), blank=True, max_length=textlimits.COMMENT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), default=timezone.now)

    class Meta:
        verbose_name = _("ministerial decision")
        verbose_name_plural = _("ministerial decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.amount if self.granted else '—'}"


def minutes_path(session: "JurySession", filename: str) -> str:
    return f"jury/{session.call_id}/{uuid.uuid4().hex}.pdf"


class JurySession(ConcurrentTransitionMixin, models.Model):
    """The jury of a call: open while it proposes, closed by an officer, who names the
    members present; closing locks the proposals and issues the minutes. Only an upheld
    complaint on an evaluation reconvenes a closed jury (``review.redress``), to propose
    on the dossier evaluated anew; the minutes of each earlier sitting are kept."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("jury state", "open")
        CLOSED = "closed", pgettext_lazy("jury state", "closed")

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="jury")
    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    members_present = textlimits.LimitedTextField(
        _("members present"),
        blank=True,
        help_text=_("One name per line."),
        max_length=textlimits.COMMENT,
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.FileField(_("minutes"), upload_to=minutes_path, max_length=200, blank=True)
    # The minutes of the sittings before a reconvening, oldest first: {"file": stored name,
    # "closed_at": ISO time, "closed_by": name}.
    earlier_minutes = models.JSONField(_("earlier minutes"), default=list, blank=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")

    def __str__(self) -> str:
        return f"{self.call} — {self.get_state_display()}"

    @property
    def programme(self):
        return self.call.programme

    @property
    def members(self) -> list[str]:
        return [line.strip() for line in self.members_present.splitlines() if line.strip()]

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CLOSED,
        permission=rule("review.close_jury"),
    )
    def close(self, by=None, comment="", members_present=""):
        """The officer closes the jury with the members present."""
        self.members_present = members_present
        self.closed_at = timezone.now()
        self.closed_by = by

    @transition(field=state, source=State.CLOSED, target=State.OPEN, custom=SYSTEM)
    def reconvene(self, by=None, comment=""):
        """An upheld complaint sends a dossier back to the jury: the jury sits again, and
        the minutes of the sitting that closed are kept among the earlier ones."""
        self.earlier_minutes = [
            *self.earlier_minutes,
            {
                "file": self.minutes.name,
                "closed_at": self.closed_at.isoformat() if self.closed_at else None,
                "closed_by": self.closed_by.full_name if self.closed_by else "",
            },
        ]
        self.minutes = ""
        self.closed_at = None
        self.closed_by = None


class Shortlisting(models.Model):
    """The jury's shortlisting of a dossier, on a call with a shortlist: its applicant is
    invited to a hearing before the final proposal. Recorded like a proposal, with the
    ranking as it stood."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="shortlisting"
    )
    rationale = textlimits.LimitedTextField(_("rationale"), max_length=textlimits.COMMENT)
    ranking_snapshot = models.JSONField(_("ranking at the time"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("jury date"), default=timezone.now)

    class Meta:
        verbose_name = _("shortlisting")
        verbose_name_plural = _("shortlistings")

    def __str__(self) -> str:
        return f"{self.application}"


class Hearing(ConcurrentTransitionMixin, models.Model):
    """A shortlisted applicant's hearing by the jury: when, where (a place, a video link or
    both); the officer then records whether the applicant attended, and the notes."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("hearing state", "scheduled")
        HELD = "held", pgettext_lazy("hearing state", "held")
        MISSED = "missed", pgettext_lazy("hearing state", "applicant absent")

    DONE = (State.HELD, State.MISSED)

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="hearing"
    )
    state = FSMField(_("state"), default=State.SCHEDULED, choices=State.choices, protected=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    notes = textlimits.LimitedTextField(_("hearing notes"), blank=True, max_length=textlimits.LONG)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited on"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(place="", video_link=""), name="hearing_has_a_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def call(self):
        return self.application.call

    @property
    def programme(self):
        return self.application.call.programme

    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.SCHEDULED,
        permission=rule("review.run_hearing"),
    )
    def reschedule(self, by=None, comment="", starts_at=None, place="", video_link=""):
        """The officer moves the hearing; the applicant is invited again."""
        self.starts_at = starts_at
        self.place = place
        self.video_link = video_link

    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.HELD,
        permission=rule("review.run_hearing"),
    )
    def record_attendance(self, by=None, comment=""):
        """The applicant was heard; the notes are the hearing's."""
        self.notes = comment
        self.recorded_at = timezone.now()

    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.MISSED,
        permission=rule("review.run_hearing"),
    )
    def record_absence(self, by=None, comment=""):
        """The applicant did not come."""
        self.notes = comment
        self.recorded_at = timezone.now()


class Consensus(ConcurrentTransitionMixin, models.Model):
    """The consensus of a dossier's reviews, written by a rapporteur among its reviewers: a
    score and comment per criterion and an overall comment. Once approved by the officer it
    replaces the mean of the individual scores in the ranking."""

    class State(models.TextChoices):
        DRAFTING = "drafting", pgettext_lazy("consensus state", "being written")
        SUBMITTED = "submitted", pgettext_lazy("consensus state", "awaiting approval")
        APPROVED = "approved", pgettext_lazy("consensus state", "approved")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="consensus"
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consensuses"
    )
    state = FSMField(_("state"), default=State.DRAFTING, choices=State.choices, protected=True)
    overall_comment = textlimits.LimitedTextField(
        _("overall comment"), blank=True, max_length=textlimits.COMMENT
    )
    # None: named by the portal when the reviewers disagreed.
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = models.DateTimeField(_("rapporteur named on"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensuses")

    def __str__(self) -> str:
        return f"{self.application} — {self.rapporteur}"

    @property
    def call(self):
        return self.application.call

    @property
    def programme(self):
        return self.application.call.programme

    @transition(
        field=state,
        source=State.DRAFTING,
        target=State.SUBMITTED,
        permission=rule("review.write_consensus"),
    )
    def submit(self, by=None, comment=""):
        """The rapporteur submits the consensus to the officer."""
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.DRAFTING,
        permission=rule("review.manage_consensus"),
    )
    def send_back(self, by=None, comment=""):
        """The officer sends the consensus back to the rapporteur, saying why."""
        self.submitted_at = None

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=rule("review.manage_consensus"),
    )
    def approve(self, by=None, comment=""):
        """The officer approves the consensus: it replaces the mean in the ranking."""
        self.approved_at = timezone.now()


class ConsensusScore(models.Model):
    consensus = models.ForeignKey(Consensus, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="consensus_scores"
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True)
    comment = textlimits.LimitedTextField(_("comment"), blank=True, max_length=textlimits.COMMENT)

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(fields=["consensus", "criterion"], name="one_consensus_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"


def complaint_path(complaint: "Complaint", filename: str) -> str:
    """A random name under the dossier's folder: stored names never come from users."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"complaints/{complaint.application_id}/{uuid.uuid4().hex}.{suffix}"


class Complaint(ConcurrentTransitionMixin, models.Model):
    """An applicant's complaint against the inadmissibility, the evaluation or the decision
    of its dossier (review.redress files it and runs its steps)."""

    class About(models.TextChoices):
        INADMISSIBILITY = "inadmissibility", _("the inadmissibility")
        EVALUATION = "evaluation", _("the evaluation")
        DECISION = "decision", _("the decision")

    class State(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint state", "received")
        UNDER_EXAMINATION = (
            "under_examination",
            pgettext_lazy("complaint state", "under examination"),
        )
        UPHELD = "upheld", pgettext_lazy("complaint state", "upheld")
        REJECTED = "rejected", pgettext_lazy("complaint state", "rejected")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="complaints"
    )
    about = models.CharField(_("complaint against"), max_length=20, choices=About.choices)
    reasons = textlimits.LimitedTextField(_("reasons"), max_length=textlimits.LONG)
    document = models.FileField(
        _("supporting document"), upload_to=complaint_path, max_length=200, blank=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed on"), default=timezone.now)
    due_on = models.DateField(_("answer due on"))
    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True)
    answer = textlimits.LimitedTextField(_("answer"), blank=True, max_length=textlimits.LONG)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    # What an upheld complaint set aside (the jury's proposal, the decision), kept here since
    # the dossier holds only one of each.
    superseded = models.JSONField(_("earlier evaluation"), default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_about_display()}"

    @property
    def programme(self):
        return self.application.call.programme

    @transition(
        field=state,
        source=State.RECEIVED,
        target=State.UNDER_EXAMINATION,
        permission=rule("review.examine_complaint"),
    )
    def examine(self, by=None, comment=""):
        """The programme starts examining the complaint."""

    @transition(
        field=state,
        source=[State.RECEIVED, State.UNDER_EXAMINATION],
        target=State.UPHELD,
        permission=rule("review.examine_complaint"),
    )
    def uphold(self, by=None, comment=""):
        """The complaint is founded (answer required); review.redress applies its effect."""
        self._answer(by, comment)

    @transition(
        field=state,
        source=[State.RECEIVED, State.UNDER_EXAMINATION],
        target=State.REJECTED,
        permission=rule("review.examine_complaint"),
    )
    def reject(self, by=None, comment=""):
        """The complaint is unfounded (answer required)."""
        self._answer(by, comment)

    def _answer(self, by, comment) -> None:
        self.answer = comment
        self.answered_by = by
        self.answered_at = timezone.now()
