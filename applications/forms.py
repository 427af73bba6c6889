import copy

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import wordings
from applications.models import (
    AdmissibilityCheck,
    Application,
    Call,
    DocumentType,
    EligibilityQuestion,
    Programme,
    Question,
)
from portal import textlimits, translations
from portal.fields import formfield as decimal_formfield
from portal.forms import LocalityFormMixin, https_by_default
from portal.translations import columns
from portal.uploads import accepted_labels


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; values are read and shown in Brussels time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M:%S")


class TranslatedFieldsForm(forms.ModelForm):
    """A model form whose translated fields (one per language) say their language and,
    when the French is written, whether they are translated yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations.label_fields(self)


class ProgrammeForm(TranslatedFieldsForm):
    class Meta:
        model = Programme
        fields = [
            *columns("name"),
            "slug",
            "reference_prefix",
            "managing_agency",
            "funding_body",
            "funder_identifier",
            *columns("label_name"),
            *columns("description"),
            "signatory_name",
            "signatory_function",
            "letter_place",
            *columns("legal_basis"),
            *columns("redress_body"),
        ]


class CallForm(TranslatedFieldsForm):
    class Meta:
        model = Call
        formfield_callback = decimal_formfield
        fields = [
            *columns("title"),
            "slug",
            *columns("summary"),
            *columns("rules"),
            *columns("legal_basis"),
            "opens_at",
            "closes_at",
            "budget",
            "max_amount",
            "reviews_per_dossier",
            "half_points",
            "disagreement_tolerance",
            "reviewer_cap",
            "shortlist_with_hearings",
            "label_validity_months",
            "is_published",
        ]
        widgets = {
            "opens_at": DateTimeInput(attrs={"step": 1}),
            "closes_at": DateTimeInput(attrs={"step": 1}),
        }

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The deadline must come after the opening."))
        budget, max_amount = cleaned.get("budget"), cleaned.get("max_amount")
        if budget is not None and max_amount is not None and max_amount > budget:
            self.add_error("max_amount", _("The maximum per application cannot exceed the budget."))
        return cleaned


class InUseFormSet(forms.BaseInlineFormSet):
    """Rows that dossiers already use (documents uploaded, questions answered) stay."""

    used_through: str

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and getattr(form.instance, self.used_through).exists():
                form.add_error(
                    None,
                    _("“%(name)s” is already used by applications and cannot be removed.")
                    % {"name": form.instance},
                )
                raise forms.ValidationError(
                    _("Rows used by applications cannot be removed."), code="in_use"
                )


class DocumentTypeFormSetBase(InUseFormSet):
    used_through = "documents"


class EligibilityQuestionForm(TranslatedFieldsForm):
    """An eligibility question; a question about a figure names one of the number questions
    of the call's form (``figures``: their codes and labels)."""

    def __init__(self, *args, figures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"] = forms.ChoiceField(
            label=_("Figure checked"),
            choices=[("", "—"), *figures],
            required=False,
            help_text=_(
                "For a question about a figure of the application, e.g. “at least 20 "
                "workstations”: the form's question that gives it, and its minimum."
            ),
        )


class EligibilityQuestionFormSetBase(InUseFormSet):
    used_through = "answers"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        numbers = call.questions.filter(kind__in=Question.NUMBERS) if call.pk else []
        self.form_kwargs["figures"] = [(q.code, q.label) for q in numbers]


DocumentTypeFormSet = inlineformset_factory(
    Call,
    DocumentType,
    form=TranslatedFieldsForm,
    formset=DocumentTypeFormSetBase,
    fields=[*columns("name"), *columns("help_text"), "required", "position"],
    extra=2,
    can_delete=True,
)
EligibilityQuestionFormSet = inlineformset_factory(
    Call,
    EligibilityQuestion,
    form=EligibilityQuestionForm,
    formset=EligibilityQuestionFormSetBase,
    fields=[*columns("text"), "figure", "minimum", "position"],
    extra=2,
    can_delete=True,
)


