"""The evaluation summary report: per criterion the score (the approved consensus's, or the
mean of the reviews), its comments, the threshold and whether it is met; the overall score,
the rank band and the funding line; in the applicant's language, never naming a reviewer;
appended to the decision letter, downloadable from the dossier by whom the rule names."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from review import ranking, services
from review.models import Consensus, ConsensusScore
from review.pdf import evaluation_summary
from review.summary import Band, band_of, summary_of
from tests.factories import UserFactory
from tests.review.conftest import admissible_application
from tests.review.test_reviewing import scores

pytestmark = pytest.mark.django_db

NAMES = ("Zébulon Quackenbush", "Philomène Strzelecki", "Aurélien Vandersmissen")


@pytest.fixture
def experts(programme):
    """Reviewers whose names and emails cannot turn up in a document by chance."""
    people = [
        UserFactory(
            roles=["reviewer"],
            full_name=name,
            email=f"{name.split()[1].lower()}@experts.example",
        )
        for name in NAMES
    ]
    for person in people:
        programme.staff.create(user=person, role="reviewer")
    return people


def reviewed_by(application, experts, officer, grid, marks):
    """``application`` reviewed by the first experts, each giving ``marks`` (quality,
    territory) with a comment that names their mark."""
    assignments = services.assign([application], experts[: len(marks)], by=officer)
    for assignment in assignments:
        services.accept(assignment, by=assignment.reviewer, declaration="")
    for assignment, (quality, territory) in zip(assignments, marks, strict=True):
        values = scores(grid, quality, territory)
        values = {
            pk: (value, f"Avis {value} sur {criterion.code}")
            for (pk, (value, _)), criterion in zip(values.items(), grid, strict=True)
        }
        services.save_review(
            assignment,
            values,
            overall_comment=f"Signé {assignment.reviewer.full_name}",
            recommendation="fund",
            by=assignment.reviewer,
        )
        services.submit_review(assignment.review, by=assignment.reviewer)
    # The standings are refreshed when the test's transaction would commit: now.
    ranking.refresh_standings([application.pk])
    application.refresh_from_db()
    return application


@pytest.fixture
def reviewed(admissible, experts, officer, grid):
    # Quality 8 and 6 (mean 7, threshold 5), territory 7 and 5 (mean 6): 2 * 7 + 6 = 20.
    return reviewed_by(admissible, experts, officer, grid, [(8, 7), (6, 5)])


def approve_consensus(application, rapporteur, grid, values, overall="Synthèse du panel"):
    consensus = Consensus.objects.create(application=application, rapporteur=rapporteur)
    for criterion, value in zip(grid, values, strict=True):
        ConsensusScore.objects.create(
            consensus=consensus,
            criterion=criterion,
            value=Decimal(value),
            comment=f"Consensus {value} sur {criterion.code}",
        )
    Consensus.objects.filter(pk=consensus.pk).update(
        state=Consensus.State.APPROVED, overall_comment=overall
    )
    return consensus


def text_of_pdf(content: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return " ".join(" ".join(pages).split())


def refuse(application, officer, ministry):
    services.propose(application, by=officer, proposed=False, rationale="Moins convaincant")
    services.decide(application, by=ministry, granted=False, reason="Budget épuisé")
    application.refresh_from_db()
    return application


# --- the figures ---------------------------------------------------------------------


def test_without_consensus_each_score_is_the_mean_of_the_reviews(reviewed):
    summary = summary_of(reviewed)

    quality, territory = summary.criteria
    assert not summary.from_consensus
    assert summary.reviews == 2
    assert (quality.score, quality.threshold, quality.met) == (Decimal(7), Decimal(5), True)
    assert (territory.score, territory.threshold, territory.met) == (Decimal(6), None, None)
    assert summary.overall == Decimal(20) and summary.overall_max == Decimal(30)
    assert [(c.expert, c.text) for c in quality.comments] == [
        (1, "Avis 8 sur quality"),
        (2, "Avis 6 sur quality"),
    ]
    assert summary.overall_comment == ""
    assert (summary.rank, summary.ranked, summary.band) == (1, 1, Band(1, 1, 1, 1))
    assert summary.within_budget is True and not summary.below_threshold
    assert summary.proposed is None and summary.granted is None


def test_an_approved_consensus_replaces_the_mean_and_the_experts_comments(reviewed, experts, grid):
    approve_consensus(reviewed, experts[0], grid, ["4", "9"])

    summary = summary_of(reviewed)

    quality, territory = summary.criteria
    assert summary.from_consensus
    assert (quality.score, quality.met) == (Decimal(4), False)
    assert territory.score == Decimal(9)
    assert [(c.expert, c.text) for c in quality.comments] == [(None, "Consensus 4 sur quality")]
    assert summary.overall == Decimal(17)  # 2 * 4 + 9
    assert summary.overall_comment == "Synthèse du panel"
    assert summary.below_threshold and not summary.thresholds_met


def test_a_consensus_not_yet_approved_changes_nothing(reviewed, experts, grid):
    consensus = approve_consensus(reviewed, experts[0], grid, ["4", "9"])
    Consensus.objects.filter(pk=consensus.pk).update(state=Consensus.State.SUBMITTED)

    summary = summary_of(reviewed)

    assert not summary.from_consensus
    assert summary.criteria[0].score == Decimal(7)


def test_the_rank_band_and_the_funding_line_follow_the_ranking(
    call, officer, experts, grid, reviewed
):
    # Three more dossiers ranked above it; the budget holds three requests of 80 000 €.
    for mark in (10, 9, 8):
        marks = [(mark, mark), (mark, mark)]
        reviewed_by(admissible_application(call, officer), experts, officer, grid, marks)
    call.budget = Decimal("240000")
    call.save()

    summary = summary_of(reviewed)

    assert (summary.rank, summary.ranked) == (4, 4)
    assert summary.band == Band(quarter=4, first=4, last=4, count=4)
    assert summary.within_budget is False
    text = text_of_pdf(evaluation_summary(reviewed))
    assert "Quatrième quart du classement : rang 4 sur 4" in text
    assert "Sous la ligne de financement" in text


@pytest.mark.parametrize(
    ("count", "bands"),
    [
        (18, [(1, 5), (6, 9), (10, 14), (15, 18)]),
        (8, [(1, 2), (3, 4), (5, 6), (7, 8)]),
        (5, [(1, 2), (3, 3), (4, 4), (5, 5)]),
    ],
)
def test_quarters_of_a_ranking(count, bands):
    for quarter, (first, last) in enumerate(bands, start=1):
        for rank in range(first, last + 1):
            assert band_of(rank, count) == Band(quarter, first, last, count)


@given(
    st.integers(min_value=1, max_value=500).flatmap(
        lambda count: st.tuples(st.just(count), st.integers(min_value=1, max_value=count))
    )
)
def test_a_band_holds_its_rank_and_the_bands_cut_the_ranking_evenly(case):
    count, rank = case
    band = band_of(rank, count)

    assert 1 <= band.quarter <= 4
    assert band.first <= rank <= band.last and band.count == count
    assert band_of(band.first, count) == band == band_of(band.last, count)
    # The next band starts where this one ends; the bands' sizes differ by one at most.
    if band.last < count:
        assert band_of(band.last + 1, count).first == band.last + 1
        assert band_of(band.last + 1, count).quarter > band.quarter
    assert count // 4 <= band.last - band.first + 1 <= -(-count // 4)
    assert band_of(1, count).quarter == 1
    assert band_of(count, count).quarter == 4 or count < 4


def test_summary_of_reads_a_bounded_number_of_queries(
    call, reviewed, experts, officer, grid, django_assert_max_num_queries
):
    reviewed_by(admissible_application(call, officer), experts, officer, grid, [(9, 9)] * 3)
    reviewed.refresh_from_db()
    reviewed.call  # noqa: B018 - the page has loaded the dossier with its call

    with django_assert_max_num_queries(10):
        summary_of(reviewed)


# --- the document --------------------------------------------------------------------


def test_the_french_summary_reads_the_scores_thresholds_band_and_funding_line(reviewed):
    text = text_of_pdf(evaluation_summary(reviewed))

    assert "Rapport de synthèse de l'évaluation" in text
    assert reviewed.reference in text and reviewed.organisation.legal_name in text
    assert "Qualité du projet" in text and "Ancrage territorial" in text
    assert "7 / 10" in text and "5 / 10" in text and "atteint" in text
    assert "non atteint" not in text
    assert "Note globale" in text and "20 / 30" in text
    assert "Expert 1 : Avis 8 sur quality" in text and "Expert 2 : Avis 6 sur quality" in text
    assert "Tranche de classement Rang 1 sur 1" in text  # too few to cut in quarters
    assert "Au-dessus de la ligne de financement" in text
    assert "Page 1 / 1" in text


def test_the_english_summary_says_the_same_in_english(reviewed, experts, grid):
    approve_consensus(reviewed, experts[0], grid, ["4", "9"])

    text = text_of_pdf(evaluation_summary(reviewed, language="en"))

    assert "Evaluation summary report" in text
    assert "Qualité du projet" in text and "4 / 10" in text and "not met" in text
    assert "Consensus of the experts" in text and "Consensus 4 sur quality" in text
    assert "Synthèse du panel" in text
    assert "Overall score" in text and "17 / 30" in text
    assert "Rank band Rank 1 of 1" in text
    assert "Funding line" in text and "under a criterion's threshold" in text


def test_the_summary_comes_in_the_applicants_language_and_says_so(reviewed):
    reviewed.created_by.language = "en"
    reviewed.created_by.save()

    content = evaluation_summary(reviewed)

    reader = PdfReader(io.BytesIO(content))
    assert "Evaluation summary report" in text_of_pdf(content)
    assert reader.metadata.title == f"Evaluation summary report — {reviewed.reference}"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    french = PdfReader(io.BytesIO(evaluation_summary(reviewed, language="fr-be")))
    assert french.trailer["/Root"]["/Lang"] == "fr-BE"


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_no_reviewer_is_named(reviewed, experts, language):
    text = text_of_pdf(evaluation_summary(reviewed, language=language))

    for expert in experts:
        assert expert.full_name not in text
        assert expert.full_name.split()[1] not in text
        assert expert.email not in text
    assert "Signé" not in text  # the reviews' overall comments, which named them here


def test_nor_the_rapporteur_of_the_consensus(reviewed, experts, grid):
    approve_consensus(reviewed, experts[1], grid, ["6", "6"])

    text = text_of_pdf(evaluation_summary(reviewed))

    for expert in experts:
        assert expert.full_name.split()[1] not in text and expert.email not in text


def test_the_decision_letter_carries_the_summary(reviewed, officer, ministry, experts):
    refuse(reviewed, officer, ministry)

    letter = reviewed.letters.get(kind="decision")
    with letter.file.open("rb") as handle:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    annex = " ".join(" ".join(pages[1:]).split())
    assert "Budget épuisé" in pages[0]
    assert "Annexe : Rapport de synthèse de l'évaluation" in annex
    assert "Qualité du projet" in annex and "7 / 10" in annex
    assert "Décision ministérielle" in annex and "Refus" in annex
    assert "Non proposé" in annex
    assert f"Page {len(pages)} / {len(pages)}" in pages[-1]
    for expert in experts:
        assert expert.full_name.split()[1] not in " ".join(pages)


def test_a_pdf_page_renders(reviewed, experts, grid, tmp_path):
    """Drawn as an image (when poppler is installed), for a look at the layout."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed")
    approve_consensus(reviewed, experts[0], grid, ["4", "9"])
    source = tmp_path / "summary.pdf"
    source.write_bytes(evaluation_summary(reviewed))

    subprocess.run(["pdftoppm", "-png", "-r", "60", source, tmp_path / "page"], check=True)

    assert list(tmp_path.glob("page*.png"))


