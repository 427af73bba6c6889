"""Loading the demo twice changes nothing. (What the demo shows is read in tests/demo/, where
it is loaded once.)"""

import pytest
from django.core.management import call_command

from portal.models import Membership, Organisation, User
from reporting.models import ActivityReport


def snapshot():
    return (
        list(User.objects.values_list("email", "password", "full_name").order_by("email")),
        list(Organisation.objects.values().order_by("pk")),
        list(Membership.objects.values_list("user__email", "organisation_id", "role")),
        list(ActivityReport.objects.values_list("pk", "state", "values").order_by("pk")),
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_is_idempotent(reference_data, private_storage, capsys):
    """Transactional: the grant hook issues labels after each commit, as in production."""
    call_command("demo")
    first = snapshot()
    assert first[3], "the demo has activity reports"
    call_command("demo")

    assert snapshot() == first
    assert "guichet-demo-2026" in capsys.readouterr().out
