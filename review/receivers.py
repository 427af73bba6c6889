"""What the review app does when the applications app tells it something happened
(``applications.signals``); connected in ``ReviewConfig.ready``."""

from applications.models import Call
from portal import translations
from review.models import Criterion


def copy_criteria(sender, *, source: Call, call: Call, **kwargs) -> None:
    """Receiver of ``call_duplicated``: the next call is scored on the same grid."""
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            code=criterion.code,
            **translations.texts(criterion, "title", "guidance"),
            weight=criterion.weight,
            max_score=criterion.max_score,
            threshold=criterion.threshold,
            position=criterion.position,
        )
        for criterion in source.criteria.all()
    )