class SectionForm(LocalityFormMixin, forms.ModelForm):
    """One section of the dossier. Drafts may be incomplete: nothing is required here,
    completeness is checked on submission; values are still validated, and so is what they
    say against the rest of the dossier (``Application.inconsistencies``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        cleaned = super().clean()
        self.clean_locality()
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            if name != "services":
                setattr(candidate, name, value)
        for inconsistency in candidate.inconsistencies():
            if inconsistency.field in self.fields and inconsistency.field not in self.errors:
                self.add_error(inconsistency.field, inconsistency.message)
        return cleaned


def section_form(section: str) -> type[SectionForm]:
    names = Application.SECTIONS[section][1]
    widgets = {
        "services": forms.CheckboxSelectMultiple,
        "summary": forms.Textarea(attrs={"rows": 6}),
    }
    return forms.modelform_factory(
        Application,
        form=SectionForm,
        fields=names,
        widgets={name: widget for name, widget in widgets.items() if name in names},
        formfield_callback=https_by_default,
    )


class StartApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation applying"), queryset=None, empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Accepted: %(types)s; at most %(size)s.") % {
            "types": accepted_labels(),
            "size": filesizeformat(settings.DOCUMENT_MAX_SIZE),
        }


class EligibilityForm(forms.Form):
    """One yes/no radio group per question of the call."""

    CHOICES = [("yes", _("Yes")), ("no", _("No"))]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.questions = list(application.call.eligibility_questions.all())
        answers = {a.question_id: a.answer for a in application.eligibility_answers.all()}
        for question in self.questions:
            initial = answers.get(question.pk)
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=None if initial is None else ("yes" if initial else "no"),
            )

    def answers(self) -> dict:
        return {
            question: self.cleaned_data[f"question_{question.pk}"] == "yes"
            for question in self.questions
            if self.cleaned_data.get(f"question_{question.pk}")
        }

    def clean(self):
        cleaned = super().clean()
        for inconsistency in self.application.inconsistencies(self.answers()):
            if inconsistency.question is not None:
                self.add_error(f"question_{inconsistency.question.pk}", inconsistency.message)
        return cleaned


class SubmitForm(forms.Form):
    """The declaration on honour; on a resubmission, also the answer to the agency."""

    response = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Your answer to the agency"),
        help_text=_("Say what you changed or added, or answer the agency's questions."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    declaration = forms.BooleanField(
        label=_(
            "I declare on my honour that the information in this application is true and "
            "complete, and that I am authorised to submit it on behalf of the organisation."
        )
    )

    def __init__(self, *args, resubmission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not resubmission:
            del self.fields["response"]


class WithdrawForm(forms.Form):
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(label=_("I understand that withdrawing is final."))


class RequestChangesForm(forms.Form):
    message = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("What must the applicant change or add?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    due_at = forms.DateTimeField(
        label=_("Response deadline"),
        help_text=_("Brussels time."),
        widget=DateTimeInput(attrs={"step": 1}),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now():
            raise forms.ValidationError(_("The response deadline must be in the future."))
        return due_at


class ExtendDeadlineForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("New response deadline"),
        help_text=_("Brussels time. The applicant may change the application again until then."),
        widget=DateTimeInput(attrs={"step": 1}),
    )
    note = forms.CharField(
        label=_("Note for the applicant (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now():
            raise forms.ValidationError(_("The response deadline must be in the future."))
        return due_at


class CloseChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close the change request?"),
        help_text=_(
            "Sent to the applicant. The application is then submitted again as it stands and "
            "continues its course."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdmissibleForm(forms.ModelForm):
    class Meta:
        model = AdmissibilityCheck
        fields = [
            "documents_complete",
            "applicant_eligible",
            "eligibility_confirmed",
            "budget_within_limits",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:-1]:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "Every point of the checklist must be verified."
            )


class InadmissibleForm(forms.Form):
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Reason for inadmissibility"),
        help_text=_("Quoted in the letter sent to the applicant."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class WordingForm(forms.Form):
    """A message's wording in every language, and the dossier its preview shows."""

    def __init__(self, data=None, *, message, current: dict, dossiers=()):
        super().__init__(data)
        self.message = message
        self.languages = list(current)
        names = dict(settings.LANGUAGES)
        for language, wording in current.items():
            name = names[language]
            self.fields[wordings.field_name(language, "subject")] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                initial=wording["subject"],
                required=False,
                max_length=300,
            )
            self.fields[wordings.field_name(language, "body")] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                initial=wording["body"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 14, "lang": language, "spellcheck": "true"}),
            )
        self.fields["dossier"] = forms.ModelChoiceField(
            label=_("Preview with the dossier"),
            queryset=Application.objects.filter(pk__in=[d.pk for d in dossiers]),
            required=False,
            empty_label=None if dossiers else "—",
        )
        self.fields["dossier"].choices = [
            (d.pk, f"{d.reference} — {d.project_title or d.organisation}") for d in dossiers
        ] or [("", "—")]

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            language: (
                self.cleaned_data[wordings.field_name(language, "subject")],
                self.cleaned_data[wordings.field_name(language, "body")],
            )
            for language in self.languages
        }

    def language_fields(self):
        """Per language: its name, subject field and text field, for the template."""
        names = dict(settings.LANGUAGES)
        return [
            (
                language,
                names[language],
                self[wordings.field_name(language, "subject")],
                self[wordings.field_name(language, "body")],
            )
            for language in self.languages
        ]
