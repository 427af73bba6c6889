"""The daily job re-checks label holders against the enterprise register: a holder whose
enterprise has stopped gets one flagged case, its programme's officers are told once, and a
case an officer closed stands while the register says the same thing."""

import datetime as dt

import pytest

from portal.models import OutgoingEmail
from portal.registerimport import import_extract
from portal.transitions import history, perform
from surveillance import watch
from surveillance.models import NonConformity
from tests.portal.test_register_import import FULL, UPDATE
from tests.surveillance.conftest import make_label

TODAY = dt.date(2026, 12, 1)
COLABO = "0734567835"  # active in the full sample, bankrupt in the update


@pytest.fixture
def holder(space_call):
    label = make_label(space_call, answers={"desks": 30, "charter": True})
    label.organisation.enterprise_number = COLABO
    label.organisation.save()
    return label


def test_nothing_happens_without_a_register(holder, officer):
    assert watch.run(TODAY) == (0, 0)
    assert not NonConformity.objects.exists()


def test_a_stopped_holder_is_flagged_once_and_the_officers_told_once(holder, officer):
    import_extract(FULL)
    assert watch.run(TODAY) == (0, 0)  # the holder is active

    import_extract(UPDATE)
    assert watch.run(TODAY) == (0, 1)
    case = NonConformity.objects.get()
    assert (case.label, case.state, case.holder_stopped) == (holder, "flagged", True)
    assert case.condition is None
    assert case.summary == (
        "L'entreprise du titulaire 0734.567.835 a cessé à la Banque-Carrefour des "
        "Entreprises\u00a0: Ouverture de faillite."
    )
    [told] = OutgoingEmail.objects.filter(recipient=officer.email)
    assert holder.number in told.body
    member = holder.organisation.memberships.get().user
    assert not OutgoingEmail.objects.filter(recipient=member.email).exists()
    assert history(holder)[-1].transition == watch.OPENED

    # Night after night: nothing more.
    assert watch.run(TODAY) == (0, 0)
    assert watch.run(TODAY + dt.timedelta(days=1)) == (0, 0)
    assert NonConformity.objects.count() == 1
    assert OutgoingEmail.objects.filter(recipient=officer.email).count() == 1


def test_a_case_closed_by_an_officer_stands_while_the_register_says_the_same(holder, officer):
    import_extract(FULL)
    import_extract(UPDATE)
    watch.run(TODAY)
    case = NonConformity.objects.get()
    perform(case, "resolve", by=officer, comment="Reprise par une autre ASBL.")
    assert watch.run(TODAY + dt.timedelta(days=1)) == (0, 0)
    assert NonConformity.objects.count() == 1


def test_a_holder_gone_from_the_register_is_flagged(space_call, officer):
    label = make_label(space_call, answers={"desks": 30, "charter": True})
    label.organisation.enterprise_number = "0723456781"  # bankrupt, then gone
    label.organisation.save()
    import_extract(FULL)
    import_extract(UPDATE)
    assert watch.run(TODAY) == (0, 1)
    assert "ne figure plus au registre depuis le 30/11/2026" in NonConformity.objects.get().summary


def test_a_label_no_longer_in_force_is_left_alone(space_call, officer):
    label = make_label(space_call, answers={"desks": 30}, valid_until=dt.date(2026, 6, 30))
    label.organisation.enterprise_number = COLABO
    label.organisation.save()
    import_extract(FULL)
    import_extract(UPDATE)
    assert watch.run(TODAY) == (0, 0)
