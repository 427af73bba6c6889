"""The submission deadline around its last second, as the applicant meets it on the
submission page: a deadline "à minuit" is 23:59:59 Brussels time and a dossier is accepted
while now ≤ closes_at (SPEC §2), whatever the season; now is read to the second, as on a
clock, so all of the deadline's last second is on time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application
from portal.models import StateChange
from tests.factories import ApplicationFactory, CallFactory, complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")

DEADLINES = [
    "2026-01-15 23:59:59",  # winter time (CET, UTC+1)
    "2026-07-15 23:59:59",  # summer time (CEST, UTC+2)
    "2026-10-25 23:59:59",  # the day the clocks go back, 25 hours long
]


@pytest.mark.parametrize("closes_local", DEADLINES)
@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(seconds=-1), True),  # 23:59:58: the last second before the deadline
        (timedelta(0), True),  # 23:59:59: the deadline itself
        (timedelta(milliseconds=999), True),  # 23:59:59.999: still the deadline's second
        (timedelta(seconds=1), False),  # 00:00:00 the next day
    ],
    ids=["one second before", "at the deadline", "within its last second", "one second after"],
)
def test_the_last_second_before_the_deadline_is_accepted_and_midnight_refused(
    client, organisation, applicant, closes_local, offset, accepted
):
    closes_at = datetime.fromisoformat(closes_local).replace(tzinfo=BRUSSELS)
    call = CallFactory(opens_at=datetime(2025, 1, 1, tzinfo=BRUSSELS), closes_at=closes_at)
    application = complete(ApplicationFactory(call=call, organisation=organisation), by=applicant)
    client.force_login(applicant)

    with time_machine.travel(closes_at + offset, tick=False):
        response = client.post(
            reverse("applications:submit", args=[application.pk]),
            {"declaration": "on"},
            follow=True,
        )

    application.refresh_from_db()
    if accepted:
        assert application.state == Application.State.SUBMITTED
        assert application.submitted_at == closes_at + offset
        assert f"sous la référence {application.reference}" in text_of(response)
        assert application.receipts.count() == 1
    else:
        assert application.state == Application.State.DRAFT
        assert "la date limite de dépôt est dépassée" in text_of(response)
        assert application.reference is None
        assert not application.receipts.exists()


def test_a_submission_judged_in_the_last_second_is_dated_then_however_long_it_takes(
    organisation, applicant, monkeypatch
):
    """The clock runs while the dossier is locked, numbered and its receipt drawn: the
    deadline, the dossier's dates, its history and its receipt all read the moment it was
    judged at, never a moment after the deadline."""
    closes_at = datetime(2026, 12, 7, 23, 59, 59, tzinfo=BRUSSELS)
    call = CallFactory(opens_at=datetime(2025, 1, 1, tzinfo=BRUSSELS), closes_at=closes_at)
    application = complete(ApplicationFactory(call=call, organisation=organisation), by=applicant)
    judged = closes_at + timedelta(milliseconds=990)

    # Each reading of the clock a quarter of a second after the one before. When each step
    # read its own time, this dossier was refused (in English) once the clock passed midnight.
    with time_machine.travel(judged, tick=False) as traveller:
        real_now = timezone.now

        def slow_now():
            moment = real_now()
            traveller.shift(timedelta(milliseconds=250))
            return moment

        monkeypatch.setattr(timezone, "now", slow_now)
        receipt = services.submit(application, by=applicant)
        monkeypatch.undo()

    assert application.judged_at is None  # a later check reads the clock again
    application.refresh_from_db()
    change = StateChange.objects.filter(object_id=application.pk, transition="submit").get()
    assert application.state == Application.State.SUBMITTED
    assert application.submitted_at == application.declaration_confirmed_at == judged
    assert change.at == receipt.issued_at == judged
