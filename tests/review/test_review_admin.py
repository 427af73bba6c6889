"""The shortlist, hearings and consensuses in the admin: administrators read them; the
portal alone writes them (their state changes only through the rules and the history)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from review.models import Consensus, ConsensusScore, Criterion, Hearing, Shortlisting
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(call):
    application = ApplicationFactory(call=call)
    rapporteur = UserFactory()
    criterion = Criterion.objects.create(call=call, code="q", title="Qualité", weight=Decimal(1))
    Shortlisting.objects.create(application=application, rationale="Parmi les meilleurs")
    Hearing.objects.create(application=application, starts_at=timezone.now(), place="Namur")
    consensus = Consensus.objects.create(application=application, rapporteur=rapporteur)
    ConsensusScore.objects.create(consensus=consensus, criterion=criterion, value=Decimal(7))
    return consensus


@pytest.mark.parametrize("model", ["shortlisting", "hearing", "consensus"])
def test_an_administrator_reads_the_list_and_the_row_but_adds_nothing(admin_client, rows, model):
    changelist = admin_client.get(reverse(f"admin:review_{model}_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    assert admin_client.get(reverse(f"admin:review_{model}_add")).status_code == 403


def test_the_consensus_shows_its_scores_read_only(admin_client, rows):
    page = admin_client.get(reverse("admin:review_consensus_change", args=[rows.pk]))
    assert page.status_code == 200
    assert "q — Qualité" in page.content.decode()
    assert not page.context["has_change_permission"]
