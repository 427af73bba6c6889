"""What the demo shows: the stories of the 2011 call and of the rural call of 2017, an account
per role, quarterly reports, open data. The demo is loaded once for these tests
(tests/demo/conftest.py)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application, Mailing, Programme
from labels.models import Label
from portal.models import Notification, Organisation, StateChange
from portal.roles import Role, roles_of
from reporting.models import ActivityReport
from review.models import (
    Assignment,
    Consensus,
    Decision,
    Hearing,
    JurySession,
    Proposal,
    Review,
    Shortlisting,
)
from tests.reporting.test_open_data import WALLOON_REGION, assert_valid_360giving, get_json

# One worker loads the demo for all of this module's tests (see the conftest).
pytestmark = pytest.mark.xdist_group("demo")

BRUSSELS = ZoneInfo("Europe/Brussels")
EXPECTED_ROLES = {
    "admin": Role.ADMIN,
    "officer": Role.OFFICER,
    "rural_officer": Role.OFFICER,
    "reviewer": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "reviewer3": Role.REVIEWER,
    "ministry": Role.MINISTRY,
    "applicant": Role.APPLICANT,
    "applicant2": Role.APPLICANT,
}


def test_every_demo_account_signs_in_on_its_dashboard(client, demo):
    for name, role in EXPECTED_ROLES.items():
        user = getattr(demo, name)
        client.logout()
        response = client.post(
            reverse("portal:login"),
            {"username": user.email, "password": "guichet-demo-2026"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == f"/dashboard/{role.value}/", user.email
        assert roles_of(user)[0] == role


def test_the_two_founders_own_different_organisations(demo):
    first = Organisation.objects.of_member(demo.applicant)
    second = Organisation.objects.of_member(demo.applicant2)
    assert first.count() == second.count() == 1
    assert first.get() != second.get()


def test_the_demo_tells_the_2011_story(demo):
    states = Application.objects.filter(reference__startswith="CW-2011").values_list(
        "state", flat=True
    )
    assert sorted(set(states)) == ["granted", "refused"]
    assert Label.objects.get(number="CW-LBL-2012-001").superseded_by.number == "CW-LBL-2015-001"
    assert list(states).count("granted") == 8
    granted_2011 = Decision.objects.filter(application__reference__startswith="CW-2011")
    assert granted_2011.aggregate(total=Sum("amount"))["total"] == 600000
    labels_2011 = Label.objects.filter(application__reference__startswith="CW-2011")
    assert set(labels_2011.values_list("state", flat=True)) == {
        "active",
        "suspended",
        "revoked",
        "expired",
        "renewed",
    }


def test_the_2011_jury_shortlisted_nine_heard_them_and_proposed_eight(demo):
    """The real call's two rounds: 9 of the 18 dossiers kept on 16 September 2011, their
    applicants heard in October, 8 proposed on 13 December 2011; the dossier whose reviewers
    disagreed is ranked on its approved consensus."""
    dossiers = Application.objects.filter(reference__startswith="CW-2011")
    shortlisted = Shortlisting.objects.filter(application__in=dossiers)
    assert shortlisted.count() == 9
    assert {s.decided_at.astimezone(BRUSSELS).date() for s in shortlisted} == {dt.date(2011, 9, 16)}
    left_off = Proposal.objects.filter(application__in=dossiers, at_shortlist=True)
    assert left_off.count() == 9
    assert not left_off.filter(proposed=True).exists()
    assert {p.decided_at.astimezone(BRUSSELS).date() for p in left_off} == {dt.date(2011, 9, 16)}
    final = Proposal.objects.filter(application__in=dossiers, at_shortlist=False)
    assert final.count() == 9
    assert final.filter(proposed=True).count() == 8
    assert {p.decided_at.astimezone(BRUSSELS).date() for p in final} == {dt.date(2011, 12, 13)}
    assert set(final.values_list("application", flat=True)) == set(
        shortlisted.values_list("application", flat=True)
    )
    hearings = Hearing.objects.filter(application__in=dossiers)
    assert hearings.count() == 9
    assert set(hearings.values_list("state", flat=True)) == {Hearing.State.HELD}
    assert all(h.notes and h.starts_at.astimezone(BRUSSELS).month == 10 for h in hearings)
    (consensus,) = Consensus.objects.filter(application__in=dossiers)
    assert consensus.state == Consensus.State.APPROVED
    assert consensus.named_by is None  # named by the portal: the reviewers disagreed
    assert consensus.application.standing.consensus
    assert consensus.application.standing.disagreement
    history = StateChange.objects.filter(
        object_id__in=dossiers.values("pk"), transition="shortlist"
    ).values_list("at", flat=True)
    assert {at.astimezone(BRUSSELS).date() for at in history} == {dt.date(2011, 9, 16)}


def test_the_demo_has_two_years_of_quarterly_reports_in_every_state(demo):
    reports = ActivityReport.objects.filter(label__number__startswith="CW-LBL-2012")
    assert reports.values("label").distinct().count() == 5
    assert {report.period_days in (90, 91, 92) for report in reports} == {True}
    assert reports.filter(label__number="CW-LBL-2012-002").count() == 8
    assert set(reports.values_list("state", flat=True)) == {
        "due",
        "submitted",
        "returned",
        "accepted",
    }
    assert reports.overdue().exists()


def test_the_demo_grants_are_funded_by_the_walloon_region(client, demo):
    package = get_json(client)
    assert package["grants"]
    assert_valid_360giving(package)
    assert {grant["fundingOrganization"][0]["id"] for grant in package["grants"]} == {
        WALLOON_REGION
    }
    assert set(Programme.objects.values_list("funder_identifier", flat=True)) == {WALLOON_REGION}


def test_the_rural_2017_replay_is_in_the_open_data(client, demo):
    """The public record: 13 rural spaces granted for 1,250,000 € in all, at most 100,000 €
    each, decided in December 2017."""
    rural = [grant for grant in get_json(client)["grants"] if "-CR-2017-" in grant["id"]]
    assert len(rural) == 13
    assert sum(grant["amountAwarded"] for grant in rural) == 1_250_000
    assert max(grant["amountAwarded"] for grant in rural) == 100_000
    assert {grant["awardDate"] for grant in rural} == {"2017-12-14"}
    assert {grant["fundingOrganization"][0]["name"] for grant in rural} == {
        "Ministre wallon de la Ruralité"
    }


def test_the_demo_tells_the_rural_2017_story(demo):
    dossiers = Application.objects.filter(call__slug="coworking-milieu-rural-2017")
    states = list(dossiers.values_list("state", flat=True))
    assert len(states) == 28
    assert (states.count("granted"), states.count("refused")) == (13, 15)
    # Each dossier reviewed by the programme's two reviewers, then ranked by the jury.
    reviews = Review.objects.filter(
        assignment__application__in=dossiers, state=Review.State.SUBMITTED
    )
    assert reviews.count() == 56
    assert set(reviews.values_list("assignment__reviewer", flat=True)) == {
        demo.reviewer2.pk,
        demo.reviewer3.pk,
    }
    proposals = Proposal.objects.filter(application__in=dossiers)
    assert proposals.count() == 28
    assert proposals.filter(proposed=True).count() == 14  # 13 granted and one in reserve
    jury = JurySession.objects.get(call__slug="coworking-milieu-rural-2017")
    assert jury.state == JurySession.State.CLOSED and jury.minutes
    assert jury.closed_at.date() == dt.date(2017, 10, 19)
    refused = Decision.objects.filter(application__in=dossiers, granted=False)
    assert refused.filter(application__proposal__proposed=True).count() == 1


def test_the_rural_spaces_hold_13_labels_and_report_quarterly(demo):
    labels = Label.objects.filter(programme__slug="coworking-milieu-rural")
    assert list(labels.values_list("number", flat=True)) == [
        f"CR-LBL-2017-{sequence:03d}" for sequence in range(1, 14)
    ]
    assert sorted(labels.values_list("state", flat=True)) == ["active"] * 11 + [
        "expired",
        "suspended",
    ]
    assert set(labels.values_list("application__call__slug", flat=True)) == {
        "coworking-milieu-rural-2017"
    }
    reports = ActivityReport.objects.filter(label__programme__slug="coworking-milieu-rural")
    assert reports.values("label").distinct().count() == 12  # not the expired one
    assert reports.filter(label__number="CR-LBL-2017-001").count() == 8
    assert set(reports.values_list("state", flat=True)) == {
        "due",
        "submitted",
        "returned",
        "accepted",
    }
    assert reports.overdue().filter(label__state=Label.State.SUSPENDED).exists()


def test_a_reviewer_declined_a_dossier_of_the_open_call(demo):
    """The officer of the open call has a reviewer to replace on an admissible dossier."""
    declined = Assignment.objects.get(
        application__call__slug="creative-wallonia-coworking-ouvert",
        state=Assignment.State.DECLINED,
    )
    assert declined.application.state == Application.State.ADMISSIBLE
    assert set(
        Assignment.objects.filter(
            application__call__slug="creative-wallonia-coworking-ouvert"
        ).values_list("state", flat=True)
    ) == {"invited", "accepted", "conflicted", "declined"}


def test_the_demo_decision_letters_cite_the_call_s_legal_basis_and_the_appeal_routes(demo):
    refused = Application.objects.filter(reference__startswith="CW-2011", state="refused").first()
    letter = refused.letters.get(kind="decision")
    with letter.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Règlement de l'appel à projets « Creative Wallonia / Coworking 2011 »" in text
    assert "reclamations@demo.guichet.be" in text
    assert "Voies de recours" in text and "Conseil d'État" in text


def test_the_demo_sent_each_call_s_decisions_to_its_applicants(demo):
    """Staff sent each replayed call's decisions mailing once the minister decided: every
    decided dossier's members (those of an organisation with accounts) have their decision
    in their inbox, and the mailing is dated like the decisions."""
    decided = Application.objects.filter(
        state__in=["granted", "refused"], organisation__memberships__isnull=False
    ).distinct()
    assert decided.exists()
    mailings = Mailing.objects.filter(kind=Mailing.Kind.DECISIONS)
    assert set(mailings.values_list("state", flat=True)) == {Mailing.State.SENT}
    assert set(mailings.values_list("call__slug", flat=True)) == set(
        decided.values_list("call__slug", flat=True)
    )
    for mailing in mailings:
        decision = Decision.objects.filter(application__call=mailing.call).first()
        assert mailing.sent_at == decision.decided_at
    for application in decided:
        members = application.organisation.memberships.values("user")
        assert Notification.objects.filter(
            recipient__in=members, kind__startswith="review/emails/decision_"
        ).exists(), application.reference
