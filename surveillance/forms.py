from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications.callforms import Question
from portal import textlimits, translations
from portal.uploads import accepted_labels, validate_upload
from reporting.models import Indicator
from surveillance.models import Condition

# Which kinds use each field besides the label and grace period, said in its help text:
# without JavaScript the form shows every field.
USED_BY = {
    "question_code": _("For the kinds “Dossier: …”: a number question, or a yes/no question."),
    "threshold": _(
        "For “an answer at least a figure” and the kinds on an indicator: the smallest value "
        "that meets the condition."
    ),
    "indicator": _("For the kinds “Reports: … indicator …”: one of the programme's numbers."),
    "periods": _("For “an indicator at least a figure in each of the last periods”: how many."),
    "document_fr": _("For “Evidence document”: the document asked, e.g. an insurance certificate."),
    **{
        f"document_{code}": _("For “Evidence document”: the document asked, in this language.")
        for code in translations.TARGETS
    },
}
# The translations of the document asked go with the French.
DOCUMENT_TRANSLATIONS = tuple(f"document_{code}" for code in translations.TARGETS)
FIELD_OF_KIND_ERROR = _("This kind of condition needs it.")


def _upload_help() -> str:
    return _("Accepted: %(types)s; at most %(size)s.") % {
        "types": accepted_labels(),
        "size": filesizeformat(settings.DOCUMENT_MAX_SIZE),
    }


class ConditionForm(forms.ModelForm):
    """A programme's condition: the fields its kind needs (``Condition.NEEDS``) are required,
    the others are emptied. The question is one of the programme's calls' number or yes/no
    questions; the indicator, one of its numeric indicators. Once the condition has cases,
    its kind no longer changes (its cases would change meaning)."""

    question_code = forms.ChoiceField(label=_("Question"), required=False)

    class Meta:
        model = Condition
        fields = [
            "kind",
            *translations.columns("label"),
            "grace_days",
            "question_code",
            "threshold",
            "indicator",
            "periods",
            *translations.columns("document"),
        ]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.questions = {}
        for question in (
            Question.objects.filter(
                call__programme=programme, kind__in=(*Question.NUMBERS, Question.Kind.YES_NO)
            )
            .select_related("call")
            .order_by("code", "-call__opens_at")
        ):
            self.questions.setdefault(question.code, question)
        self.fields["question_code"].choices = [("", "—")] + [
            (code, f"{question.label} ({code})") for code, question in self.questions.items()
        ]
        self.fields["indicator"].queryset = Indicator.objects.filter(
            programme=programme, kind__in=Indicator.NUMBERS
        ).order_by("position", "pk")
        for name, words in USED_BY.items():
            self.fields[name].help_text = words
        translations.label_fields(self)
        if self.instance.pk and (
            self.instance.non_conformities.exists() or self.instance.evidence.exists()
        ):
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "This condition has cases: its kind can no longer change. Retire it and add "
                "another one instead."
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        needs = Condition.NEEDS[Condition.Kind(kind)]
        for name in USED_BY:
            if name in needs:
                if data.get(name) in (None, ""):
                    self.add_error(name, FIELD_OF_KIND_ERROR)
            elif name not in DOCUMENT_TRANSLATIONS or "document_fr" not in needs:
                data[name] = None if name in ("threshold", "indicator", "periods") else ""
        code = data.get("question_code")
        if code and kind in (Condition.Kind.ANSWER_AT_LEAST, Condition.Kind.ANSWER_YES):
            question = self.questions.get(code)
            wanted = (
                Question.NUMBERS
                if kind == Condition.Kind.ANSWER_AT_LEAST
                else (Question.Kind.YES_NO,)
            )
            if question is None or question.kind not in wanted:
                self.add_error(
                    "question_code",
                    _("Choose a number question for this kind.")
                    if kind == Condition.Kind.ANSWER_AT_LEAST
                    else _("Choose a yes/no question for this kind."),
                )
        return data

    def _post_clean(self):
        # The emptied fields go onto the instance too.
        super()._post_clean()
        for name in ("question_code", "threshold", "indicator", "periods", "document_fr"):
            # (The translations of an emptied French document are emptied with it.)
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class CommentForm(forms.Form):
    """An officer's words on a step (resolving a case, a sanction)."""

    comment = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Comment for the holder"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    """The holder's answer to a case: a comment, a document, or both."""

    comment = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("What you did"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=_("Document (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("comment", "").strip() and not data.get("file"):
            self.add_error("comment", _("Write a comment or attach a document."))
        return data


class EvidenceForm(forms.Form):
    """An evidence document for one of the programme's evidence conditions."""

    condition = forms.ModelChoiceField(
        label=_("Document asked"), queryset=Condition.objects.none(), empty_label=None
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = conditions
        self.fields["condition"].label_from_instance = lambda condition: condition.document
        self.fields["file"].help_text = _upload_help()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class VisitorReportForm(forms.Form):
    """What a visitor reports about a labelled space, without an account. ``website`` is a
    trap for robots: hidden to people, a robot fills it in and its report is dropped."""

    MIN_LENGTH, MAX_LENGTH = 20, 2_000

    message = forms.CharField(
        label=_("What is wrong?"),
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Between 20 and 2,000 characters. Describe what you saw and when; the programme's "
            "officers read it and may ask the space to put it right."
        ),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Only if you agree to be contacted about your report."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class DismissForm(forms.Form):
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Why is it dismissed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(forms.Form):
    """Opening a non-conformity from a visitor report."""

    summary = textlimits.LimitedText(
        limit=textlimits.SUMMARY,
        label=_("What is wrong, for the holder"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    grace_days = forms.IntegerField(
        label=_("Days to put it right"), min_value=1, max_value=365, initial=30
    )
