"""The application form of a call, as data: sections, questions of a closed set of kinds,
the options of choice questions, the columns of table questions and a closed set of rules
(a table's total equals an amount, a category's share of a table at most a percentage, a
question required if another is answered yes).

A dossier's answers live in one JSON column, ``Application.answers``, under each question's
stable ``code`` (see ``applications.questionnaire`` for what each kind stores). The form may
change freely until a dossier has been started; after that, only changes that keep every
saved answer valid are accepted (``applications.formbuilder``), and every change is kept in
the call's history (``FormChange``) with the definition as it then stood.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import textlimits

code_help = _(
    "A short stable name (letters, digits, hyphens, underscores): the key of the answers "
    "in exports and the API. It cannot change once applications answer the question."
)

# A question's code is a key of ``Application.answers``, read in SQL by key transforms: it
# must start with a letter (digits alone would read as an array index) and may not hold a
# double underscore (which would read as a path of keys).
validate_question_code = RegexValidator(
    r"^[a-z](?:[a-z0-9]|[-_](?=[a-z0-9]))*$",
    _(
        "Start with a lowercase letter; then use lowercase letters, digits, and single "
        "hyphens or underscores between them."
    ),
    code="invalid_code",
)


class FormSection(models.Model):
    """A page of a call's application form, saved on its own by the applicant."""

    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="form_sections"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Per language (translation.py): title_fr, title_de, title_nl, title_en, and so on.
    title = models.CharField(_("title"), max_length=200)
    intro = textlimits.LimitedTextField(_("introduction"), blank=True, max_length=textlimits.LONG)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a call's form. Its ``kind`` says what the answer is and which of
    the constraints below apply."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        INTEGER = "integer", _("whole number")
        DECIMAL = "decimal", _("decimal number")
        AMOUNT = "amount", _("amount in EUR")
        PERCENTAGE = "percentage", _("percentage")
        DATE = "date", _("date")
        YES_NO = "yes_no", _("yes or no")
        CHOICE = "choice", _("one choice")
        CHOICES = "choices", _("several choices")
        EMAIL = "email", _("email address")
        URL = "url", _("web address")
        POSTCODE = "postcode", _("Belgian postcode")
        TABLE = "table", _("table")

    NUMBERS = (Kind.INTEGER, Kind.DECIMAL, Kind.AMOUNT, Kind.PERCENTAGE)
    TEXTS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    WITH_OPTIONS = (Kind.CHOICE, Kind.CHOICES)

    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"), max_length=40, help_text=code_help, validators=[validate_question_code]
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    help = textlimits.LimitedTextField(_("help"), blank=True, max_length=textlimits.SHORT)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("maximum length (characters)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Short text only."),
    )
    max_words = models.PositiveIntegerField(
        _("maximum length (words)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Long text only."),
    )
    min_value = models.DecimalField(
        _("minimum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers, amounts and percentages."),
    )
    max_value = models.DecimalField(
        _("maximum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers, amounts and percentages."),
    )

    class Directory(models.TextChoices):
        """What an answer gives to the card of the labelled space in the public directory
        (``labels.services.issue_label`` copies it when the label is issued)."""

        CAPACITY = "capacity", _("the space's capacity (workstations)")
        OPENING_HOURS = "opening_hours", _("the space's opening hours")
        SERVICES = "services", _("the services the space offers")

    # The kinds that may give each part of the directory card.
    DIRECTORY_KINDS = {
        Directory.CAPACITY: (Kind.INTEGER,),
        Directory.OPENING_HOURS: (Kind.SHORT_TEXT, Kind.LONG_TEXT),
        Directory.SERVICES: (Kind.CHOICES,),
    }

    directory = models.CharField(
        _("in the directory"),
        max_length=20,
        choices=Directory.choices,
        blank=True,
        help_text=_(
            "The part of a labelled space's card in the public directory that this answer "
            "fills (at most one question of the call for each)."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "section_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="one_question_code_per_call"),
            models.UniqueConstraint(
                fields=["call", "directory"],
                condition=~Q(directory=""),
                name="one_question_per_directory_part",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        allowed = self.DIRECTORY_KINDS.get(self.directory)
        if allowed and self.kind not in allowed:
            raise ValidationError(
                {
                    "directory": _(
                        "This part of the directory card takes a question of type %(kinds)s."
                    )
                    % {"kinds": ", ".join(str(self.Kind(kind).label) for kind in allowed)}
                }
            )

    # A short text without its own maximum length takes this one.
    SHORT_TEXT_LIMIT = 300

    @property
    def text_limit(self) -> int:
        """The most characters a short text answer may have."""
        return self.max_length or self.SHORT_TEXT_LIMIT

    @property
    def is_number(self) -> bool:
        return self.kind in self.NUMBERS

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The allowed range of a number: its own, within 0 and 100 for a percentage."""
        low, high = self.min_value, self.max_value
        if self.kind == self.Kind.PERCENTAGE:
            low = max(low, Decimal(0)) if low is not None else Decimal(0)
            high = min(high, Decimal(100)) if high is not None else Decimal(100)
        return low, high


class TableColumn(models.Model):
    """A column of a table question: each row of the answer has one typed cell per column.
    The table's total is the sum of its ``summed`` column."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        INTEGER = "integer", _("whole number")
        AMOUNT = "amount", _("amount in EUR")
        CHOICE = "choice", _("one choice")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="columns")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40, help_text=code_help)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("heading"), max_length=200)
    summed = models.BooleanField(
        _("gives the total"),
        default=False,
        help_text=_("An amount column whose sum is the table's total (one per table)."),
    )

    class Meta:
        verbose_name = _("table column")
        verbose_name_plural = _("table columns")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="one_column_code"),
            models.UniqueConstraint(
                fields=["question"], condition=Q(summed=True), name="one_summed_column"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Option(models.Model):
    """A choice offered by a choice question or a choice column, under a stable code."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="options"
    )
    column = models.ForeignKey(
        TableColumn, on_delete=models.CASCADE, null=True, blank=True, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40, help_text=code_help)
    label = models.CharField(pgettext_lazy("the words shown for an item", "label"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=True) ^ Q(column__isnull=True),
                name="option_of_question_or_column",
            ),
            models.UniqueConstraint(fields=["question", "code"], name="one_option_code"),
            models.UniqueConstraint(fields=["column", "code"], name="one_column_option_code"),
        ]

    def __str__(self) -> str:
        return self.label


class FormRule(models.Model):
    """A rule between answers, of a closed set of kinds (no expression language):

    - *total equals*: the total of table ``question`` equals the amount of question
      ``other`` or of the dossier's core amount ``core_field``;
    - *share at most*: in table ``question``, the rows whose ``column`` is ``option_code``
      make at most ``percent`` % of the total (the rural call's equipment rule);
    - *required if yes*: ``question`` must be answered when yes/no question ``other`` is yes.
    """

    class Kind(models.TextChoices):
        TOTAL_EQUALS = "total_equals", _("the table's total equals an amount")
        SHARE_AT_MOST = "share_at_most", _("a category's share of the table is at most")
        REQUIRED_IF_YES = "required_if_yes", _("required if another question is answered yes")

    CORE_AMOUNTS = [
        ("total_cost", _("total cost of the project")),
        ("requested_amount", _("requested amount")),
    ]

    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="form_rules"
    )
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("question"),
        help_text=_("The table (total, share) or the question that becomes required."),
    )
    other = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other question"),
        help_text=_("The amount the total must equal, or the yes/no question."),
    )
    core_field = models.CharField(
        _("core amount"),
        max_length=20,
        blank=True,
        choices=CORE_AMOUNTS,
        help_text=_("Or the dossier's amount the total must equal."),
    )
    column = models.ForeignKey(
        TableColumn,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category column"),
    )
    option_code = models.SlugField(_("category"), max_length=40, blank=True)
    percent = models.DecimalField(
        _("at most (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("form rule")
        verbose_name_plural = _("form rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.question}"


class FormChange(models.Model):
    """One change of a call's form, numbered: the call's history of its form, with the
    definition as it stood after the change (``applications.formbuilder.definition``)."""

    class Kind(models.TextChoices):
        STRUCTURE = "structure", _("structure")
        WORDING = "wording", _("wording")

    call = models.ForeignKey(
        "applications.Call", on_delete=models.CASCADE, related_name="form_changes"
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("change"), max_length=500)
    definition = models.JSONField(_("form after the change"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(_("made on"), default=timezone.now)

    class Meta:
        verbose_name = _("form change")
        verbose_name_plural = _("form changes")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="one_form_version"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} — {self.summary}"
