from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.forms import InUseFormSet, TranslatedFieldsForm
from applications.models import Call
from portal import textlimits
from portal.fields import DecimalField, formfield
from portal.refusals import attach_problems
from portal.translations import columns
from review.models import Criterion, Review
from review.services import decision_problems


class CriterionFormSetBase(InUseFormSet):
    used_through = "scores"


CriterionFormSet = inlineformset_factory(
    Call,
    Criterion,
    form=TranslatedFieldsForm,
    formset=CriterionFormSetBase,
    fields=[
        "code",
        *columns("title"),
        *columns("guidance"),
        "weight",
        "max_score",
        "threshold",
        "position",
    ],
    formfield_callback=formfield,
    extra=2,
    can_delete=True,
)


class AssignForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    due_at = forms.DateTimeField(
        label=_("Review due on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, applications, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda user: (
            ngettext(
                "%(name)s (%(count)s open assignment)",
                "%(name)s (%(count)s open assignments)",
                user.workload,
            )
            % {"name": user, "count": user.workload}
        )


class AnswerForm(forms.Form):
    ACTIONS = [
        (
            "accept",
            _("I accept and declare that I have no conflict of interest with this applicant."),
        ),
        ("conflict", _("I have a conflict of interest.")),
        ("decline", _("I decline this assignment.")),
    ]
    action = forms.ChoiceField(label=_("Your answer"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you declare a conflict of interest."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "conflict" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Describe the conflict of interest."))
        return cleaned


class ReviewForm(forms.Form):
    """A score and a comment per criterion, then the overall assessment."""

    overall_comment = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", "—"), *Review.Recommendation.choices],
    )

    def __init__(self, *args, criteria, half_points: bool, scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        step = Decimal("0.5") if half_points else Decimal("1")
        fields = {}
        for criterion in self.criteria:
            value, comment = scores.get(criterion.pk, (None, ""))
            help_text = _("From 0 to %(max)s.") % {"max": floatformat(criterion.max_score, -1)}
            if criterion.threshold is not None:
                help_text += " " + _("Threshold: %(threshold)s (explain a lower score).") % {
                    "threshold": floatformat(criterion.threshold, -1)
                }
            if criterion.guidance:
                help_text = f"{criterion.guidance} {help_text}"
            fields[f"score_{criterion.pk}"] = DecimalField(
                label=criterion.title,
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                step_size=step,
                initial=value,
                help_text=help_text,
            )
            fields[f"comment_{criterion.pk}"] = textlimits.LimitedText(
                limit=textlimits.COMMENT,
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    def values(self) -> dict:
        return {
            criterion.pk: (
                self.cleaned_data.get(f"score_{criterion.pk}"),
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


class ProposalForm(forms.Form):
    proposed = forms.TypedChoiceField(
        label=_("Jury proposal"),
        choices=[("yes", _("Proposed for funding")), ("no", _("Not proposed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rationale = textlimits.LimitedText(
        limit=textlimits.COMMENT, label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    """The ministry's decision; the amount is checked against the request and the call's
    maximum here, so that the error sits next to the amount."""

    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("refuse", _("Refuse"))],
        coerce=lambda value: value == "grant",
        widget=forms.RadioSelect,
    )
    amount = DecimalField(
        label=_("Amount granted (EUR)"), required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Reason for refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        cleaned = super().clean()
        if self.application is not None and "decision" in cleaned and not self.errors:
            attach_problems(
                self,
                decision_problems(
                    self.application,
                    granted=cleaned["decision"],
                    amount=cleaned.get("amount"),
                    reason=cleaned.get("reason", ""),
                ),
            )
        return cleaned


class CloseJuryForm(forms.Form):
    members_present = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Members present"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line, as they appear in the minutes."),
    )


class ConsensusForm(ReviewForm):
    """The consensus: a score and a comment per criterion, then the overall comment (no
    recommendation: the jury makes it)."""

    recommendation = None
    overall_comment = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Overall comment of the consensus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RapporteurForm(forms.Form):
    """The dossier's rapporteur, among its reviewers who submitted a review."""

    rapporteur = forms.ModelChoiceField(label=_("Rapporteur"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = reviewers


class SendBackConsensusForm(forms.Form):
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("What to change"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShortlistForm(forms.Form):
    """The jury's choice on a reviewed dossier of a call with a shortlist."""

    shortlisted = forms.TypedChoiceField(
        label=_("Shortlist"),
        choices=[("yes", _("Shortlisted for a hearing")), ("no", _("Left off the shortlist"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rationale = textlimits.LimitedText(
        limit=textlimits.COMMENT, label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2})
    )


class HearingForm(forms.Form):
    """When and where the applicant is heard: typed in Brussels time."""

    starts_at = forms.DateTimeField(
        label=_("Date and time (Brussels time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("The address, for a hearing in person."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a hearing by video call; a place, a link or both."),
    )


class HearingRecordForm(forms.Form):
    """What happened at the hearing: the applicant came (notes required) or not."""

    attended = forms.TypedChoiceField(
        label=_("The applicant"),
        choices=[("yes", _("attended the hearing")), ("no", _("did not come"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = textlimits.LimitedText(
        limit=textlimits.LONG,
        label=_("Notes of the hearing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required when the applicant attended."),
    )


class SuggestedAssignmentsForm(forms.Form):
    """The officer's choice among the suggested assignments of ``review.pool.plan``: per
    dossier, the suggested reviewers kept (``reviewers_<pk>``, checked at first) and one more
    reviewer of the pool (``add_<pk>``); the pairs are confirmed together."""

    due_at = forms.DateTimeField(
        label=_("Review due on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        pool = [(pk, str(user)) for pk, user in plan.reviewers.items()]
        for row in plan.rows:
            pk = row.application.pk
            self.fields[f"reviewers_{pk}"] = forms.TypedMultipleChoiceField(
                label=_("Suggested reviewers"),
                required=False,
                coerce=int,
                choices=pool,
                initial=[reviewer.pk for reviewer in row.suggested],
                widget=forms.CheckboxSelectMultiple,
            )
            suggested = {reviewer.pk for reviewer in row.suggested}
            self.fields[f"add_{pk}"] = forms.TypedChoiceField(
                label=_("Add a reviewer to %(reference)s")
                % {"reference": row.application.reference},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")]
                + [
                    (reviewer_pk, self._option(row.application, reviewer_pk, name))
                    for reviewer_pk, name in pool
                    if reviewer_pk not in suggested
                    and not plan.problems(row.application, reviewer_pk)[0]
                ],
            )

    def _option(self, application, reviewer_pk, name) -> str:
        _refusals, warnings = self.plan.problems(application, reviewer_pk)
        load = self.plan.load_after.get(reviewer_pk, 0)
        label = ngettext(
            "%(name)s (%(count)s application)", "%(name)s (%(count)s applications)", load
        ) % {
            "name": name,
            "count": load,
        }
        return " — ".join([label, *warnings])

    def checked(self, row) -> set[int]:
        """The reviewers of ``row`` ticked on the page: the suggestion at first, the
        officer's choice once posted."""
        value = self[f"reviewers_{row.application.pk}"].value() or []
        return {int(pk) for pk in value if str(pk).isdigit()}

    def warnings(self) -> list[str]:
        """What the officer was warned of for the reviewers they added by hand (an earlier
        conflict with the organisation, the cap), to repeat once they are invited."""
        warnings = []
        for row in self.plan.rows:
            added = self.cleaned_data[f"add_{row.application.pk}"]
            if added is not None:
                warnings += self.plan.problems(row.application, added)[1]
        return warnings

    def pairs(self) -> list[tuple[int, int]]:
        pairs = []
        for row in self.plan.rows:
            pk = row.application.pk
            pairs += [(pk, reviewer) for reviewer in self.cleaned_data[f"reviewers_{pk}"]]
            if self.cleaned_data[f"add_{pk}"] is not None:
                pairs.append((pk, self.cleaned_data[f"add_{pk}"]))
        return pairs


class ComplaintForm(forms.Form):
    """The applicant's complaint: what it is against (what is still open), its reasons and
    one optional supporting document."""

    about = forms.ChoiceField(label=_("Complaint against"), widget=forms.RadioSelect)
    reasons = textlimits.LimitedText(
        limit=textlimits.LONG, label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6})
    )
    document = forms.FileField(label=_("Supporting document (optional)"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = choices

    def clean_document(self):
        from portal import uploads

        upload = self.cleaned_data.get("document")
        if upload:
            kind = uploads.validate_upload(upload)
            upload.name = uploads.clean_filename(upload.name, kind.extension)
        return upload


class ComplaintAnswerForm(forms.Form):
    """The programme's step on a complaint: examine it, or uphold or reject it with an
    answer to the applicant."""

    action = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("examine", _("Start the examination")),
            ("uphold", _("Uphold the complaint")),
            ("reject", _("Reject the complaint")),
        ],
        widget=forms.RadioSelect,
    )
    answer = textlimits.LimitedText(
        limit=textlimits.LONG,
        label=_("Answer to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("uphold", "reject") and not cleaned.get("answer", "").strip():
            self.add_error("answer", _("Write the answer to the applicant."))
        return cleaned
