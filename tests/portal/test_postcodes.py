import pytest
from django.core.exceptions import ValidationError

from portal.postcodes import Province, province_for


@pytest.mark.parametrize(
    ("postcode", "province"),
    [
        ("1000", Province.BRUSSELS),
        ("1348", Province.WALLOON_BRABANT),
        ("1500", Province.FLEMISH_BRABANT),
        ("4000", Province.LIEGE),
        ("4100", Province.LIEGE),
        ("5000", Province.NAMUR),
        ("6000", Province.HAINAUT),
        ("6700", Province.LUXEMBOURG),
        ("7000", Province.HAINAUT),
        ("7500", Province.HAINAUT),
        ("9000", Province.EAST_FLANDERS),
    ],
)
def test_province_follows_from_the_postcode(postcode, province):
    assert province_for(postcode) == province


@pytest.mark.parametrize("postcode", ["999", "0999", "10000", "ABCD", ""])
def test_a_postcode_that_is_not_belgian_is_refused(postcode):
    with pytest.raises(ValidationError):
        province_for(postcode)
