"""A decision letter is a reasoned act: the facts, the reasons (the jury's rationale, the
minister's reason, the score against the thresholds), the legal basis, and both appeal
routes with their last days, in French and in English."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from review import pdf, services
from review.models import Decision
from tests.pages import pdf_outline, text_of
from tests.review.test_jury_and_decision import complete_reviews
from tests.review.test_reviewing import review

pytestmark = pytest.mark.django_db

# Sent on 19 February 2028 and never opened: notified on 29 February 2028 (a leap day);
# the complaint runs until 30 March, the appeal until Saturday 29 April, which moves past
# Sunday and Monday 1 May (Labour Day) to Tuesday 2 May.
DECIDED_AT = dt.datetime(2028, 2, 19, 10, tzinfo=ZoneInfo("Europe/Brussels"))
DATES = {
    "fr-be": ("19 février 2028", "29 février 2028", "30 mars 2028", "2 mai 2028"),
    "en": ("19 February 2028", "29 February 2028", "30 March 2028", "2 May 2028"),
}


@pytest.fixture
def based(programme, call):
    programme.legal_basis = "Loi du 29 juillet 1991 relative à la motivation formelle."
    programme.redress_body = "AWT, avenue Prince de Liège 133, 5100 Namur — plaintes@awt.test"
    programme.save()
    call.legal_basis = "Arrêté du Gouvernement wallon du 2 décembre 2010 (Creative Wallonia)."
    call.save()
    return call


def proposed_with(application, reviewers, officer, grid, *, proposed=True, scores=None):
    services.assign([application], reviewers[:2], by=officer)
    if scores is None:
        complete_reviews(application, reviewers[:2], grid)
    else:
        for assignment in application.assignments.all():
            services.accept(assignment, by=assignment.reviewer, declaration="")
            review(assignment, grid, *scores)
    application.refresh_from_db()
    services.propose(
        application, by=officer, proposed=proposed, rationale="Ancrage local remarquable"
    )
    return application


def letter_text(application, language: str) -> str:
    Decision.objects.filter(application=application).update(decided_at=DECIDED_AT)
    decision = Decision.objects.get(application=application)
    with translation.override(language):
        content = pdf.decision_letter(application, decision)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return " ".join(" ".join(pages).split())


def test_a_french_grant_letter_gives_facts_reasons_basis_and_both_appeal_routes(
    admissible, reviewers, officer, grid, ministry, based, django_capture_on_commit_callbacks
):
    proposed_with(admissible, reviewers, officer, grid)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(admissible, by=ministry, granted=True, amount=Decimal("60000"))

    text = letter_text(admissible, "fr-be")
    sent, notified, redress, council = DATES["fr-be"]
    assert "Exposé des faits" in text
    assert f"a déposé le dossier de candidature « {admissible.project_title} »" in text
    assert "2 experts indépendants l'ont évalué" in text
    assert "le jury l'a proposé au financement" in text and f"a statué le {sent}" in text
    assert "Motivation de la décision" in text
    assert "Avis du jury : Ancrage local remarquable" in text
    assert "note globale de 23 / 30 ; il atteint le seuil de chaque critère" in text
    assert "joint en annexe" in text and "Annexe : Rapport de synthèse" in text
    assert "Base légale" in text
    assert "Arrêté du Gouvernement wallon du 2 décembre 2010" in text
    assert "motivation formelle" in text
    assert "Voies de recours" in text
    assert f"au plus tard le dixième jour qui suit son envoi le {sent}" in text
    assert f"soit au plus tard le {notified}" in text
    assert "Réclamation (recours interne)" in text and "plaintes@awt.test" in text
    assert f"dans les trente jours de la notification, soit au plus tard jusqu'au {redress}" in text
    assert "recours en annulation auprès du Conseil d'État, section du contentieux" in text
    assert f"dans les soixante jours de la notification, soit au plus tard jusqu'au {council}" in (
        text
    )
    assert "jour férié légal" in text


def test_a_french_refusal_letter_gives_the_minister_s_reason_and_the_unmet_threshold(
    admissible, reviewers, officer, grid, ministry, based
):
    proposed_with(admissible, reviewers, officer, grid, proposed=False, scores=(3, 7))
    services.decide(admissible, by=ministry, granted=False, reason="Qualité insuffisante")

    text = letter_text(admissible, "fr-be")
    _sent, _notified, redress, council = DATES["fr-be"]
    assert "pour le motif suivant : Qualité insuffisante" in text
    assert "le jury ne l'a pas proposé au financement" in text
    assert "Avis du jury : Ancrage local remarquable" in text
    assert "il n'atteint pas le seuil du critère « Qualité du projet »" in text
    assert "Arrêté du Gouvernement wallon du 2 décembre 2010" in text
    assert f"jusqu'au {redress}" in text and f"jusqu'au {council}" in text


def test_an_english_grant_letter_gives_the_same_in_english(
    admissible, reviewers, officer, grid, ministry, based, django_capture_on_commit_callbacks
):
    proposed_with(admissible, reviewers, officer, grid)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(admissible, by=ministry, granted=True, amount=Decimal("60000"))

    text = letter_text(admissible, "en")
    sent, notified, redress, council = DATES["en"]
    assert "Facts" in text and "2 independent experts evaluated it" in text
    assert "The jury's opinion: Ancrage local remarquable" in text
    assert "overall score of 23 / 30; it met the threshold of every criterion" in text
    assert "Legal basis" in text and "Arrêté du Gouvernement wallon" in text
    assert "How to contest this decision" in text
    assert f"after it was sent on {sent}, that is on {notified} at the latest" in text
    assert "Complaint (internal review)" in text and "plaintes@awt.test" in text
    assert f"within thirty days of the notification, that is until {redress} at the latest" in (
        text
    )
    assert "appeal for annulment with the Council of State" in text
    assert f"within sixty days of the notification, that is until {council} at the latest" in (text)


def test_an_english_refusal_letter_gives_the_reason_and_both_routes(
    admissible, reviewers, officer, grid, ministry, based
):
    proposed_with(admissible, reviewers, officer, grid, proposed=False)
    services.decide(admissible, by=ministry, granted=False, reason="No budget left")

    text = letter_text(admissible, "en")
    _sent, _notified, redress, council = DATES["en"]
    assert "for the following reason: No budget left" in text
    assert "the jury did not propose it for funding" in text
    assert "The jury's opinion: Ancrage local remarquable" in text
    assert f"until {redress} at the latest" in text and f"until {council} at the latest" in text


def test_a_letter_without_a_legal_basis_says_which_rules_it_applies(
    admissible, reviewers, officer, grid, ministry, programme, call
):
    proposed_with(admissible, reviewers, officer, grid, proposed=False)
    services.decide(admissible, by=ministry, granted=False, reason="Budget épuisé")

    text = letter_text(admissible, "fr-be")
    assert "Base légale" in text
    assert f"prise en application du règlement de l'appel à projets « {call.title} »" in text
    # Without a recipient of complaints, the managing agency receives them.
    assert f"réclamation motivée à {programme.managing_agency}" in text
    assert "Voies de recours" in text and "Conseil d'État" in text


@pytest.mark.parametrize("name", ["applications:staff_call", "applications:staff_call_edit"])
def test_the_staff_call_pages_warn_of_a_call_without_legal_basis(client, officer, call, name):
    client.force_login(officer)
    warning = "ne citent aucun décret ni arrêté"

    assert warning in text_of(client.get(reverse(name, args=[call.slug])))

    call.legal_basis = "Arrêté du Gouvernement wallon du 2 décembre 2010."
    call.save()
    assert warning not in text_of(client.get(reverse(name, args=[call.slug])))


def test_a_decision_letter_tells_screen_readers_its_title_language_and_sections(
    admissible, reviewers, officer, grid, ministry, based, django_capture_on_commit_callbacks
):
    proposed_with(admissible, reviewers, officer, grid)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(admissible, by=ministry, granted=True, amount=Decimal("60000"))
    decision = Decision.objects.get(application=admissible)
    with translation.override("en"):
        content = pdf.decision_letter(admissible, decision)

    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == reader.metadata.subject.split(" — ")[0]
    assert admissible.reference in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    outline = pdf_outline(content)
    titles = [title for _level, title, _page in outline]
    assert outline[0][0] == 0 and outline[0][1] == reader.metadata.title
    for section in ("Facts", "Reasons for the decision", "Legal basis"):
        assert (1, section) in [(level, title) for level, title, _page in outline]
    assert "How to contest this decision" in titles
    # The evaluation summary, annexed from a new page, is a part of its own.
    annex = next(entry for entry in outline if entry[1].startswith("Annex"))
    assert annex[0] == 0 and annex[2] > 1
