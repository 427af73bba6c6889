import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import vat

from portal import bce

# Issued numbers: the 0-series from 0200.000.000, then the 1-series.
first_eight = st.integers(min_value=2_000_000, max_value=19_999_999).map(lambda n: f"{n:08d}")


def with_check(digits: str) -> str:
    """Written out here, independently of the code under test: 97 - (first eight mod 97)."""
    return digits + f"{97 - int(digits) % 97:02d}"


@given(st.text(alphabet="0123456789 .-/BE", max_size=16))
def test_whatever_is_typed_validity_agrees_with_python_stdnum(typed):
    """python-stdnum is the oracle; we refuse in addition the series never issued."""
    assert bce.is_valid(typed) == (
        vat.is_valid(typed) and not vat.compact(typed).startswith(("00", "01"))
    )


@pytest.mark.parametrize("number", ["0000.000.097", "0000000097", "0100.000.070", "00 0000 0097"])
def test_numbers_the_register_never_issued_are_refused(number):
    with pytest.raises(ValidationError) as raised:
        bce.validate_enterprise_number(number)
    assert raised.value.code == "bce_unissued"


def test_nine_digit_numbers_are_recognised_as_written_the_old_way():
    assert bce.is_short_form("566.988.259")
    assert bce.is_short_form("BE 566988259")
    assert not bce.is_short_form("0566.988.259")


@given(first_eight)
def test_every_number_with_its_check_digits_is_valid(digits):
    assert bce.is_valid(with_check(digits))


@given(first_eight, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_one_digit_change_is_rejected(digits, position, shift):
    number = with_check(digits)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not bce.is_valid(changed)
    with pytest.raises(ValidationError):
        bce.validate_enterprise_number(changed)


@pytest.mark.parametrize(
    "written",
    [
        "0566.988.259",
        "0566 988 259",
        "BE0566988259",
        "be 0566.988.259",
        "566.988.259",
        "0566/988-259",
    ],
)
def test_the_ways_people_write_a_number_normalise_to_ten_digits(written):
    assert bce.normalise(written) == "0566988259"
    assert bce.is_valid(written)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("12345", "bce_length"),
        ("0566.988.25X", "bce_length"),
        ("2566988259", "bce_first_digit"),
        ("0566.988.258", "bce_check_digits"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as raised:
        bce.validate_enterprise_number(number)
    assert raised.value.code == code


def test_display_groups_the_digits_like_the_register():
    assert bce.display("0566988259") == "0566.988.259"
