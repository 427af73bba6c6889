from decimal import Decimal

import pytest

from applications import services as application_services
from review.models import Criterion
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    draft,
    ministry,
    officer,
    private_storage,
    programme,
)
from tests.factories import (
    ADMISSIBLE_CHECKLIST,
    ApplicationFactory,
    MembershipFactory,
    UserFactory,
    complete,
)


@pytest.fixture
def grid(call):
    call.reviews_per_dossier = 2
    call.save()
    return [
        Criterion.objects.create(
            call=call,
            code="quality",
            title="Qualité du projet",
            weight=Decimal("2"),
            threshold=Decimal("5"),
            position=1,
        ),
        Criterion.objects.create(
            call=call,
            code="territory",
            title="Ancrage territorial",
            weight=Decimal("1"),
            position=2,
        ),
    ]


@pytest.fixture
def reviewers(programme):
    people = [UserFactory(roles=["reviewer"], full_name=f"Expert {n}") for n in (1, 2, 3)]
    for person in people:
        programme.staff.create(user=person, role="reviewer")
    return people


def admissible_application(call, officer, **content):
    membership = MembershipFactory()
    application = complete(
        ApplicationFactory(call=call, organisation=membership.organisation, content=content)
    )
    application.created_by = membership.user
    application.save()
    application_services.submit(application, by=membership.user)
    application_services.declare_admissible(application, by=officer, checklist=ADMISSIBLE_CHECKLIST)
    return application


@pytest.fixture
def admissible(call, officer, grid):
    return admissible_application(call, officer)
