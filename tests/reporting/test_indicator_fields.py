"""The field that asks an indicator keeps its bounds as typed, a bound of 0 included."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting.indicators import form_field
from reporting.models import Indicator


@pytest.mark.parametrize(
    ("minimum", "maximum", "refused", "accepted"),
    [
        (None, Decimal(0), "50", "0"),  # a maximum of 0 is a maximum, not "none"
        (None, None, "100,5", "100"),  # a rate stays within 0-100
        (Decimal(20), Decimal(80), "10", "20"),
    ],
)
def test_a_percentage_keeps_its_bounds(minimum, maximum, refused, accepted):
    field = form_field(
        Indicator(code="rate", label_fr="taux", kind="percentage", minimum=minimum, maximum=maximum)
    )

    with pytest.raises(ValidationError):
        field.clean(refused)
    assert field.clean(accepted) == Decimal(accepted)