# --- who reads it --------------------------------------------------------------------


def summary_url(application):
    return reverse("review:evaluation_summary", args=[application.pk])


def test_the_applicant_reads_it_once_the_minister_has_decided(client, reviewed, officer, ministry):
    member = reviewed.created_by
    client.force_login(member)
    assert client.get(summary_url(reviewed)).status_code == 404
    assert summary_url(reviewed) not in client.get(reviewed.get_absolute_url()).content.decode()

    refuse(reviewed, officer, ministry)

    response = client.get(summary_url(reviewed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Rapport de synthèse" in text_of_pdf(b"".join(response))
    page = client.get(reviewed.get_absolute_url()).content.decode()
    assert summary_url(reviewed) in page


def test_other_applicants_and_reviewers_never_read_it(
    client, reviewed, officer, ministry, other_applicant, experts
):
    refuse(reviewed, officer, ministry)

    for person in (other_applicant, experts[0]):
        client.force_login(person)
        assert client.get(summary_url(reviewed)).status_code == 404


def test_the_agency_and_the_ministry_read_it_once_the_review_is_complete(
    client, reviewed, officer, ministry, admissible_other
):
    for person in (officer, ministry):
        client.force_login(person)
        assert client.get(summary_url(reviewed)).status_code == 200
        assert client.get(summary_url(admissible_other)).status_code == 404


@pytest.fixture
def admissible_other(call, officer):
    return admissible_application(call, officer)


def test_the_staff_pages_link_to_it(client, reviewed, officer):
    client.force_login(officer)

    dossier = client.get(reverse("applications:staff_application", args=[reviewed.pk]))
    ranking = client.get(reverse("review:ranking", args=[reviewed.call.slug]))

    assert summary_url(reviewed) in dossier.content.decode()
    assert summary_url(reviewed) in ranking.content.decode()


def test_the_summary_is_in_the_default_language_without_a_submitter(reviewed):
    reviewed.created_by = None
    reviewed.save()

    assert settings.LANGUAGE_CODE == "fr-be"
    assert "Rapport de synthèse" in text_of_pdf(evaluation_summary(reviewed))
