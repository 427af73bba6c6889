"""An enterprise number is shown the BCE's way in Python (``bce.display``: pages, the
Python export writer) and in SQL (``bce.display_sql``: the CSV the database writes). Both
must show the same text for the same stored values, the malformed ones of old rows too."""

import pytest

from portal import bce
from portal.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STORED = {
    "0566988259": "0566.988.259",
    "1000000097": "1000.000.097",
    "0403170701": "0403.170.701",
    # Not ten digits (rows older than the validator): shown as stored.
    "403170701": "403170701",
    "0403.1707": "0403.1707",
    "": "",
}


def test_sql_and_python_show_every_stored_number_alike():
    for number in STORED:
        organisation = OrganisationFactory()
        # As stored, past ``save``'s normalising.
        Organisation.objects.filter(pk=organisation.pk).update(enterprise_number=number)

    rows = Organisation.objects.annotate(shown=bce.display_sql("enterprise_number"))
    sql = {row.enterprise_number: row.shown for row in rows}
    python = {number: bce.display(number) for number in sql}

    assert sql == python == STORED
