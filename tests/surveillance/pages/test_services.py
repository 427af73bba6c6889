"""The surveillance's operations: each step changes the case through its machine, writes
the label's history and tells the right people."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from labels.models import Label
from portal.models import OutgoingEmail
from portal.transitions import TransitionRefused, history
from surveillance import services, watch
from surveillance.models import Condition, Evidence, NonConformity, VisitorReport
from tests.factories import pdf_upload
from tests.pages import text_of
from tests.surveillance.pages.conftest import open_case

pytestmark = pytest.mark.django_db


def steps(label) -> list[str]:
    return [change.transition for change in history(label)]


def test_the_holder_answers_with_a_comment_and_a_document(case, holder):
    services.answer(case, by=holder, comment="Rapport remis.", upload=pdf_upload("preuve.pdf"))

    case.refresh_from_db()
    assert case.state == NonConformity.State.ANSWERED
    answer = case.answers.get()
    assert answer.original_name == "preuve.pdf" and answer.content_type == "application/pdf"
    assert "non_conformity_answered" in steps(case.label)


def test_an_empty_answer_is_refused(case, holder):
    with pytest.raises(TransitionRefused):
        services.answer(case, by=holder, comment="  ")
    case.refresh_from_db()
    assert case.state == NonConformity.State.OPEN


def test_only_a_member_of_the_holder_answers(case, officer):
    with pytest.raises(PermissionError):
        services.answer(case, by=officer, comment="Je réponds à leur place.")


def test_resolving_closes_the_case_and_tells_the_holder(case, officer, holder):
    services.resolve(case, by=officer, comment="Rapport bien reçu.")

    case.refresh_from_db()
    assert case.state == NonConformity.State.RESOLVED and case.closed_on == timezone.localdate()
    assert "non_conformity_resolved" in steps(case.label)
    email = OutgoingEmail.objects.get(recipient=holder.email, subject__contains="résolue")
    assert "non-conformité résolue" in email.subject and "Rapport bien reçu." in email.body


def test_a_case_within_its_deadline_cannot_lead_to_a_sanction(case, officer):
    with pytest.raises(TransitionRefused) as refused:
        services.sanction(case, by=officer, action="suspend", comment="Trop tard.")
    assert "encore jusqu'au" in str(refused.value)
    case.label.refresh_from_db()
    assert case.label.state == Label.State.ACTIVE


@pytest.mark.parametrize(
    "action, state", [("suspend", Label.State.SUSPENDED), ("revoke", Label.State.REVOKED)]
)
def test_past_its_deadline_the_label_is_sanctioned_with_the_case_as_reason(
    label, condition, officer, holder, action, state
):
    case = open_case(label, condition, days_left=-1)

    services.sanction(case, by=officer, action=action, comment="Aucune réponse.")

    case.refresh_from_db()
    label.refresh_from_db()
    assert case.state == NonConformity.State.SANCTIONED and label.state == state
    change = next(c for c in history(label) if c.transition == action)
    assert condition.label_fr in change.comment and "Aucune réponse." in change.comment
    assert "non_conformity_sanctioned" in steps(label)
    # One email, the labels app's, whose reason names the case.
    told = OutgoingEmail.objects.filter(
        recipient=holder.email, subject__contains=str(label.get_state_display())
    )
    assert told.count() == 1 and condition.label_fr in told.get().body


def test_a_refused_suspension_leaves_the_case_pending(label, condition, officer):
    case = open_case(label, condition, days_left=-1)
    Label.objects.filter(pk=label.pk).update(state=Label.State.SUSPENDED)

    with pytest.raises(TransitionRefused):
        services.sanction(case, by=officer, action="suspend", comment="Encore.")

    case.refresh_from_db()
    assert case.state == NonConformity.State.OPEN


def test_a_visitor_report_reaches_the_officers_and_opens_a_case(label, officer, holder):
    report = services.report_problem(
        label, message="L'espace était fermé mardi à 10 h.", source="abc123"
    )
    assert OutgoingEmail.objects.filter(
        recipient=officer.email, subject__contains="un visiteur a signalé un problème"
    ).exists()

    case = services.confirm(report, by=officer, summary="Fermé pendant les heures.", grace_days=15)

    report.refresh_from_db()
    assert report.state == VisitorReport.State.CONFIRMED
    assert case.deadline == timezone.localdate() + dt.timedelta(days=15)
    assert case.visitor_report == report and case.state == NonConformity.State.OPEN
    assert "non_conformity_opened" in steps(label)
    # The holder learns of it at once, and the daily job announces it no second time.
    told = OutgoingEmail.objects.filter(recipient=holder.email, body__contains="Fermé pendant")
    assert told.count() == 1
    watch.run()
    assert told.count() == 1


def test_a_visitor_report_is_dismissed_with_a_reason(label, officer):
    report = services.report_problem(label, message="Je n'aime pas la couleur des murs.")
    with pytest.raises(TransitionRefused):
        services.dismiss(report, by=officer, reason="")

    services.dismiss(report, by=officer, reason="Sans rapport avec les conditions.")

    report.refresh_from_db()
    assert report.state == VisitorReport.State.DISMISSED
    assert report.reason == "Sans rapport avec les conditions."


def test_the_holder_uploads_evidence(client, label, holder, programme, officer):
    insurance = Condition.objects.create(
        programme=programme,
        kind=Condition.Kind.EVIDENCE,
        label_fr="Attestation d'assurance",
        document_fr="Attestation d'assurance RC",
    )
    client.force_login(holder)
    url = reverse("surveillance:evidence", args=[label.number])

    response = client.post(url, {"condition": insurance.pk, "file": pdf_upload("rc.pdf")})

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.condition == insurance and "evidence_uploaded" in steps(label)
    client.force_login(officer)
    download = client.get(reverse("surveillance:evidence_file", args=[label.number, evidence.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    page = text_of(client.get(reverse("labels:staff_detail", args=[label.number])))
    assert "rc.pdf" in page


def test_a_file_that_is_not_a_document_is_refused(client, case, holder):
    client.force_login(holder)

    response = client.post(
        reverse("surveillance:case", args=[case.pk]),
        {"comment": "", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf at all")},
    )

    assert response.status_code == 400
    assert "pas d'un type accepté" in text_of(response)
    case.refresh_from_db()
    assert case.state == NonConformity.State.OPEN
