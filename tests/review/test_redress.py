"""Complaints: filed by the applicant within the period after the letter is notified,
examined, upheld or rejected with an answer; upheld on the evaluation, the dossier is
evaluated again by new reviewers and the earlier reviews stay; upheld on the
inadmissibility, it goes back to the admissibility check."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications import services as application_services
from applications.models import Application
from portal.models import StateChange
from portal.transitions import TransitionRefused
from review import redress, services
from review.models import Assignment, Complaint, Review
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory, complete
from tests.review.test_jury_and_decision import complete_reviews

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def member_of(application):
    return application.organisation.memberships.first().user


def history(obj):
    return list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("transition", flat=True)
    )


@pytest.fixture
def refused(admissible, reviewers, officer, grid, ministry):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    services.propose(admissible, by=officer, proposed=False, rationale="Trop peu ancré")
    admissible.refresh_from_db()
    services.decide(admissible, by=ministry, granted=False, reason="Non proposé par le jury")
    admissible.refresh_from_db()
    assert admissible.state == Application.State.REFUSED
    return admissible


def test_an_upheld_complaint_on_the_evaluation_has_new_reviewers_evaluate_again(
    refused, reviewers, officer, grid, programme, mailoutbox, django_capture_on_commit_callbacks
):
    member = member_of(refused)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = redress.file_complaint(
            refused, by=member, about="evaluation", reasons="Le critère 2 a été mal lu."
        )
    assert complaint.state == Complaint.State.RECEIVED
    assert history(complaint) == ["create"]
    assert any(officer.email in mail.to for mail in mailoutbox)

    redress.examine(complaint, by=officer)
    redress.uphold(complaint, by=officer, answer="Une nouvelle évaluation aura lieu.")
    complaint.refresh_from_db()
    refused.refresh_from_db()
    assert complaint.state == Complaint.State.UPHELD
    assert complaint.answered_by == officer and complaint.answered_at is not None
    assert history(complaint) == ["create", "examine", "uphold"]
    assert refused.state == Application.State.ADMISSIBLE
    assert "reopen_review" in history(refused)
    # The jury's proposal and the decision are kept on the complaint, not lost.
    assert complaint.superseded["decision"]["reason"] == "Non proposé par le jury"
    assert complaint.superseded["proposal"]["rationale"] == "Trop peu ancré"
    assert not hasattr(Application.objects.get(pk=refused.pk), "decision")

    # The earlier reviewers may not be assigned again.
    with pytest.raises(TransitionRefused, match="a évalué ce dossier avant la réclamation"):
        services.assign([refused], [reviewers[0]], by=officer)
    newcomers = [UserFactory(roles=["reviewer"], full_name=f"Expert {n}") for n in (4, 5)]
    for person in newcomers:
        programme.staff.create(user=person, role="reviewer")
    services.assign([refused], newcomers, by=officer)
    complete_reviews(refused, newcomers, grid)
    refused.refresh_from_db()
    assert refused.state == Application.State.REVIEWED

    # Both evaluations are kept: four submitted reviews, two of them set aside.
    reviews = Review.objects.filter(assignment__application=refused, state="submitted")
    assert reviews.count() == 4
    earlier = Assignment.objects.filter(application=refused, state=Assignment.State.SUPERSEDED)
    assert {a.reviewer for a in earlier} == set(reviewers[:2])
    assert all(history(a)[-1] == "supersede" for a in earlier)


@pytest.mark.parametrize(
    ("issued", "opened", "last_day"),
    [
        # Never opened: notified ten days later, on 10 February; the period ends on
        # Sunday 11 March, moved to Monday 12 March.
        (dt.datetime(2029, 1, 31, 23, 30, tzinfo=BRUSSELS), None, dt.date(2029, 3, 12)),
        # Opened the next day (1 February): 30 days end on Saturday 3 March → Monday 5.
        (
            dt.datetime(2029, 1, 31, 23, 30, tzinfo=BRUSSELS),
            dt.datetime(2029, 2, 1, 8, tzinfo=BRUSSELS),
            dt.date(2029, 3, 5),
        ),
    ],
)
def test_a_late_complaint_is_refused_with_the_day_it_was_due(refused, issued, opened, last_day):
    refused.letters.update(issued_at=issued, opened_at=opened)
    member = member_of(refused)
    with time_machine.travel(dt.datetime.combine(last_day, dt.time(23, 59), tzinfo=BRUSSELS)):
        redress.file_complaint(refused, by=member, about="decision", reasons="Motifs")
    late = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 1), tzinfo=BRUSSELS)
    with (
        time_machine.travel(late),
        translation.override("en"),
        pytest.raises(TransitionRefused) as refusal,
    ):
        redress.file_complaint(refused, by=member, about="decision", reasons="Motifs")
    words = f"{last_day.day} {last_day.strftime('%B')} {last_day.year}"
    assert str(refusal.value) == f"The period for a complaint ended on {words}."
    assert refused.complaints.count() == 1


def test_an_upheld_complaint_on_the_inadmissibility_returns_to_the_check(
    call, officer, grid, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory()
    application = complete(ApplicationFactory(call=call, organisation=member.organisation))
    application_services.submit(application, by=member.user)
    application_services.declare_inadmissible(application, by=officer, reason="Hors délai")
    with pytest.raises(TransitionRefused, match="pas encore de courrier à contester"):
        redress.file_complaint(application, by=member.user, about="evaluation", reasons="x")
    complaint = redress.file_complaint(
        application, by=member.user, about="inadmissibility", reasons="Le dossier était complet."
    )
    with django_capture_on_commit_callbacks(execute=True):
        redress.uphold(complaint, by=officer, answer="Le dossier sera réexaminé.")
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert history(application)[-1] == "readmit"
    assert any(member.user.email in mail.to for mail in mailoutbox)


def test_only_members_file_and_only_officers_answer(refused, officer, reviewers):
    stranger = MembershipFactory().user
    with pytest.raises(PermissionError):
        redress.file_complaint(refused, by=stranger, about="decision", reasons="x")
    complaint = redress.file_complaint(
        refused, by=member_of(refused), about="decision", reasons="x"
    )
    with pytest.raises(PermissionError):
        redress.reject(complaint, by=reviewers[0], answer="Non")
    with pytest.raises(TransitionRefused, match="Rédigez la réponse"):
        redress.reject(complaint, by=officer, answer=" ")
    redress.reject(complaint, by=officer, answer="La décision est motivée.")
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.REJECTED
    refused.refresh_from_db()
    assert refused.state == Application.State.REFUSED


def test_the_first_download_by_a_member_notifies_the_letter(refused, client, officer):
    letter = refused.letters.get(kind="decision")
    refused.letters.update(issued_at=dt.datetime(2031, 5, 1, 9, tzinfo=BRUSSELS))
    url = reverse("applications:letter", args=[refused.pk, letter.pk])
    # Staff opening it (the admin here) does not notify it; the first member's download does.
    for person, day in ((officer, 4), (member_of(refused), 6), (member_of(refused), 8)):
        with time_machine.travel(dt.datetime(2031, 5, day, 9, tzinfo=BRUSSELS)):
            client.force_login(person)
            client.get(url)
    letter.refresh_from_db()
    assert letter.opened_at is not None
    assert letter.notified_on == dt.date(2031, 5, 6)


def test_the_applicant_files_from_the_dossier_page_and_strangers_get_404(refused, client):
    member = member_of(refused)
    client.force_login(member)
    page = client.get(reverse("applications:detail", args=[refused.pk]))
    assert reverse("review:file_complaint", args=[refused.pk]) in page.content.decode()
    url = reverse("review:file_complaint", args=[refused.pk])
    response = client.post(
        url,
        {
            "about": "evaluation",
            "reasons": "Le critère 2 a été mal lu.",
            "document": SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    complaint = refused.complaints.get()
    assert complaint.document
    client.force_login(MembershipFactory().user)
    assert client.post(url, {"about": "evaluation", "reasons": "x"}).status_code == 404
    assert client.get(reverse("review:complaint", args=[complaint.pk])).status_code == 404


def test_the_register_filters_and_exports_the_complaints(refused, client, officer, call):
    member = member_of(refused)
    redress.file_complaint(refused, by=member, about="decision", reasons="Motifs")
    answered = redress.file_complaint(refused, by=member, about="evaluation", reasons="Motifs")
    redress.reject(answered, by=officer, answer="La décision est motivée.")
    client.force_login(officer)
    with translation.override("en"):
        page = client.get(reverse("review:complaints", args=[call.slug]), {"state": "rejected"})
        assert page.status_code == 200
        assert len(page.context["rows"]) == 1 and page.context["rows"][0]["days"] == 0
        response = client.get(
            reverse("review:complaints_export", args=[call.slug, "xlsx"]), {"about": "decision"}
        )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The officer reads French: the headers and labels are theirs.
    with translation.override("fr-be"):
        assert rows[0][:2] == ("Référence", "Organisation")
        labels = (str(Complaint.About.DECISION.label), str(Complaint.State.RECEIVED.label))
    assert len(rows) == 2 and rows[1][0] == refused.reference and rows[1][2:4] == labels


def test_the_officer_answers_on_the_complaint_page_and_the_answer_is_required(
    refused, client, officer
):
    complaint = redress.file_complaint(
        refused, by=member_of(refused), about="decision", reasons="Motifs"
    )
    url = reverse("review:complaint", args=[complaint.pk])
    client.force_login(officer)
    assert client.post(url, {"action": "examine"}).status_code == 302
    page = client.post(url, {"action": "uphold", "answer": ""})
    assert page.status_code == 200 and page.context["form"].errors["answer"]
    assert (
        client.post(url, {"action": "uphold", "answer": "Le ministre redécidera."}).status_code
        == 302
    )
    complaint.refresh_from_db()
    refused.refresh_from_db()
    assert complaint.state == Complaint.State.UPHELD
    staff_page = client.get(reverse("applications:staff_application", args=[refused.pk]))
    assert url in staff_page.content.decode()
    # Upheld on the decision: the dossier keeps its state; the answer says what follows.
    assert refused.state == Application.State.REFUSED
    assert history(complaint) == ["create", "examine", "uphold"]


def test_the_register_reads_a_constant_number_of_queries(
    refused, client, officer, call, django_assert_max_num_queries
):
    for n in range(5):
        redress.file_complaint(refused, by=member_of(refused), about="decision", reasons=f"{n}")
    client.force_login(officer)
    client.get(reverse("review:complaints", args=[call.slug]))  # the emails queued go first
    with django_assert_max_num_queries(12):
        response = client.get(reverse("review:complaints", args=[call.slug]))
    assert len(response.context["rows"]) == 5
