"""A complaint upheld on the evaluation after the jury closed: the portal reconvenes the
jury, whose earlier minutes stay downloadable; new reviewers evaluate the dossier, the jury
proposes on it and closes again with new minutes, and the ministry decides anew."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from portal.models import StateChange
from review import redress, services
from review.models import JurySession
from tests.factories import UserFactory
from tests.review.test_jury_and_decision import complete_reviews

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def refused_after_the_jury(admissible, reviewers, officer, grid, ministry, call):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    services.propose(admissible, by=officer, proposed=False, rationale="Trop peu ancré")
    services.close_jury(call, by=officer, members_present="Claire Dubois\nMarc Lemaire")
    admissible.refresh_from_db()
    services.decide(admissible, by=ministry, granted=False, reason="Non proposé par le jury")
    admissible.refresh_from_db()
    return admissible


def test_an_upheld_complaint_reconvenes_a_closed_jury_and_keeps_its_minutes(
    refused_after_the_jury, reviewers, officer, grid, programme, ministry, call, client
):
    dossier = refused_after_the_jury
    member = dossier.organisation.memberships.first().user
    complaint = redress.file_complaint(
        dossier, by=member, about="evaluation", reasons="Le critère 2 a été mal lu."
    )
    redress.examine(complaint, by=officer)
    redress.uphold(complaint, by=officer, answer="Une nouvelle évaluation aura lieu.")

    jury = JurySession.objects.get(call=call)
    assert jury.state == JurySession.State.OPEN
    change = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(jury), object_id=jury.pk
    ).latest("pk")
    assert (change.transition, change.by) == ("reconvene", None)
    assert dossier.reference in change.comment
    assert len(jury.earlier_minutes) == 1
    complaint.refresh_from_db()
    # What the first evaluation left, one row each, is kept on the complaint.
    assert {"proposal", "decision", "standing", "shortlisting", "hearing", "consensus"} <= set(
        complaint.superseded
    )

    # The ranking page links the earlier sitting's minutes, which still read as issued.
    client.force_login(officer)
    page = client.get(reverse("review:ranking", args=[call.slug])).content.decode()
    assert "?sitting=1" in page
    earlier = client.get(reverse("review:jury_minutes", args=[call.slug]) + "?sitting=1")
    assert earlier.status_code == 200
    assert "Claire Dubois" in pdf_text(earlier)
    assert (
        client.get(reverse("review:jury_minutes", args=[call.slug]) + "?sitting=2").status_code
        == 404
    )

    # New reviewers, a new proposal by the jury sitting again, a new closing and decision.
    newcomers = [UserFactory(roles=["reviewer"]) for _ in range(2)]
    for person in newcomers:
        programme.staff.create(user=person, role="reviewer")
    dossier.refresh_from_db()
    services.assign([dossier], newcomers, by=officer)
    complete_reviews(dossier, newcomers, grid)
    dossier.refresh_from_db()
    services.propose(dossier, by=officer, proposed=True, rationale="Ancrage démontré")
    services.close_jury(call, by=officer, members_present="Claire Dubois\nNadia Benali")
    jury.refresh_from_db()
    assert jury.state == JurySession.State.CLOSED
    assert "Nadia Benali" in pdf_text(client.get(reverse("review:jury_minutes", args=[call.slug])))
    dossier.refresh_from_db()
    services.decide(dossier, by=ministry, granted=True, amount=dossier.requested_amount)
    dossier.refresh_from_db()
    assert dossier.state == Application.State.GRANTED


def test_strangers_get_404_for_the_earlier_minutes(refused_after_the_jury, call, client):
    client.force_login(UserFactory(roles=["officer"]))
    url = reverse("review:jury_minutes", args=[call.slug]) + "?sitting=1"
    assert client.get(url).status_code == 404
