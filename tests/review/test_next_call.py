"""The next call made from a call keeps its review settings: the reviewer cap and the
shortlist with hearings."""

import pytest

from applications.services import duplicate_call

pytestmark = pytest.mark.django_db


def test_the_next_call_keeps_the_cap_and_the_shortlist(call, officer):
    call.reviewer_cap = 4
    call.shortlist_with_hearings = True
    call.save()

    copy = duplicate_call(
        call,
        titles={"title_fr": "Appel suivant"},
        slug="appel-suivant",
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        budget=call.budget,
        max_amount=call.max_amount,
        by=officer,
    )

    copy.refresh_from_db()
    assert copy.reviewer_cap == 4
    assert copy.shortlist_with_hearings is True
