"""Irreversible review actions ask for confirmation first (a page that says what cannot be
undone, without JavaScript); the jury closes once, with its minutes; errors of the
decision and of the scores sit next to their fields."""

import io
import re

import pytest
import rules
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from portal.transitions import ConcurrentTransition, TransitionRefused
from review import services
from review.models import Decision, JurySession, Proposal
from tests.factories import MembershipFactory, UserFactory
from tests.pages import text_of
from tests.review.test_jury_and_decision import complete_reviews

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(admissible, reviewers, officer, grid):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    return admissible


@pytest.fixture
def proposed(reviewed, officer):
    services.propose(reviewed, by=officer, proposed=True, rationale="Projet solide")
    return reviewed


def error_of(response, field: str) -> str:
    """The error shown next to ``field`` (empty when none), and check that the error
    summary at the top links to that field."""
    content = response.content.decode()
    found = re.search(rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', content, re.S)
    if not found:
        return ""
    assert 'class="error-summary"' in content
    assert f'href="#id_{field}"' in content
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


# --- the jury's proposal -------------------------------------------------------------


def test_a_proposal_is_first_shown_with_what_cannot_be_undone(client, reviewed, officer):
    client.force_login(officer)
    url = reverse("review:propose", args=[reviewed.call.slug, reviewed.pk])

    response = client.post(url, {"proposed": "yes", "rationale": "Projet solide"})

    page = text_of(response)
    assert response.status_code == 200
    assert "Cette action est irréversible." in page
    assert reviewed.reference in page
    assert not Proposal.objects.exists()
    assert 'name="confirm" value="1"' in response.content.decode()

    response = client.post(url, {"proposed": "yes", "rationale": "Projet solide", "confirm": "1"})

    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.state == Application.State.PROPOSED


def test_a_proposal_without_rationale_shows_the_error_next_to_the_field(client, reviewed, officer):
    client.force_login(officer)

    response = client.post(
        reverse("review:propose", args=[reviewed.call.slug, reviewed.pk]),
        {"proposed": "yes", "rationale": "", "confirm": "1"},
    )

    assert response.status_code == 400
    assert error_of(response, "rationale")
    assert not Proposal.objects.exists()


def test_a_proposal_changed_meanwhile_is_said_on_the_confirmation_page(
    client, reviewed, officer, monkeypatch
):
    def changed_meanwhile(*args, **kwargs):
        raise ConcurrentTransition("changed")

    monkeypatch.setattr(services, "propose", changed_meanwhile)
    client.force_login(officer)

    response = client.post(
        reverse("review:propose", args=[reviewed.call.slug, reviewed.pk]),
        {"proposed": "yes", "rationale": "Projet solide", "confirm": "1"},
    )

    assert response.status_code == 400
    assert "Cette action est irréversible." in text_of(response)
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert "Quelqu'un d'autre a modifié ce dossier entre-temps" in summary.replace("&#x27;", "'")


def test_a_proposal_after_the_jury_closed_is_refused_with_the_reason(
    client, proposed, reviewers, officer, grid, call
):
    services.close_jury(call, by=officer, members_present="Sophie Mertens")
    late = _second_reviewed(call, officer, reviewers, grid)  # reviewed after the closing
    client.force_login(officer)

    response = client.post(
        reverse("review:propose", args=[call.slug, late.pk]),
        {"proposed": "yes", "rationale": "Revu", "confirm": "1"},
    )

    assert response.status_code == 400
    assert "Le jury de cet appel est clos" in text_of(response)


# --- the ministerial decision --------------------------------------------------------


def test_a_decision_is_confirmed_before_it_is_recorded(client, proposed, ministry):
    client.force_login(ministry)
    url = reverse("review:decide", args=[proposed.call.slug, proposed.pk])

    response = client.post(url, {"decision": "refuse", "reason": "Budget épuisé"})

    assert response.status_code == 200
    assert "Cette action est irréversible." in text_of(response)
    assert not Decision.objects.exists()

    client.post(url, {"decision": "refuse", "reason": "Budget épuisé", "confirm": "1"})

    assert Decision.objects.get().granted is False


def test_an_amount_above_the_request_is_shown_next_to_the_amount(client, proposed, ministry):
    client.force_login(ministry)
    too_much = str(proposed.requested_amount + 1)

    response = client.post(
        reverse("review:decide", args=[proposed.call.slug, proposed.pk]),
        {"decision": "grant", "amount": too_much, "confirm": "1"},
    )

    assert response.status_code == 400
    assert "dépasse le montant demandé" in error_of(response, "amount")
    assert not Decision.objects.exists()


def test_a_refusal_without_reason_is_shown_next_to_the_reason(client, proposed, ministry):
    client.force_login(ministry)

    response = client.post(
        reverse("review:decide", args=[proposed.call.slug, proposed.pk]),
        {"decision": "refuse", "reason": " ", "confirm": "1"},
    )

    assert response.status_code == 400
    assert error_of(response, "reason")


# --- the reviewer's threshold --------------------------------------------------------


def test_a_score_under_the_threshold_without_comment_is_shown_on_its_comment(
    client, admissible, reviewers, officer, grid
):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    services.accept(assignment, by=reviewers[0], declaration="")
    client.force_login(reviewers[0])
    quality, territory = grid

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]),
        {
            f"score_{quality.pk}": "3",
            f"comment_{quality.pk}": "",
            f"score_{territory.pk}": "8",
            f"comment_{territory.pk}": "",
            "recommendation": "fund",
            "submit": "",
        },
    )

    assert response.status_code == 400
    assert "inférieure au seuil de 5" in error_of(response, f"comment_{quality.pk}")
    assert not error_of(response, f"comment_{territory.pk}")
    assert 'class="message message--error"' not in response.content.decode()
    assignment.review.refresh_from_db()
    assert assignment.review.state == "draft"


