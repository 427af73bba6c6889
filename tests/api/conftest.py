"""Two programmes, A and B, each with a call, submitted dossiers, a granted one with its
label and a report; staff of each, and the ways to call the API with a token."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.scopes import PUBLIC, programme_scope
from applications.models import Application
from labels import services as label_services
from review.models import Decision, Standing
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, UserFactory
from tests.reporting.conftest import make_report


@dataclass
class Programme:
    programme: object
    call: object
    granted: object
    label: object
    report: object


def submitted(call, organisation, n: int, **fields):
    return ApplicationFactory(
        call=call,
        organisation=organisation,
        state=fields.pop("state", Application.State.SUBMITTED),
        reference=f"{call.slug.upper()}-2026-{n:04d}",
        submitted_at=timezone.now() - dt.timedelta(days=n),
        **fields,
    )


def build_programme(name: str, founder_org) -> Programme:
    call = CallFactory(
        slug=f"call-{name}",
        programme__slug=f"programme-{name}",
        programme__reference_prefix=name.upper(),
    )
    submitted(call, founder_org, 1)
    granted = submitted(call, founder_org, 2, state=Application.State.GRANTED)
    Standing.objects.create(
        application=granted, total=Decimal("14.5"), below_threshold=False, disagreement=False
    )
    Decision.objects.create(application=granted, granted=True, amount=Decimal("50000"))
    label = label_services.issue_label(granted)
    report = make_report(
        label, dt.date(2026, 1, 1), state="submitted", active_coworkers=12, narrative="Bien."
    )
    return Programme(call.programme, call, granted, label, report)


@pytest.fixture
def founder_org(db):
    return MembershipFactory(organisation__legal_name="Coworking des Tiers-Lieux ASBL").organisation


@pytest.fixture
def founder(founder_org):
    return founder_org.memberships.get().user


@pytest.fixture
def a(founder_org):
    return build_programme("a", founder_org)


@pytest.fixture
def b(founder_org):
    return build_programme("b", founder_org)


def staff(programme, role):
    user = UserFactory(roles=[role])
    programme.staff.create(user=user, role=role)
    return user


@pytest.fixture
def officer_a(a):
    return staff(a.programme, "officer")


@pytest.fixture
def officer_b(b):
    return staff(b.programme, "officer")


@pytest.fixture
def ministry_a(a):
    return staff(a.programme, "ministry")


def token_for(user, *programmes, public=True, expires_on=None):
    """A token of ``user`` reading the programmes given (their scopes, whatever the user's
    rights: the API must hold back what the owner may not read) and the public data."""
    scopes = [programme_scope(p.slug) for p in programmes] + ([PUBLIC] if public else [])
    _token, secret = ApiToken.make(
        user,
        name="Comptabilité",
        scopes=scopes,
        expires_on=expires_on or timezone.localdate() + dt.timedelta(days=30),
    )
    return secret


def call_api(url, secret=None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(url, params, headers=headers)
