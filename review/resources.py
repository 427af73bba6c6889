"""Export columns of reviews, and the staff exports that show review results: the
dossiers of a call (with total score, jury proposal and decision) and their reviews."""

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.access import get_staff_call
from applications.filters import call_questions, submitted_applications
from applications.resources import ApplicationResource
from portal.exports import ChoiceLabels, Column, ExportResource, Source
from review import ranking
from review.models import Assignment, Complaint, Review, Score

SCORE = DecimalField(max_digits=12, decimal_places=4)


class ReviewResource(ExportResource):
    """One row per submitted review of a call: the dossier, the reviewer (staff only see
    this export), the recommendation, one column per criterion of the call's grid headed
    by its title, and the review's weighted total (Σ weight * score)."""

    reference = Column("assignment__application__reference", _("Reference"))
    organisation = Column("assignment__application__organisation__legal_name", _("Organisation"))
    reviewer = Column("assignment__reviewer__full_name", _("Reviewer"))
    recommendation = Column(
        "recommendation",
        _("Recommendation"),
        display=ChoiceLabels(Review.Recommendation.choices),
    )
    submitted_at = Column("submitted_at", _("Submitted on"))
    total = Column("weighted_total", _("Weighted total"))

    class Meta:
        model = Review
        fields = (
            "reference",
            "organisation",
            "reviewer",
            "recommendation",
            "submitted_at",
            "total",
        )

    def __init__(self, criteria=(), **kwargs):
        super().__init__(**kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            # Headed by the title the programme gave it, not its code ("quality").
            self.fields[self._score(criterion)] = Column(self._score(criterion), criterion.title)

    @staticmethod
    def _score(criterion) -> str:
        return f"score_{criterion.pk}"

    def get_export_order(self):
        *first, total = self._meta.fields
        return (*first, *(self._score(criterion) for criterion in self.criteria), total)

    def prepare(self, queryset):
        scores = Score.objects.filter(review=OuterRef("pk"))
        return queryset.annotate(
            **{
                self._score(criterion): Subquery(
                    scores.filter(criterion=criterion).values("value")[:1]
                )
                for criterion in self.criteria
            },
            weighted_total=Subquery(
                scores.values("review")
                .annotate(total=Sum(F("criterion__weight") * F("value"), output_field=SCORE))
                .values("total"),
                output_field=SCORE,
            ),
        )


def application_source(user, query, scope) -> Source:
    """The dossiers of the staff list of call ``scope``, with their total score (the
    ranking's: Σ weight * mean of submitted scores, kept in each dossier's standing) and
    their answers to the call's questions."""
    call = get_staff_call(user, scope)
    questions = call_questions(call)
    # Dossiers not yet ranked have no total, as on the ranking page.
    total = Case(
        When(state__in=ranking.RANKED_STATES, then=ranking.STANDING_TOTAL), output_field=SCORE
    )
    return Source(
        ApplicationResource(total_score=total, questions=questions),
        submitted_applications(call, query, questions).qs,
        format_lazy("{} {}", _("Applications"), call.slug),
    )


def review_source(user, query, scope) -> Source:
    """The submitted reviews of the dossiers of call ``scope`` that the dossier list's
    filter keeps."""
    call = get_staff_call(user, scope)
    reviews = (
        Review.objects.filter(
            state=Review.State.SUBMITTED,
            assignment__state=Assignment.State.ACCEPTED,
            assignment__application__in=submitted_applications(call, query).qs.values("pk"),
        )
        .select_related("assignment__application__organisation", "assignment__reviewer")
        .order_by("assignment__application__reference", "assignment__reviewer__full_name", "pk")
    )
    return Source(
        ReviewResource(criteria=call.criteria.all()),
        reviews,
        format_lazy("{} {}", _("Reviews"), call.slug),
    )


class ComplaintResource(ExportResource):
    """One row per complaint of a call's register: the dossier, what it contests, its
    state, when it was filed, when its answer is due and when it was answered."""

    reference = Column("application__reference", _("Reference"))
    organisation = Column("application__organisation__legal_name", _("Organisation"))
    about = Column("about", _("Complaint against"), display=ChoiceLabels(Complaint.About.choices))
    state = Column("state", _("State"), display=ChoiceLabels(Complaint.State.choices))
    filed_at = Column("filed_at", _("Filed on"))
    due_on = Column("due_on", _("Answer due on"))
    answered_at = Column("answered_at", _("Answered on"))

    class Meta:
        model = Complaint
        fields = (
            "reference",
            "organisation",
            "about",
            "state",
            "filed_at",
            "due_on",
            "answered_at",
        )


def complaint_source(user, query, scope) -> Source:
    """The complaints of call ``scope`` that the register's filter keeps."""
    from review.filters import call_complaints

    call = get_staff_call(user, scope, "review.view_ranking")
    return Source(
        ComplaintResource(),
        call_complaints(call, query).qs,
        format_lazy("{} {}", _("Complaints"), call.slug),
    )