# --- closing the jury ----------------------------------------------------------------


def test_the_jury_closes_after_confirmation_and_issues_its_minutes(client, proposed, officer):
    client.force_login(officer)
    url = reverse("review:close_jury", args=[proposed.call.slug])
    members = "Sophie Mertens\nJean Dupont"

    response = client.post(url, {"members_present": members})
    assert response.status_code == 200
    assert "Cette action est irréversible." in text_of(response)
    assert not JurySession.objects.filter(state="closed").exists()

    response = client.post(url, {"members_present": members, "confirm": "1"})

    assert response.status_code == 302
    jury = JurySession.objects.get(call=proposed.call)
    assert jury.state == JurySession.State.CLOSED
    assert jury.closed_by == officer
    assert jury.members == ["Sophie Mertens", "Jean Dupont"]
    minutes = client.get(reverse("review:jury_minutes", args=[proposed.call.slug]))
    assert minutes.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(minutes.streaming_content)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Procès-verbal du jury" in text
    assert "Sophie Mertens" in text and "Jean Dupont" in text
    assert proposed.reference in text and "Projet solide" in text
    assert "Proposé au financement" in text
    assert "23,00" in text


def test_after_closing_the_proposals_are_locked(client, proposed, reviewers, officer, grid, call):
    other = _second_reviewed(call, officer, reviewers, grid)
    services.propose(other, by=officer, proposed=False, rationale="Moins convaincant")
    services.close_jury(call, by=officer, members_present="Sophie Mertens")
    client.force_login(officer)

    with pytest.raises(TransitionRefused):
        services.propose(other, by=officer, proposed=True, rationale="Revu")
    page = client.get(reverse("review:ranking", args=[call.slug]))

    assert 'class="jury-form"' not in page.content.decode()
    assert "Télécharger le procès-verbal du jury (PDF)" in text_of(page)


def test_only_those_who_run_an_open_jury_may_propose_and_close_it(
    client, proposed, officer, ministry
):
    call = proposed.call
    ranking = reverse("review:ranking", args=[call.slug])

    for perm in ("review.propose", "review.close_jury"):
        assert rules.has_perm(perm, officer, call)
        assert not rules.has_perm(perm, ministry, call)
    client.force_login(ministry)
    assert "Clore le jury…" not in text_of(client.get(ranking))
    client.force_login(officer)
    assert "Clore le jury…" in text_of(client.get(ranking))

    services.close_jury(call, by=officer, members_present="Sophie Mertens")

    for perm in ("review.propose", "review.close_jury"):
        assert not rules.has_perm(perm, officer, call)
    page = text_of(client.get(ranking))
    assert "Clore le jury…" not in page and "Le jury a été clos le" in page


def test_the_closing_page_counts_the_proposals(client, proposed, reviewers, officer, grid, call):
    other = _second_reviewed(call, officer, reviewers, grid)
    services.propose(other, by=officer, proposed=False, rationale="Moins convaincant")
    client.force_login(officer)

    response = client.post(
        reverse("review:close_jury", args=[call.slug]), {"members_present": "Sophie Mertens"}
    )

    page = text_of(response)
    assert "Propositions faites 2" in page
    assert "Proposé au financement 1" in page
    assert services.proposal_counts(call) == {"made": 2, "proposed": 1}


def test_the_jury_cannot_close_while_applications_await_it(client, reviewed, officer):
    client.force_login(officer)

    response = client.post(
        reverse("review:close_jury", args=[reviewed.call.slug]),
        {"members_present": "Sophie Mertens", "confirm": "1"},
    )

    assert response.status_code == 400
    assert "attend encore" in text_of(response)
    assert not JurySession.objects.filter(state="closed").exists()


def test_strangers_get_404_for_the_minutes_and_the_closing(client, proposed, officer):
    services.close_jury(proposed.call, by=officer, members_present="Sophie Mertens")
    minutes = reverse("review:jury_minutes", args=[proposed.call.slug])
    close = reverse("review:close_jury", args=[proposed.call.slug])

    for stranger in (UserFactory(roles=["officer"]), MembershipFactory().user):
        client.force_login(stranger)
        assert client.get(minutes).status_code == 404
        assert client.post(close, {"members_present": "X", "confirm": "1"}).status_code == 404


def test_the_minutes_are_a_404_before_the_jury_closes(client, proposed, officer):
    client.force_login(officer)

    assert client.get(reverse("review:jury_minutes", args=[proposed.call.slug])).status_code == 404


def _second_reviewed(call, officer, reviewers, grid):
    from tests.review.conftest import admissible_application

    application = admissible_application(call, officer)
    services.assign([application], reviewers[:2], by=officer)
    complete_reviews(application, reviewers[:2], grid)
    application.refresh_from_db()
    return application


def test_the_minutes_list_each_proposal_in_ranking_order(proposed, reviewers, officer, grid, call):
    other = _second_reviewed(call, officer, reviewers, grid)
    services.propose(other, by=officer, proposed=False, rationale="Moins convaincant")

    jury = services.close_jury(call, by=officer, members_present="Sophie Mertens")

    with jury.minutes.open("rb") as handle:
        text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split()
        )
    assert "Moins convaincant" in text and "Non proposé" in text
    assert text.count(proposed.reference) >= 2 and text.count(other.reference) >= 2
