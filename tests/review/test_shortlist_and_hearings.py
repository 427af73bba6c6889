"""The shortlist and the hearings of a call that has them: the jury shortlists or leaves
off, the officer invites, moves and records the hearing, the jury proposes among the
heard; the ministry reads, the applicant sees the hearing on the dossier's page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pypdf
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from applications import mailings
from applications.models import Application, Mailing
from applications.services import members_of
from portal.models import StateChange
from portal.transitions import TransitionRefused, history
from review import ranking, services, shortlist
from review.models import Hearing, Proposal, Shortlisting
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, UserFactory
from tests.pages import text_of
from tests.review.conftest import admissible_application
from tests.review.test_jury_and_decision import complete_reviews

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# 14:30 in Brussels, a winter date: 13:30 UTC.
NEXT_MONTH = dt.datetime(2030, 1, 15, 14, 30, tzinfo=BRUSSELS)


@pytest.fixture
def shortlist_call(call):
    call.shortlist_with_hearings = True
    call.save()
    return call


@pytest.fixture
def reviewed(shortlist_call, admissible, reviewers, officer, grid):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    assert admissible.state == Application.State.REVIEWED
    return admissible


@pytest.fixture
def shortlisted(reviewed, officer):
    shortlist.shortlist(reviewed, by=officer, rationale="Projet prometteur")
    reviewed.refresh_from_db()
    return reviewed


@pytest.fixture
def invited(shortlisted, officer):
    return shortlist.invite(shortlisted, by=officer, starts_at=NEXT_MONTH, place="Namur, rue X")


def transitions_of(obj):
    return [change.transition for change in history(obj)]


def after_the_hearing(hearing):
    return time_machine.travel(hearing.starts_at + dt.timedelta(hours=2), tick=False)


# --- the services -----------------------------------------------------------------------


def test_the_jury_shortlists_with_its_rationale_and_the_ranking(reviewed, officer):
    shortlisting = shortlist.shortlist(reviewed, by=officer, rationale="Projet prometteur")

    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.SHORTLISTED
    assert shortlisting.rationale == "Projet prometteur"
    assert shortlisting.decided_by == officer
    assert shortlisting.ranking_snapshot[0]["reference"] == reviewed.reference
    change = StateChange.objects.get(transition="shortlist")
    assert (change.source, change.target, change.by) == ("reviewed", "shortlisted", officer)
    assert change.comment == "Projet prometteur"


def test_shortlisting_asks_for_a_rationale(reviewed, officer):
    with pytest.raises(TransitionRefused) as refused:
        shortlist.shortlist(reviewed, by=officer, rationale="  ")

    assert [p.field for p in refused.value.reasons] == ["rationale"]
    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.REVIEWED
    assert not Shortlisting.objects.exists()


def test_a_dossier_under_a_threshold_is_not_shortlisted(
    shortlist_call, admissible, reviewers, officer, grid
):
    from tests.review.test_reviewing import review

    for assignment in services.assign([admissible], reviewers[:2], by=officer):
        services.accept(assignment, by=assignment.reviewer, declaration="")
        review(assignment, grid, 3, 9)
    admissible.refresh_from_db()

    with pytest.raises(TransitionRefused) as refused:
        shortlist.shortlist(admissible, by=officer, rationale="Malgré tout")

    assert "Un dossier sous le seuil d'un critère ne peut pas être présélectionné." in str(
        refused.value
    )
    assert refused.value.reasons[0].field == "shortlisted"


def test_a_call_without_a_shortlist_refuses_it(
    call, admissible, reviewers, officer, grid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the standings, as committed
        services.assign([admissible], reviewers[:2], by=officer)
        complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()

    with pytest.raises(TransitionRefused) as refused:
        shortlist.shortlist(admissible, by=officer, rationale="Prometteur")

    assert "Cet appel n'a pas de présélection\u00a0: le jury propose directement." in str(
        refused.value
    )
    with pytest.raises(TransitionRefused):
        shortlist.leave_off(admissible, by=officer, rationale="Faible")
    # The normal call's jury proposes directly, as before.
    services.propose(admissible, by=officer, proposed=True, rationale="Solide")
    admissible.refresh_from_db()
    assert admissible.state == Application.State.PROPOSED


def test_a_dossier_left_off_is_not_proposed_with_the_reason(reviewed, officer):
    proposal = shortlist.leave_off(reviewed, by=officer, rationale="Moins abouti que les autres")

    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.NOT_PROPOSED
    assert (proposal.proposed, proposal.at_shortlist) == (False, True)
    assert proposal.rationale == "Moins abouti que les autres"
    assert proposal.ranking_snapshot[0]["reference"] == reviewed.reference
    assert transitions_of(reviewed)[-1] == "not_propose"


def hearings_mailing(call) -> Mailing:
    return Mailing.objects.get(call=call, kind=Mailing.Kind.HEARINGS)


def test_an_invitation_waits_in_the_calls_mailing_then_reaches_every_member_in_their_language(
    shortlisted, officer, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(
        organisation=shortlisted.organisation, role="member", user=UserFactory(language="en")
    ).user

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hearing = shortlist.invite(
            shortlisted,
            by=officer,
            starts_at=NEXT_MONTH.astimezone(dt.UTC),
            place="Namur, rue de Fer 1",
            video_link="https://visio.example.be/jury",
        )

    assert hearing.state == Hearing.State.SCHEDULED
    assert transitions_of(hearing) == ["create"]
    assert mailoutbox == []
    mailing = hearings_mailing(shortlisted.call)
    assert mailing.state == Mailing.State.PREPARED
    entries = {entry.recipient: entry for entry in mailing.entries.all()}
    assert set(entries) == set(members_of(shortlisted))
    assert {entry.kind for entry in entries.values()} == {"review/emails/hearing_invited"}
    assert entries[colleague].subject == (
        f"Invitation to a hearing: application {shortlisted.reference}"
    )
    french = next(entry for user, entry in entries.items() if user != colleague)
    assert french.subject.startswith("Invitation à une audition")
    assert french.subject.endswith(f": dossier {shortlisted.reference}")

    with django_capture_on_commit_callbacks(execute=True):
        assert mailings.send(mailing, by=officer) == 2

    assert len(mailoutbox) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    english = by_address[colleague.email]
    assert english.subject == f"Invitation to a hearing: application {shortlisted.reference}"
    assert "When: 15 January 2030 14:30 (Brussels time)" in english.body
    assert "Where: Namur, rue de Fer 1\nVideo link: https://visio.example.be/jury" in english.body
    assert shortlisted.get_absolute_url() in english.body
    french = next(m for m in mailoutbox if m is not english)
    assert "Quand\u00a0: 15 janvier 2030 14:30 (heure de Bruxelles)" in french.body
    assert "Invitation à une audition" in french.subject
    assert "{{" not in french.body + english.body


def test_an_invitation_without_a_video_link_has_no_such_line(shortlisted, officer):
    shortlist.invite(shortlisted, by=officer, starts_at=NEXT_MONTH, place="Liège")

    (entry,) = hearings_mailing(shortlisted.call).entries.all()
    assert "Où\u00a0: Liège\n\n" in entry.body
    assert "visioconférence" not in entry.body


def test_an_invitation_needs_a_date_to_come_and_a_place_or_a_link(shortlisted, officer):
    with pytest.raises(TransitionRefused) as refused:
        shortlist.invite(shortlisted, by=officer, starts_at=timezone.now() - dt.timedelta(hours=1))

    assert {p.field for p in refused.value.reasons} == {"starts_at", "place"}
    assert not Hearing.objects.exists()


def test_one_hearing_per_dossier_and_only_for_the_shortlisted(invited, reviewed, officer):
    with pytest.raises(TransitionRefused) as refused:
        shortlist.invite(reviewed, by=officer, starts_at=NEXT_MONTH, place="Liège")
    assert "Ce porteur est déjà invité à une audition." in str(refused.value)


def test_a_reviewed_dossier_is_not_invited(reviewed, officer):
    with pytest.raises(TransitionRefused) as refused:
        shortlist.invite(reviewed, by=officer, starts_at=NEXT_MONTH, place="Liège")
    assert "Seul un dossier présélectionné est auditionné." in str(refused.value)


def test_only_whoever_runs_the_review_invites(shortlisted, ministry):
    with pytest.raises(PermissionError):
        shortlist.invite(shortlisted, by=ministry, starts_at=NEXT_MONTH, place="Liège")


def test_a_moved_hearing_already_announced_is_emailed_at_once(
    invited, officer, mailoutbox, django_capture_on_commit_callbacks
):
    mailing = hearings_mailing(invited.application.call)
    mailings.send(mailing, by=officer)
    later = NEXT_MONTH + dt.timedelta(days=2, hours=-4)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shortlist.reschedule(invited, by=officer, starts_at=later, video_link="https://visio.be/j")

    invited.refresh_from_db()
    assert invited.starts_at == later
    assert (invited.place, invited.video_link) == ("", "https://visio.be/j")
    assert transitions_of(invited) == ["create", "reschedule"]
    (moved,) = mailoutbox
    assert moved.subject.startswith("Audition déplacée")
    assert "17 janvier 2030 10:30" in moved.body
    assert "Lien de visioconférence\u00a0: https://visio.be/j" in moved.body
    assert not Mailing.objects.filter(state=Mailing.State.PREPARED).exists()


def test_a_hearing_moved_before_its_invitation_is_sent_is_invited_to_once_at_the_new_date(
    invited, officer, mailoutbox, django_capture_on_commit_callbacks
):
    later = NEXT_MONTH + dt.timedelta(days=2, hours=-4)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shortlist.reschedule(invited, by=officer, starts_at=later, place="Liège")

    assert mailoutbox == []
    mailing = hearings_mailing(invited.application.call)
    members = list(members_of(invited.application))
    entries = list(mailing.entries.all())
    assert sorted(e.recipient_id for e in entries) == sorted(m.pk for m in members)
    (entry, *_others) = entries
    assert entry.kind == "review/emails/hearing_invited"
    assert "17 janvier 2030 10:30" in entry.body
    assert "Liège" in entry.body
    assert "15 janvier" not in entry.body


def test_the_hearing_is_recorded_after_it_took_place_only(invited, officer):
    with pytest.raises(TransitionRefused) as refused:
        shortlist.record_attendance(invited, by=officer, notes="Convaincant")
    assert "L'audition n'a pas encore eu lieu." in str(refused.value)

    with after_the_hearing(invited):
        with pytest.raises(TransitionRefused) as refused:
            shortlist.record_attendance(invited, by=officer, notes=" ")
        assert refused.value.reasons[0].field == "notes"
        shortlist.record_attendance(invited, by=officer, notes="Convaincant, plan solide")

    invited.refresh_from_db()
    assert invited.state == Hearing.State.HELD
    assert invited.notes == "Convaincant, plan solide"
    assert invited.recorded_at is not None
    assert transitions_of(invited) == ["create", "record_attendance"]


def test_an_absence_is_recorded_without_notes(invited, officer):
    with pytest.raises(TransitionRefused):
        shortlist.record_absence(invited, by=officer)
    with after_the_hearing(invited):
        shortlist.record_absence(invited, by=officer)

    invited.refresh_from_db()
    assert invited.state == Hearing.State.MISSED


# --- the final proposal among the heard --------------------------------------------------


def test_a_reviewed_dossier_of_a_shortlist_call_is_not_proposed_directly(reviewed, officer):
    for proposed in (True, False):
        with pytest.raises(TransitionRefused) as refused:
            services.propose(reviewed, by=officer, proposed=proposed, rationale="Direct")
        assert "Sur cet appel, le jury présélectionne d'abord le dossier" in str(refused.value)
    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.REVIEWED


def test_the_jury_proposes_once_the_hearing_is_recorded(invited, shortlisted, officer):
    with pytest.raises(TransitionRefused) as refused:
        services.propose(shortlisted, by=officer, proposed=True, rationale="Convaincant")
    assert "une fois l'audition du porteur enregistrée" in str(refused.value)

    with after_the_hearing(invited):
        shortlist.record_attendance(invited, by=officer, notes="Convaincant")
        services.propose(shortlisted, by=officer, proposed=True, rationale="Convaincant")

    shortlisted.refresh_from_db()
    assert shortlisted.state == Application.State.PROPOSED
    assert Proposal.objects.get().at_shortlist is False


def test_a_missed_hearing_still_lets_the_jury_decide(invited, shortlisted, officer):
    with after_the_hearing(invited):
        shortlist.record_absence(invited, by=officer, notes="Pas venu, pas excusé")
        services.propose(shortlisted, by=officer, proposed=False, rationale="Absent")
    shortlisted.refresh_from_db()
    assert shortlisted.state == Application.State.NOT_PROPOSED


def test_the_jury_closes_once_every_shortlisted_dossier_is_proposed(invited, shortlisted, officer):
    with pytest.raises(TransitionRefused):
        services.close_jury(shortlisted.call, by=officer, members_present="Anne Dupont")
    with after_the_hearing(invited):
        shortlist.record_attendance(invited, by=officer, notes="Convaincant")
        services.propose(shortlisted, by=officer, proposed=True, rationale="Convaincant")
        services.close_jury(shortlisted.call, by=officer, members_present="Anne Dupont")
    assert services.jury_is_closed(shortlisted.call)


def test_the_jury_minutes_tell_the_shortlist_and_the_hearings(
    invited, shortlisted, reviewers, officer, grid
):
    left = admissible_application(shortlisted.call, officer)
    services.assign([left], reviewers[:2], by=officer)
    complete_reviews(left, reviewers[:2], grid)
    ranking.refresh_pending()
    left.refresh_from_db()
    shortlist.leave_off(left, by=officer, rationale="Moins abouti")
    with after_the_hearing(invited):
        shortlist.record_attendance(invited, by=officer, notes="Équipe convaincante.")
        services.propose(shortlisted, by=officer, proposed=True, rationale="Convaincant")
        session = services.close_jury(shortlisted.call, by=officer, members_present="Anne Dupont")

    with translation.override("fr-be"):
        text = " ".join(
            page.extract_text() for page in pypdf.PdfReader(session.minutes.open()).pages
        )

    text = " ".join(text.split())
    assert "Présélection et auditions" in text
    assert f"{shortlisted.reference} — " in text
    assert "Projet prometteur" in text
    assert "Audition du 15 janvier 2030 14:30 : tenue." in text
    assert "Équipe convaincante." in text
    assert "Écarté de la présélection" in text


# --- the pages -------------------------------------------------------------------------------


def test_the_ranking_offers_the_shortlist_on_a_shortlist_call(client, reviewed, officer):
    client.force_login(officer)
    page = client.get(reverse("review:ranking", args=[reviewed.call.slug])).content.decode()

    assert reverse("review:shortlist", args=[reviewed.call.slug, reviewed.pk]) in page
    assert reverse("review:propose", args=[reviewed.call.slug, reviewed.pk]) not in page
    assert reverse("review:hearings", args=[reviewed.call.slug]) in page


def test_the_ranking_of_a_normal_call_offers_the_proposal(
    client, call, admissible, reviewers, officer, grid
):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    client.force_login(officer)
    page = client.get(reverse("review:ranking", args=[call.slug])).content.decode()

    assert reverse("review:propose", args=[call.slug, admissible.pk]) in page
    assert "shortlist" not in page
    assert reverse("review:hearings", args=[call.slug]) not in page
    assert client.get(reverse("review:hearings", args=[call.slug])).status_code == 404


def test_the_officer_shortlists_from_the_ranking_after_confirming(client, reviewed, officer):
    client.force_login(officer)
    url = reverse("review:shortlist", args=[reviewed.call.slug, reviewed.pk])
    data = {"shortlisted": "yes", "rationale": "Projet prometteur"}

    confirmation = client.post(url, data)
    assert "ne peut plus être modifié" in text_of(confirmation)
    response = client.post(url, {**data, "confirm": "1"})

    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.SHORTLISTED
    page = client.get(reverse("review:ranking", args=[reviewed.call.slug]))
    assert "Audition à fixer" in text_of(page)


def test_the_officer_invites_from_the_hearings_page_in_brussels_time(
    client, shortlisted, officer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    slug = shortlisted.call.slug
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:hearing", args=[slug, shortlisted.pk]),
            {"action": "invite", "starts_at": "2030-01-15T14:30", "place": "Namur"},
        )

    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.starts_at == NEXT_MONTH
    assert not [m for m in mailoutbox if "audition" in m.subject]
    (entry,) = hearings_mailing(shortlisted.call).entries.all()
    assert entry.subject.startswith("Invitation à une audition")
    assert entry.subject.endswith(f": dossier {shortlisted.reference}")
    page = text_of(client.get(reverse("review:hearings", args=[slug])))
    assert "15 janvier 2030 14:30" in page
    assert "son invitation attend dans l'envoi groupé des invitations aux auditions" in page


def test_an_invitation_without_a_place_shows_the_error_next_to_the_field(
    client, shortlisted, officer
):
    client.force_login(officer)
    response = client.post(
        reverse("review:hearing", args=[shortlisted.call.slug, shortlisted.pk]),
        {"action": "invite", "starts_at": "2030-01-15T14:30"},
    )

    assert response.status_code == 200
    assert response.context["schedule_form"].errors["place"] == [
        "Indiquez un lieu ou un lien de visioconférence, ou les deux."
    ]


def test_the_officer_records_the_hearing_on_its_page(client, invited, officer):
    client.force_login(officer)
    url = reverse("review:hearing", args=[invited.call.slug, invited.application_id])

    early = client.post(url, {"action": "record", "attended": "yes", "notes": "Bien"})
    assert "L'audition n'a pas encore eu lieu." in text_of(early)
    # The hearing took place (moved in the past: travelling in time would end the session).
    Hearing.objects.filter(pk=invited.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    done = client.post(url, {"action": "record", "attended": "yes", "notes": "Bien"})

    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.state == Hearing.State.HELD


def test_the_officer_learns_whether_a_move_is_emailed_or_goes_with_the_mailing(
    client, invited, officer
):
    client.force_login(officer)
    url = reverse("review:hearing", args=[invited.call.slug, invited.application_id])
    move = {"action": "reschedule", "place": "Mons"}

    waiting = client.post(url, {**move, "starts_at": "2030-02-01T10:00"}, follow=True)
    mailings.send(hearings_mailing(invited.call), by=officer)
    announced = client.post(url, {**move, "starts_at": "2030-02-02T10:00"}, follow=True)

    assert "qui attend encore dans l'envoi groupé de l'appel" in text_of(waiting)
    assert "le porteur en est informé par e-mail sans attendre" in text_of(announced)


def test_the_ministry_reads_the_hearings_and_acts_on_none(client, invited, ministry):
    client.force_login(ministry)
    slug, pk = invited.call.slug, invited.application_id

    assert client.get(reverse("review:hearings", args=[slug])).status_code == 200
    page = client.get(reverse("review:hearing", args=[slug, pk]))
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert "Présélectionné pour une audition" in text_of(page)
    posted = client.post(
        reverse("review:hearing", args=[slug, pk]),
        {"action": "reschedule", "starts_at": "2030-02-01T10:00", "place": "Mons"},
    )
    assert posted.status_code == 404


def test_reviewers_and_strangers_get_404(client, invited, reviewers):
    other_officer = UserFactory(roles=["officer"])
    CallFactory().programme.staff.create(user=other_officer, role="officer")
    slug, pk = invited.call.slug, invited.application_id
    for person in (reviewers[0], other_officer, UserFactory()):
        client.force_login(person)
        assert client.get(reverse("review:hearings", args=[slug])).status_code == 404
        assert client.get(reverse("review:hearing", args=[slug, pk])).status_code == 404


def test_the_applicant_sees_the_hearing_on_the_dossier_page(client, invited):
    member = invited.application.organisation.memberships.get().user
    client.force_login(member)

    page = text_of(client.get(invited.application.get_absolute_url()))

    assert "Audition par le jury" in page
    assert "15 janvier 2030 14:30" in page
    assert "Namur, rue X" in page


def test_another_applicant_sees_nothing_of_it(client, invited):
    client.force_login(MembershipFactory().user)
    response = client.get(invited.application.get_absolute_url())
    assert response.status_code == 404


def test_the_hearings_page_reads_in_a_constant_number_of_queries(
    client, shortlist_call, officer, django_assert_max_num_queries
):
    for n in range(6):
        dossier = ApplicationFactory(
            call=shortlist_call,
            state=Application.State.SHORTLISTED,
            reference=f"CW-2026-01{n:02}",
            submitted_at=timezone.now(),
        )
        Shortlisting.objects.create(application=dossier, rationale="Prometteur")
        if n % 2:
            Hearing.objects.create(application=dossier, starts_at=NEXT_MONTH, place="Namur")
    client.force_login(officer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("review:hearings", args=[shortlist_call.slug]))

    assert response.status_code == 200
    assert text_of(response).count("Namur") == 3


# --- the call's settings ----------------------------------------------------------------------


def test_the_call_form_sets_the_shortlist_and_the_reviewer_cap(client, call, officer):
    from applications.forms import CallForm

    client.force_login(officer)
    page = text_of(client.get(reverse("applications:staff_call_edit", args=[call.slug])))
    assert "présélection et auditions" in page.lower()
    assert "Les désignations suggérées ne confient à aucun expert plus de dossiers" in page

    data = {
        "title_fr": call.title,
        "slug": call.slug,
        "rules_fr": call.rules,
        "opens_at": timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "budget": "600000",
        "max_amount": "100000",
        "reviews_per_dossier": "3",
        "disagreement_tolerance": "2",
        "label_validity_months": "36",
        "shortlist_with_hearings": "on",
        "reviewer_cap": "0",
    }
    form = CallForm(data, instance=call)
    assert "reviewer_cap" in form.errors  # at least one dossier per reviewer
    form = CallForm({**data, "reviewer_cap": "8"}, instance=call)
    assert form.is_valid(), form.errors
    form.save()
    call.refresh_from_db()
    assert (call.shortlist_with_hearings, call.reviewer_cap) == (True, 8)
    call.is_published = True
    call.save()
    public = text_of(client.get(call.get_absolute_url()))
    assert "Le jury présélectionne des dossiers et auditionne leurs porteurs" in public


def test_a_hearing_recorded_meanwhile_is_a_refusal_on_the_page(client, invited, officer):
    Hearing.objects.filter(pk=invited.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    invited.refresh_from_db()
    shortlist.record_absence(invited, by=officer)
    client.force_login(officer)

    response = client.post(
        reverse("review:hearing", args=[invited.call.slug, invited.application_id]),
        {"action": "record", "attended": "yes", "notes": "Bien"},
    )

    assert response.status_code == 200
    assert "Cette action n'est plus possible" in text_of(response)
