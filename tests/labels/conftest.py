import pytest

from applications.models import Application
from labels import services
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    officer,
    other_officer,
    private_storage,
    programme,
)
from tests.factories import ApplicationFactory, MembershipFactory


def granted(call, **organisation):
    membership = MembershipFactory(**{f"organisation__{k}": v for k, v in organisation.items()})
    application = ApplicationFactory(
        call=call,
        organisation=membership.organisation,
        state=Application.State.GRANTED,
        reference=f"CW-2026-{Application.objects.count() + 1:04d}",
    )
    application.created_by = membership.user
    application.save()
    return application


@pytest.fixture
def label(call, officer):
    return services.issue_label(granted(call, legal_name="Société Liégeoise des Tiers-Lieux ASBL"))


@pytest.fixture
def holder(label):
    return label.organisation.memberships.get().user
