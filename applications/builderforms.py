"""The officer's forms for building a call's application form (``views.formbuilder``):
one form per part (section, question, option, table column, rule). Each refuses what
cannot make sense for the part's kind, so that the form an applicant meets is coherent;
whether a change is still allowed on a call with dossiers is ``formbuilder.save_part``'s
decision, not theirs.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from applications.callforms import FormRule, FormSection, Option, Question, TableColumn
from applications.forms import CallForm
from applications.models import Call
from portal import translations
from portal.fields import formfield as decimal_formfield
from portal.translations import columns

KIND = Question.Kind

# The constraints that apply to each kind of question (the others must stay empty).
CONSTRAINTS = {
    "max_length": (KIND.SHORT_TEXT,),
    "max_words": (KIND.LONG_TEXT,),
    "min_value": Question.NUMBERS,
    "max_value": Question.NUMBERS,
}


# The order of the labels on an option's line: French, then the languages added later, so
# that lines typed before German and Dutch read the same.
OPTION_LANGUAGES = ("fr", "en", "de", "nl")


def parse_options(text: str) -> list[Option]:
    """Options typed one per line as ``code | French | English | German | Dutch`` (the
    translations may be left out; a line without code gets one made from its French label)."""
    options, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            parts = [slugify(parts[0])[:40], parts[0]]
        code, *labels = [*parts, "", "", "", ""][: 1 + len(OPTION_LANGUAGES)]
        if not code or not labels[0] or code != slugify(code) or len(code) > 40:
            raise forms.ValidationError(
                _(
                    "Line %(number)s: write “code | French | English | German | Dutch”, the "
                    "code in lowercase letters, digits and hyphens."
                )
                % {"number": number}
            )
        if code in seen:
            raise forms.ValidationError(
                _("Line %(number)s: the code “%(code)s” is already used above.")
                % {"number": number, "code": code}
            )
        seen.add(code)
        options.append(
            Option(
                code=code,
                **{
                    f"label_{language}": label
                    for language, label in zip(OPTION_LANGUAGES, labels, strict=True)
                },
            )
        )
    return options


def option_line(code: str, labels: dict) -> str:
    """An option as the officer types it: ``code | French | English | German | Dutch``,
    without the empty translations at the end."""
    parts = [code, *(labels.get(f"label_{language}") or "" for language in OPTION_LANGUAGES)]
    while len(parts) > 2 and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


OPTIONS_HELP = _(
    "One per line: code | French | English | German | Dutch (the translations may be left "
    "out), e.g. “equipment | Équipement | Equipment | Ausstattung | Uitrusting”. The code is "
    "the answer's stable value in exports."
)


def textareas(*names: str, rows: int) -> dict:
    """Text areas for every language of the translated fields ``names``."""
    return {
        column: forms.Textarea(attrs={"rows": rows})
        for name in names
        for column in translations.columns(name)
    }


class TranslatedForm(forms.ModelForm):
    """A model form whose translated fields say their language, and which of them are not
    translated yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations.label_fields(self)


class SectionForm(TranslatedForm):
    class Meta:
        model = FormSection
        fields = [*translations.columns("title"), *translations.columns("intro"), "position"]
        widgets = textareas("intro", rows=3)


