"""Programmes, their calls for projects, and the dossiers organisations submit to them."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal import postcodes, textlimits
from portal.dates import long_datetime
from portal.figures import euros, number
from portal.models import Counter, Membership, Organisation
from portal.roles import Role
from portal.rules import rule
from portal.transitions import SYSTEM


def reference_counter(programme_id: int, year: int) -> str:
    """The key of the ``Counter`` numbering a programme's dossiers first submitted in
    ``year``."""
    return f"application:{programme_id}:{year}"


def application_reference(prefix: str, year: int, sequence: int) -> str:
    """A dossier's reference, ``CW-2026-0007``: the programme's reference prefix, the year
    of its first submission (Brussels) and its number in that year, on four digits at
    least. The one format of references: submission, the demo and the benchmark use it."""
    return f"{prefix}-{year}-{sequence:04d}"


class ProgrammeQuerySet(models.QuerySet):
    def staff_visible_to(self, user) -> "ProgrammeQuerySet":
        """Programmes where ``user`` is officer or ministry (all, for administrators).
        Twin of the ``applications.view_programme`` rule."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(programme_staff(user))


class Programme(models.Model):
    """A public programme (e.g. Creative Wallonia) that runs calls and awards its label."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        help_text=_("Starts every application reference, e.g. CW for CW-2026-0007."),
    )
    managing_agency = models.CharField(_("managing agency"), max_length=200)
    funding_body = models.CharField(_("funding body"), max_length=200)
    funder_identifier = models.CharField(
        _("funding body identifier"),
        max_length=100,
        blank=True,
        help_text=_(
            "The funding body's organisation identifier (org-id) in the open data: a register "
            "code followed by the number in that register, e.g. BE-BCE_KBO-0316381039 for the "
            "Walloon Region. Left empty, the open data uses an identifier made from the "
            "programme's short name."
        ),
    )
    description = textlimits.LimitedTextField(
        _("description"), blank=True, max_length=textlimits.LONG
    )
    label_name = models.CharField(_("label name"), max_length=200)
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=200,
        blank=True,
        help_text=_("The person who signs the decision letters and certificates."),
    )
    signatory_function = models.CharField(
        _("signatory's function"),
        max_length=200,
        blank=True,
        help_text=_("Printed under the name, e.g. Director-General of the agency."),
    )
    letter_place = models.CharField(
        _("place of signature"),
        max_length=100,
        blank=True,
        help_text=_("The town printed before the date of the letters, e.g. Namur."),
    )
    legal_basis = textlimits.LimitedTextField(
        _("legal basis"),
        blank=True,
        max_length=textlimits.LONG,
        help_text=_(
            "The texts the programme's decisions rest on (decree, Government decision…), "
            "quoted in the decision letters."
        ),
    )
    complaint_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a complaint"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The programme answers a complaint within this many days of its filing."),
    )
    redress_body = textlimits.LimitedTextField(
        _("recipient of complaints"),
        blank=True,
        max_length=textlimits.SUMMARY,
        help_text=_(
            "Who receives the applicants' complaints against a decision, cited in the "
            "decision letters: the body, its postal address and its email address."
        ),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", editable=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("applications:staff_programme", args=[self.slug])


class ProgrammeStaff(models.Model):
    """A staff role granted on one programme: its officers, reviewer pool and ministry."""

    ROLES = [
        (Role.OFFICER.value, Role.OFFICER.label),
        (Role.REVIEWER.value, Role.REVIEWER.label),
        (Role.MINISTRY.value, Role.MINISTRY.label),
    ]

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=ROLES)

    class Meta:
        verbose_name = _("programme staff member")
        verbose_name_plural = _("programme staff")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="one_role_grant")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.programme}"


def staff_of(user, role: str, programme_ref: str = "pk") -> Exists:
    """SQL: ``user`` holds ``role`` on the programme found at ``programme_ref``."""
    return Exists(
        ProgrammeStaff.objects.filter(programme=OuterRef(programme_ref), user=user.pk, role=role)
    )


def programme_staff(user, programme_ref: str = "pk") -> Exists:
    """SQL: ``user`` is officer or ministry of the programme at ``programme_ref`` (the
    queryset twin of the ``is_programme_staff`` rule)."""
    return Exists(
        ProgrammeStaff.objects.filter(
            programme=OuterRef(programme_ref),
            user=user.pk,
            role__in=[Role.OFFICER, Role.MINISTRY],
        )
    )


def to_the_second(moment=None):
    """``moment`` (now by default) as people read a clock: whole seconds. A deadline is the
    last second it names, all of it: a dossier sent at 23:59:59.6 for a deadline at
    23:59:59 is on time."""
    return (moment or timezone.now()).replace(microsecond=0)


class CallQuerySet(models.QuerySet):
    def published(self) -> "CallQuerySet":
        return self.filter(is_published=True)

    def open_at(self, moment=None) -> "CallQuerySet":
        moment = to_the_second(moment)
        return self.published().filter(opens_at__lte=moment, closes_at__gte=moment)

    def managed_by(self, user) -> "CallQuerySet":
        """Calls of the programmes ``user`` runs as officer (all, for administrators)."""
        if user.is_superuser:
            return self
        return self.filter(staff_of(user, Role.OFFICER, "programme"))

    def staff_visible_to(self, user) -> "CallQuerySet":
        """Calls of the programmes where ``user`` is officer or ministry."""
        if user.is_superuser:
            return self
        return self.filter(programme_staff(user, "programme"))


class Call(models.Model):
    """A call for projects of a programme, open between two moments (Brussels time)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    summary = textlimits.LimitedTextField(_("summary"), blank=True, max_length=textlimits.SUMMARY)
    rules = textlimits.LimitedTextField(
        _("rules"),
        help_text=_("Who may apply, what is funded, how."),
        max_length=textlimits.LONG,
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("submission deadline"),
        help_text=_("Brussels time. A deadline “at midnight” is 23:59:59 of that day."),
    )
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_amount = models.DecimalField(
        _("maximum amount per application"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    reviews_per_dossier = models.PositiveSmallIntegerField(
        _("reviews per application"), default=3, validators=[MinValueValidator(1)]
    )
    half_points = models.BooleanField(
        _("half points allowed"), default=False, help_text=_("Reviewers may give 3.5, 4.5…")
    )
    disagreement_tolerance = models.DecimalField(
        _("disagreement tolerance"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(0)],
        help_text=_("Reviews of a criterion further apart than this are flagged for a consensus."),
    )
    shortlist_with_hearings = models.BooleanField(
        _("shortlist and hearings"),
        default=False,
        help_text=_(
            "After the review, the jury shortlists applications and hears their applicants "
            "before its final proposal."
        ),
    )
    reviewer_cap = models.PositiveSmallIntegerField(
        _("applications per reviewer at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Suggested assignments give no reviewer more applications of this call."),
    )
    label_validity_months = models.PositiveSmallIntegerField(
        _("label validity (months)"), default=36, validators=[MinValueValidator(1)]
    )
    legal_basis = textlimits.LimitedTextField(
        _("legal basis"),
        blank=True,
        max_length=textlimits.LONG,
        help_text=_("The decree or order the call is based on, cited in the decision letters."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Visitors only see published calls.")
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:call", args=[self.slug])

    def is_open(self, moment=None) -> bool:
        moment = to_the_second(moment)
        return self.is_published and self.opens_at <= moment <= self.closes_at

    @property
    def time_left(self):
        return max(self.closes_at - timezone.now(), timedelta(0))


class DocumentType(models.Model):
    """A supporting document a call asks for (budget, statutes, letters of support…)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="document_types")
    name = models.CharField(_("name"), max_length=200)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class EligibilityQuestion(models.Model):
    """A yes/no question every applicant answers; a "no" makes the dossier ineligible.

    A question about a figure the dossier gives ("at least 20 workstations") names the
    code of the number question of the call's form that gives it, and its minimum: an
    answer the figure contradicts is refused where it is saved."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="eligibility_questions")
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    figure = models.SlugField(
        _("figure checked"),
        max_length=40,
        blank=True,
        help_text=_(
            "For a question about a figure of the application, e.g. “at least 20 "
            "workstations”: the code of the form's question that gives it, and its minimum "
            "below."
        ),
    )
    minimum = models.PositiveIntegerField(_("minimum"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.figure and self.minimum is None:
            raise ValidationError({"minimum": _("Give the minimum the figure must reach.")})
        if self.figure and self.call_id is not None:
            numbers = self.call.questions.filter(code=self.figure, kind__in=Question.NUMBERS)
            if not numbers.exists():
                raise ValidationError(
                    {"figure": _("Give the code of a number question of the call's form.")}
                )

    def expected_answer(self, application: "Application") -> bool | None:
        """The answer the dossier's figure calls for; None if it says nothing (yet)."""
        if not self.figure or self.minimum is None:
            return None
        value = application.answer(self.figure)
        return None if value is None else Decimal(str(value)) >= self.minimum


class Service(models.Model):
    """A service a space offers (reference data, seeded by migration)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def counts_by_state(self) -> dict[str, int]:
        """How many of these dossiers are in each state they are in (of a call: read from
        the index ``application_call_state`` alone)."""
        return dict(self.values_list("state").annotate(count=models.Count("pk")).order_by())

    def of_member(self, user) -> "ApplicationQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Exists(Membership.objects.filter(organisation=OuterRef("organisation"), user=user.pk))
        )

    def visible_to(self, user) -> "ApplicationQuerySet":
        """Dossiers ``user`` may open: their organisations' and, for programme officers and
        ministry staff, their programmes' submitted ones. Twin of ``view_application``."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        member = Exists(
            Membership.objects.filter(organisation=OuterRef("organisation"), user=user.pk)
        )
        staff = programme_staff(user, "call__programme")
        return self.filter(member | (staff & Q(submitted_at__isnull=False)))


class Inconsistency(NamedTuple):
    """Two answers of a dossier that contradict each other: said at ``field`` (and at the
    eligibility ``question``, if one is involved)."""

    field: str
    message: str
    question: "EligibilityQuestion | None" = None


class SubmissionProblem(str):
    """A reason the dossier cannot be submitted yet, in words, with the address of the page
    that settles it ("" when no page does: the call is closed)."""

    url: str

    def __new__(cls, message: str, url: str = "") -> "SubmissionProblem":
        problem = super().__new__(cls, message)
        problem.url = url
        return problem


class FieldChange(NamedTuple):
    """One answer of a dossier before and after a change request, written for the reader."""

    label: str
    before: str
    after: str


class Application(ConcurrentTransitionMixin, models.Model):
    """A dossier: one organisation's application to one call. Its state machine reads below."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INADMISSIBLE = "inadmissible", _("inadmissible")
        ADMISSIBLE = "admissible", _("admissible")
        IN_REVIEW = "in_review", _("in review")
        REVIEWED = "reviewed", _("reviewed")
        SHORTLISTED = "shortlisted", _("shortlisted for a hearing")
        PROPOSED = "proposed", _("proposed by the jury")
        NOT_PROPOSED = "not_proposed", _("not proposed by the jury")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    EDITABLE = (State.DRAFT, State.CHANGES_REQUESTED)
    # Submitted and not yet decided: the agency and the applicant still act on it.
    UNDER_WAY = (
        State.SUBMITTED,
        State.CHANGES_REQUESTED,
        State.ADMISSIBLE,
        State.IN_REVIEW,
        State.REVIEWED,
        State.SHORTLISTED,
        State.PROPOSED,
        State.NOT_PROPOSED,
    )

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(
        _("application reference"), max_length=20, unique=True, null=True, blank=True
    )
    state = FSMField(
        _("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, db_index=True)

    # The project
    project_title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = textlimits.LimitedTextField(
        _("project summary"), blank=True, max_length=textlimits.SUMMARY
    )
    # The space's address
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=4, blank=True, validators=[postcodes.validate_postcode]
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    province = models.CharField(
        _("province"),
        max_length=3,
        choices=postcodes.Province.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    total_cost = models.DecimalField(
        _("total cost of the project (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    requested_amount = models.DecimalField(
        _("requested amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Filled by transitions
    declaration_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    changes_message = textlimits.LimitedTextField(
        _("changes requested"), blank=True, editable=False, max_length=textlimits.COMMENT
    )
    changes_due_at = models.DateTimeField(
        _("response deadline"), null=True, blank=True, editable=False
    )
    withdrawal_reason = textlimits.LimitedTextField(
        _("reason for withdrawal"), blank=True, editable=False, max_length=textlimits.COMMENT
    )
    inadmissibility_reason = textlimits.LimitedTextField(
        _("reason for inadmissibility"),
        blank=True,
        editable=False,
        max_length=textlimits.COMMENT,
    )
    admissibility_decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    changes_snapshot = models.JSONField(
        _("answers when changes were last requested"), default=dict, blank=True, editable=False
    )
    changes_response = textlimits.LimitedTextField(
        _("answer to the change request"),
        blank=True,
        editable=False,
        max_length=textlimits.COMMENT,
    )
    # The answers to the call's own form (``applications.questionnaire``), under each
    # question's code, and the version of the form the dossier was started on.
    answers = models.JSONField(_("answers"), default=dict, blank=True, editable=False)
    form_version = models.PositiveIntegerField(
        _("form version"), null=True, blank=True, editable=False
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            # A call's dossiers by state (the staff list's counts, the ranking): read from the
            # index alone on PostgreSQL, which would otherwise visit every dossier's row.
            models.Index(
                fields=["call", "state"],
                include=["id", "submitted_at", "requested_amount"],
                name="application_call_state",
            ),
            # A call's staff list and the API's: its submitted dossiers, newest first, a page
            # at a time, read from the index's end rather than sorted whole.
            models.Index(
                fields=["call", "-submitted_at", "-id"],
                condition=models.Q(submitted_at__isnull=False),
                name="application_call_submitted",
            ),
        ]

    def __str__(self) -> str:
        return str(self.reference or self.project_title or _("Draft application"))

    def save(self, *args, **kwargs):
        self.province = postcodes.province_for(self.postcode) if self.postcode else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    # Completeness ------------------------------------------------------------------------

    # The core of every dossier, whatever the call: what ranking, decisions, labels, open
    # data and statistics read. Everything programme-specific is a question of the call's
    # own form (``applications.callforms``), answered in ``answers``.
    SECTIONS = {
        "project": (_("The project"), ["project_title", "summary"]),
        "address": (_("The space's address"), ["street", "postcode", "municipality"]),
        "funding": (_("Cost and requested amount"), ["total_cost", "requested_amount"]),
    }

    def missing_fields(self, section: str) -> list[str]:
        """Labels of the core fields of ``section`` that are still empty."""
        missing = []
        for name in self.SECTIONS[section][1]:
            value = getattr(self, name)
            if value is None or value == "":
                missing.append(self._meta.get_field(name).verbose_name)
        return missing

    @cached_property
    def questionnaire(self):
        """The call's own form (``applications.questionnaire.Questionnaire``)."""
        from applications.questionnaire import Questionnaire

        return Questionnaire.of(self.call)

    def answer(self, code: str):
        """The stored answer to the call's question ``code`` (None if unanswered)."""
        return (self.answers or {}).get(code)

    def missing_documents(self) -> list[DocumentType]:
        present = self.documents.values("document_type")
        return list(self.call.document_types.filter(required=True).exclude(pk__in=present))

    def unanswered_questions(self) -> list[EligibilityQuestion]:
        answered = self.eligibility_answers.values("question")
        return list(self.call.eligibility_questions.exclude(pk__in=answered))

    def failed_questions(self) -> list[EligibilityQuestion]:
        return list(
            self.call.eligibility_questions.filter(answers__application=self, answers__answer=False)
        )

    def inconsistencies(self, answers: dict | None = None) -> list[Inconsistency]:
        """What the dossier says that contradicts itself or the call: an amount above the
        call's maximum or the project's cost, an eligibility answer its figures deny.
        ``answers`` (question → bool) replaces the stored answers, to check a form's."""
        found = []
        requested, total = self.requested_amount, self.total_cost
        if requested is not None and requested > self.call.max_amount:
            found.append(
                Inconsistency(
                    "requested_amount",
                    _("The requested amount (%(amount)s) exceeds the call's maximum of %(max)s.")
                    % {"amount": euros(requested), "max": euros(self.call.max_amount)},
                )
            )
        if requested is not None and total is not None and requested > total:
            found.append(
                Inconsistency(
                    "requested_amount",
                    _(
                        "The requested amount (%(amount)s) exceeds the total cost of the "
                        "project (%(total)s)."
                    )
                    % {"amount": euros(requested), "total": euros(total)},
                )
            )
        if answers is None:
            answers = (
                {a.question: a.answer for a in self.eligibility_answers.select_related("question")}
                if self.pk
                else {}
            )
        for question, answer in answers.items():
            expected = question.expected_answer(self)
            if expected is None or answer == expected:
                continue
            figure = self.questionnaire.by_code(question.figure)
            message = _(
                "You answered “%(answer)s” to “%(question)s”, but the application gives "
                "%(value)s for “%(figure)s”. Correct the answer or the figure."
            ) % {
                "answer": _("Yes") if answer else _("No"),
                "question": question.text,
                "value": number(Decimal(str(self.answer(question.figure)))),
                "figure": figure.label if figure else question.figure,
            }
            found.append(Inconsistency(question.figure, message, question))
        return found

    # Changes since a change request -------------------------------------------------------

    MONEY_FIELDS = ("total_cost", "requested_amount")

    def answers_snapshot(self) -> dict:
        """The dossier's answers under stable codes (field names, ``document:<type>``,
        ``question:<id>``), kept when changes are requested to show what changed since."""
        values: dict = {}
        for _title, names in self.SECTIONS.values():
            for name in names:
                value = getattr(self, name)
                if isinstance(value, Decimal):
                    # 80000 typed and 80000.00 read back are the same amount.
                    value = value.quantize(Decimal("0.01"))
                values[name] = None if value is None else str(value)
        for document in self.documents.all():
            values[f"document:{document.document_type_id}"] = [
                document.original_name,
                document.uploaded_at.isoformat(),
            ]
        for answer in self.eligibility_answers.all():
            values[f"question:{answer.question_id}"] = answer.answer
        for code, value in (self.answers or {}).items():
            values[f"answer:{code}"] = value
        return values

    def _shown(self, code: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if code in self.MONEY_FIELDS:
            return euros(Decimal(value))
        if code.startswith("document:"):
            name, uploaded_at = value
            moment = timezone.localtime(datetime.fromisoformat(uploaded_at))
            return _("%(name)s (uploaded on %(date)s)") % {
                "name": name,
                "date": long_datetime(moment),
            }
        if code.startswith("question:"):
            return str(_("Yes") if value else _("No"))
        if code.startswith("answer:"):
            from applications.questionnaire import shown

            question = self.questionnaire.by_code(code.removeprefix("answer:"))
            return shown(question, value) if question else str(value)
        return str(value)

    def changes_since_request(self) -> list[FieldChange]:
        """Each answer that differs from what it was when changes were last requested."""
        if not self.changes_snapshot:
            return []
        before, after = self.changes_snapshot, self.answers_snapshot()
        labels = [
            (name, capfirst(self._meta.get_field(name).verbose_name))
            for _title, names in self.SECTIONS.values()
            for name in names
        ]
        labels += [(f"document:{t.pk}", t.name) for t in self.call.document_types.all()]
        labels += [(f"question:{q.pk}", q.text) for q in self.call.eligibility_questions.all()]
        labels += [(f"answer:{q.code}", q.label) for q in self.questionnaire.questions]
        return [
            FieldChange(
                label, self._shown(code, before.get(code)), self._shown(code, after.get(code))
            )
            for code, label in labels
            if before.get(code) != after.get(code)
        ]

    def submission_problems(self, moment=None) -> list[SubmissionProblem]:
        """Everything that stops the dossier from being submitted now, in words, each with
        the page that settles it."""
        problem, pk = SubmissionProblem, self.pk
        problems = []
        if self.state == self.State.CHANGES_REQUESTED:
            if self.changes_overdue(moment):
                problems.append(
                    problem(_("The response deadline for the requested changes has passed."))
                )
        elif not self.call.is_open(moment):
            problems.append(problem(_("The call is closed: the submission deadline has passed.")))
        section_of = {}
        for section, (title, names) in self.SECTIONS.items():
            url = reverse("applications:section", args=[pk, section])
            section_of.update(dict.fromkeys(names, url))
            missing = self.missing_fields(section)
            if missing:
                message = _("%(section)s: missing %(fields)s.") % {
                    "section": title,
                    "fields": ", ".join(str(label) for label in missing),
                }
                problems.append(problem(message, url))
        problems.extend(self.questionnaire.problems(self))
        for document_type in self.missing_documents():
            problems.append(
                problem(
                    _("Missing document: %(name)s.") % {"name": document_type.name},
                    reverse("applications:upload", args=[pk, document_type.pk]),
                )
            )
        eligibility = reverse("applications:eligibility", args=[pk])
        if self.unanswered_questions():
            problems.append(problem(_("Answer every eligibility question."), eligibility))
        for question in self.failed_questions():
            message = _("Eligibility condition not met: %(question)s") % {"question": question.text}
            problems.append(problem(message, eligibility))
        for inconsistency in self.inconsistencies():
            if inconsistency.question is not None:
                url = eligibility
            else:
                url = section_of.get(inconsistency.field, "")
            problems.append(problem(inconsistency.message, url))
        return problems

    def changes_overdue(self, moment=None) -> bool:
        """A change request whose response deadline has passed: the dossier is locked until
        the officer extends the deadline or closes the request."""
        return (
            self.state == self.State.CHANGES_REQUESTED
            and self.changes_due_at is not None
            and to_the_second(moment) > self.changes_due_at
        )

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE and not self.changes_overdue()

    # State machine -------------------------------------------------------------------------
    # Each transition: source → target, who may (a rule of applications/rules.py), guard.

    # The moment a submission under way is judged at, set by ``services.submit``: its
    # deadline check, ``submitted_at``, its history and its receipt share one instant, so
    # that a dossier let in a millisecond before the deadline is not dated after it.
    judged_at = None

    def _is_complete(self) -> bool:
        return not self.submission_problems(self.judged_at)

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=rule("applications.submit_application"),
        conditions=[_is_complete],
    )
    def submit(self, by=None, comment=""):
        """The applicant submits the dossier before the deadline; its reference is frozen."""
        self.submitted_at = self.judged_at or timezone.now()
        self.declaration_confirmed_at = self.submitted_at
        if not self.reference:
            year = timezone.localtime(self.submitted_at).year
            prefix = self.call.programme.reference_prefix
            number = Counter.next(reference_counter(self.call.programme_id, year))
            self.reference = application_reference(prefix, year, number)

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.CHANGES_REQUESTED,
        permission=rule("applications.check_application"),
    )
    def request_changes(self, by=None, comment="", due_at=None):
        """The officer asks for changes, with a message and a response deadline; the
        answers are kept as they stand, to show the officer what changed since."""
        self.changes_message = comment
        self.changes_due_at = due_at
        self.changes_snapshot = self.answers_snapshot()
        self.changes_response = ""

    @transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.SUBMITTED,
        permission=rule("applications.submit_application"),
        conditions=[_is_complete],
    )
    def resubmit(self, by=None, comment=""):
        """The applicant answers the change request before its deadline, in words too."""
        self.declaration_confirmed_at = self.judged_at or timezone.now()
        self.changes_message, self.changes_due_at = "", None
        self.changes_response = comment

    @transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.CHANGES_REQUESTED,
        permission=rule("applications.check_application"),
    )
    def extend_changes_deadline(self, by=None, comment="", due_at=None):
        """The officer gives the applicant more time to answer the change request."""
        self.changes_due_at = due_at

    @transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.SUBMITTED,
        permission=rule("applications.check_application"),
    )
    def close_change_request(self, by=None, comment=""):
        """The officer closes an unanswered change request, with a reason: the dossier goes
        on with its content as it stands."""
        self.changes_message, self.changes_due_at = "", None

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED],
        target=State.WITHDRAWN,
        permission=rule("applications.withdraw_application"),
    )
    def withdraw(self, by=None, comment=""):
        """The applicant withdraws the dossier; this is final."""
        self.withdrawal_reason = comment

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.INADMISSIBLE,
        permission=rule("applications.check_application"),
    )
    def declare_inadmissible(self, by=None, comment=""):
        """The officer declares the dossier inadmissible, with a reason; this is final."""
        self.inadmissibility_reason = comment
        self.admissibility_decided_at = timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.ADMISSIBLE,
        permission=rule("applications.check_application"),
    )
    def declare_admissible(self, by=None, comment=""):
        """The officer declares the dossier admissible once the checklist is complete."""
        self.admissibility_decided_at = timezone.now()

    # Review, jury and decision: the review app checks the guards (assignments, scores,
    # thresholds) before it runs these transitions through portal.transitions.perform.

    @transition(
        field=state,
        source=State.ADMISSIBLE,
        target=State.IN_REVIEW,
        custom=SYSTEM,
    )
    def start_review(self, by=None, comment=""):
        """Enough reviewers accepted, without conflict: the review starts."""

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.REVIEWED,
        custom=SYSTEM,
    )
    def complete_review(self, by=None, comment=""):
        """Every accepted reviewer has submitted their review."""

    @transition(
        field=state,
        source=State.REVIEWED,
        target=State.SHORTLISTED,
        permission=rule("applications.check_application"),
    )
    def shortlist(self, by=None, comment=""):
        """The jury shortlists the dossier: its applicant is heard before the final proposal
        (calls with a shortlist only)."""

    @transition(
        field=state,
        source=[State.REVIEWED, State.SHORTLISTED],
        target=State.PROPOSED,
        permission=rule("applications.check_application"),
    )
    def propose(self, by=None, comment=""):
        """The jury proposes the dossier for funding (among the shortlisted, on a call with
        a shortlist)."""

    @transition(
        field=state,
        source=[State.REVIEWED, State.SHORTLISTED],
        target=State.NOT_PROPOSED,
        permission=rule("applications.check_application"),
    )
    def not_propose(self, by=None, comment=""):
        """The jury does not propose the dossier."""

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.GRANTED,
        permission=rule("applications.decide_application"),
    )
    def grant(self, by=None, comment=""):
        """The minister grants the dossier; the label follows (signal ``application_granted``)."""

    @transition(
        field=state,
        source=[State.PROPOSED, State.NOT_PROPOSED],
        target=State.REFUSED,
        permission=rule("applications.decide_application"),
    )
    def refuse(self, by=None, comment=""):
        """The minister refuses the dossier, with a reason; final, but for an upheld complaint."""

    @transition(
        field=state,
        source=State.REFUSED,
        target=State.ADMISSIBLE,
        permission=rule("applications.reopen_application"),
    )
    def reopen_review(self, by=None, comment=""):
        """A complaint against the evaluation is upheld: new reviewers evaluate the dossier
        again (review.redress keeps the earlier evaluation)."""

    @transition(
        field=state,
        source=State.INADMISSIBLE,
        target=State.SUBMITTED,
        permission=rule("applications.reopen_application"),
    )
    def readmit(self, by=None, comment=""):
        """A complaint against the inadmissibility is upheld: the admissibility is checked
        again."""


class EligibilityAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_answers"
    )
    question = models.ForeignKey(
        EligibilityQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.BooleanField(_("answer"))

    class Meta:
        verbose_name = _("eligibility answer")
        verbose_name_plural = _("eligibility answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"


def document_path(document: "Document", filename: str) -> str:
    """A random name under the dossier's folder: stored names never come from users."""
    return f"applications/{document.application_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Document(models.Model):
    """A supporting document; stored privately, served only through a checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["document_type__position", "document_type_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document_type"], name="one_document_per_type"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("applications:document", args=[self.application_id, self.pk])


class AdmissibilityCheck(models.Model):
    """The officer's checklist behind an admissibility decision."""

    POINTS = (
        "documents_complete",
        "applicant_eligible",
        "eligibility_confirmed",
        "budget_within_limits",
    )

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="admissibility_check"
    )
    documents_complete = models.BooleanField(_("the supporting documents are complete and legible"))
    applicant_eligible = models.BooleanField(_("the applicant is eligible for this call"))
    eligibility_confirmed = models.BooleanField(_("the eligibility answers are confirmed"))
    budget_within_limits = models.BooleanField(_("the requested amount respects the call's limits"))
    note = textlimits.LimitedTextField(
        _("internal note"), blank=True, max_length=textlimits.COMMENT
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("admissibility check")
        verbose_name_plural = _("admissibility checks")

    def __str__(self) -> str:
        return f"{self.application}"


def receipt_path(receipt: "Receipt", filename: str) -> str:
    return f"receipts/{receipt.application_id}/{uuid.uuid4().hex}.pdf"


class Receipt(models.Model):
    """The acknowledgement of receipt of one submission, kept as issued; numbered from 1 for
    each dossier, so a resubmission's receipt reads "no. 2"."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="receipts")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    file = models.FileField(upload_to=receipt_path, max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement of receipt")
        verbose_name_plural = _("acknowledgements of receipt")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.application} — {self.issued_at:%Y-%m-%d %H:%M}"


def letter_path(letter: "Letter", filename: str) -> str:
    return f"letters/{letter.application_id}/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """A letter sent about a dossier (inadmissibility, later the decision), kept as issued."""

    class Kind(models.TextChoices):
        INADMISSIBILITY = "inadmissibility", _("inadmissibility letter")
        DECISION = "decision", _("decision letter")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=letter_path, max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    # The first time a member of the applicant organisation downloaded it in the portal.
    opened_at = models.DateTimeField(_("opened on"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.application}"

    @property
    def notified_on(self):
        """The Brussels date the letter counts as notified (portal/deadlines.py)."""
        from portal.deadlines import deemed_notified

        return deemed_notified(self.issued_at, self.opened_at)


# The call's application form, as data (kept in their own module, registered here).
from applications.callforms import (  # noqa: E402, F401
    FormChange,
    FormRule,
    FormSection,
    Option,
    Question,
    TableColumn,
)

# What the portal says, as a programme words it, and its mailings (their own module).
from applications.messagemodels import (  # noqa: E402, F401
    Mailing,
    MailingEntry,
    MessageTemplate,
    MessageTemplateChange,
)
