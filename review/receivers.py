"""Receivers that keep each dossier's :class:`~review.models.Standing` in step with what it
is computed from: its scores and reviews, and its call's criteria and tolerance."""

from applications.models import Call
from review import ranking
from review.models import Assignment, Criterion, Review, Score, Standing


def _cascaded(kwargs: dict, model) -> bool:
    """A row deleted because something above it is (a dossier, a call): that deletion
    takes the standings with it."""
    origin = kwargs.get("origin")
    return origin is not None and not isinstance(origin, model)


def score_changed(sender, instance: Score, **kwargs) -> None:
    if _cascaded(kwargs, Score):
        return
    ranking.refresh_standings(
        Assignment.objects.filter(review__pk=instance.review_id).values("application")
    )


def review_changed(sender, instance: Review, **kwargs) -> None:
    if _cascaded(kwargs, Review):
        return
    ranking.refresh_standings(
        Assignment.objects.filter(pk=instance.assignment_id).values("application")
    )


def criterion_changed(sender, instance: Criterion, **kwargs) -> None:
    if _cascaded(kwargs, Criterion):
        return
    ranking.refresh_standings(Call.objects.filter(pk=instance.call_id).values("applications"))


def call_changed(sender, instance: Call, created: bool = False, **kwargs) -> None:
    """The disagreement tolerance may have changed: dossiers with a standing are redone."""
    if not created:
        ranking.refresh_standings(
            Standing.objects.filter(application__call=instance).values("application")
        )
