import pytest
from django.core.exceptions import ValidationError

from portal.postcodes import Province, localities, locality_named, province_for, validate_postcode


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


@pytest.mark.parametrize("postcode", ["9999", "1001", "4999"])
def test_a_postcode_bpost_does_not_use_is_refused(postcode):
    with pytest.raises(ValidationError) as raised:
        validate_postcode(postcode)
    assert raised.value.code == "postcode_unknown"


@pytest.mark.parametrize("postcode", ["1000", "1348", "4000", "5000", "6700", "7500", "9000"])
def test_postcodes_in_use_are_accepted(postcode):
    validate_postcode(postcode)


def test_a_postcode_offers_its_localities():
    assert localities("4000") == ("Glain", "Liège", "Rocourt")
    assert localities("9999") == ()


@pytest.mark.parametrize("typed", ["Liège", "liege", "LIÈGE", " liège "])
def test_a_locality_is_found_whatever_its_accents_and_case(typed):
    assert locality_named("4000", typed) == "Liège"


def test_a_locality_of_another_postcode_is_not_found():
    assert locality_named("4000", "Namur") is None