class QuestionForm(TranslatedForm):
    """A question with every constraint field; those that do not apply to its kind are
    refused rather than silently ignored. A new choice question comes with its options."""

    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=OPTIONS_HELP,
    )

    class Meta:
        model = Question
        formfield_callback = decimal_formfield
        fields = [
            "section",
            "position",
            "code",
            "kind",
            *translations.columns("label"),
            *translations.columns("help"),
            "required",
            "max_length",
            "max_words",
            "min_value",
            "max_value",
            "directory",
        ]
        widgets = textareas("help", rows=2)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["section"].queryset = call.form_sections.order_by("position", "pk")
        self.fields["section"].empty_label = None
        self.new_options: list[Option] = []
        if self.instance.pk:
            del self.fields["options"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.call.questions.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another question of this call already uses this code."), code="unique"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        label = Question.Kind(kind).label
        for name, kinds in CONSTRAINTS.items():
            if cleaned.get(name) is not None and kind not in kinds:
                self.add_error(
                    name,
                    _("This constraint does not apply to a question of type “%(kind)s”.")
                    % {"kind": label},
                )
        if self.instance.pk and kind != self.instance.kind:
            if kind not in Question.WITH_OPTIONS and self.instance.options.exists():
                self.add_error("kind", _("Remove the question's options first."))
            if kind != KIND.TABLE and self.instance.columns.exists():
                self.add_error("kind", _("Remove the table's columns first."))
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum cannot be lower than the minimum."))
        if kind == KIND.PERCENTAGE:
            for name in ("min_value", "max_value"):
                value = cleaned.get(name)
                if value is not None and not 0 <= value <= 100 and name not in self.errors:
                    self.add_error(name, _("A percentage lies between 0 and 100."))
        if "options" in self.fields:
            try:
                self.new_options = parse_options(cleaned.get("options", ""))
            except forms.ValidationError as error:
                self.add_error("options", error)
                return cleaned
            if kind in Question.WITH_OPTIONS and not self.new_options:
                self.add_error("options", _("A choice question needs its options."))
            if self.new_options and kind not in Question.WITH_OPTIONS:
                self.add_error("options", _("Only choice questions have options."))
        return cleaned


class OptionForm(TranslatedForm):
    class Meta:
        model = Option
        fields = ["code", *translations.columns("label"), "position"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        owner = {"question": self.instance.question_id, "column": self.instance.column_id}
        siblings = Option.objects.filter(**{k: v for k, v in owner.items() if v is not None})
        if siblings.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another option already uses this code."))
        return code


class ColumnForm(TranslatedForm):
    """A column of a table question; a new choice column comes with its options."""

    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=OPTIONS_HELP,
    )

    class Meta:
        model = TableColumn
        fields = ["code", "kind", *translations.columns("label"), "summed", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_options: list[Option] = []
        if self.instance.pk:
            del self.fields["options"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        columns = TableColumn.objects.filter(question=self.instance.question_id)
        if columns.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another column of this table already uses this code."))
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if cleaned.get("summed"):
            if kind and kind != TableColumn.Kind.AMOUNT:
                self.add_error("summed", _("Only an amount column can give the total."))
            others = TableColumn.objects.filter(question=self.instance.question_id, summed=True)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("summed", _("Another column already gives this table's total."))
        if "options" in self.fields and kind:
            try:
                self.new_options = parse_options(cleaned.get("options", ""))
            except forms.ValidationError as error:
                self.add_error("options", error)
                return cleaned
            if kind == TableColumn.Kind.CHOICE and not self.new_options:
                self.add_error("options", _("A choice column needs its options."))
            if self.new_options and kind != TableColumn.Kind.CHOICE:
                self.add_error("options", _("Only choice columns have options."))
        return cleaned


class RuleForm(forms.ModelForm):
    """One rule of the closed set; each kind names exactly the parts it needs."""

    class Meta:
        model = FormRule
        formfield_callback = decimal_formfield
        fields = ["kind", "question", "other", "core_field", "column", "option_code", "percent"]

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = call.questions.order_by(
            "section__position", "position", "pk"
        )
        self.fields["other"].queryset = call.questions.filter(
            kind__in=[KIND.AMOUNT, KIND.YES_NO]
        ).order_by("section__position", "position", "pk")
        self.fields["column"].queryset = TableColumn.objects.filter(
            question__call=call, kind=TableColumn.Kind.CHOICE
        ).select_related("question")
        self.fields["column"].label_from_instance = lambda c: f"{c.question} — {c}"

    def clean(self):
        cleaned = super().clean()
        kind, question = cleaned.get("kind"), cleaned.get("question")
        if not kind or not question:
            return cleaned
        other, core_field = cleaned.get("other"), cleaned.get("core_field")
        column, option_code = cleaned.get("column"), cleaned.get("option_code")
        percent = cleaned.get("percent")
        unused = {
            "other": other,
            "core_field": core_field,
            "column": column,
            "option_code": option_code,
            "percent": percent,
        }
        if kind == FormRule.Kind.TOTAL_EQUALS:
            needed = ("other", "core_field")
            if question.kind != KIND.TABLE:
                self.add_error("question", _("Choose a table question."))
            elif not question.columns.filter(summed=True).exists():
                self.add_error("question", _("This table has no column giving its total."))
            if bool(other) == bool(core_field):
                self.add_error(
                    "other", _("Choose either an amount question or a core amount, not both.")
                )
            elif other and other.kind != KIND.AMOUNT:
                self.add_error("other", _("Choose an amount question."))
        elif kind == FormRule.Kind.SHARE_AT_MOST:
            needed = ("column", "option_code", "percent")
            if question.kind != KIND.TABLE:
                self.add_error("question", _("Choose a table question."))
            if column is None:
                self.add_error("column", _("Choose the table's choice column."))
            elif column.question_id != question.pk:
                self.add_error("column", _("This column belongs to another table."))
            elif not column.options.filter(code=option_code).exists():
                self.add_error(
                    "option_code",
                    _("Give the code of one of the column's options: %(codes)s.")
                    % {"codes": ", ".join(column.options.values_list("code", flat=True))},
                )
            if percent is None:
                self.add_error("percent", _("Give the percentage."))
        else:
            needed = ("other",)
            if other is None or other.kind != KIND.YES_NO:
                self.add_error("other", _("Choose a yes/no question."))
            elif other.pk == question.pk:
                self.add_error("other", _("A question cannot depend on itself."))
        for name, value in unused.items():
            if name not in needed and value not in (None, "") and name not in self.errors:
                self.add_error(name, _("This rule does not use this field; leave it empty."))
        return cleaned


class DuplicateCallForm(CallForm):
    """The next call made from another: what cannot be copied is asked again."""

    class Meta(CallForm.Meta):
        fields = [*columns("title"), "slug", "opens_at", "closes_at", "budget", "max_amount"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Call.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another call already uses this short name."), code="unique"
            )
        return slug

    def validate_unique(self):
        """The slug's uniqueness is checked above, with a message of our own."""
