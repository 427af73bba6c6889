import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.be import vat

from portal import bce

# Issued numbers: the 0-series from 0200.000.000, then the 1-series.
first_eight = st.integers(min_value=2_000_000, max_value=19_999_999).map(lambda n: f"{n:08d}")


# First eight digits that are a multiple of 97: their check digits are 97, never 00.
MULTIPLES_OF_97 = ["02000043", "19999945"]


def register_check_digits(digits: str) -> str:
    """The register's rule, written out here independently of the code under test (and of
    python-stdnum): the check number is the one from 1 to 97 that makes the first eight
    digits plus itself a multiple of 97; so 97 - (first eight mod 97), and 97 (never 00)
    when the first eight are a multiple of 97."""
    return next(f"{check:02d}" for check in range(1, 98) if (int(digits) + check) % 97 == 0)


def with_check(digits: str) -> str:
    return digits + register_check_digits(digits)


# Real enterprise numbers, from the public register, each checked by hand against the rule
# (first eight mod 97, then 97 minus that remainder).
REAL_NUMBERS = {
    "0203.201.340": "SNCB/NMBS",  # 02032013 mod 97 = 57, 97 - 57 = 40
    "0202.239.951": "Proximus",  # 02022399 mod 97 = 46, 97 - 46 = 51
    "0403.170.701": "Electrabel",  # 04031707 mod 97 = 96, 97 - 96 = 01
    "0403.199.702": "BNP Paribas Fortis",  # 04031997 mod 97 = 95, 97 - 95 = 02
    "0462.920.226": "KBC Bank",  # 04629202 mod 97 = 71, 97 - 71 = 26
    "0403.201.185": "Belfius Banque",  # 04032011 mod 97 = 12, 97 - 12 = 85
    "0214.596.464": "bpost",  # 02145964 mod 97 = 33, 97 - 33 = 64
    "0316.381.039": "Service public de Wallonie",  # 03163810 mod 97 = 58, 97 - 58 = 39
}


@pytest.mark.parametrize("number", sorted(REAL_NUMBERS), ids=REAL_NUMBERS.get)
def test_real_enterprise_numbers_are_valid(number):
    digits = number.replace(".", "")

    assert bce.is_valid(number)
    bce.validate_enterprise_number(number)
    assert register_check_digits(digits[:8]) == digits[8:]
    assert bce.check_digits(digits[:8]) == digits[8:]
    assert bce.normalise(number) == digits
    assert bce.display(digits) == number


@given(first_eight)
@example(MULTIPLES_OF_97[0])
@example(MULTIPLES_OF_97[1])
def test_the_check_digits_that_invent_numbers_follow_the_register(digits):
    """``check_digits`` makes the numbers of the factories, the demo and the benchmark."""
    assert bce.check_digits(digits) == register_check_digits(digits)


@given(first_eight)
@example(MULTIPLES_OF_97[0])
@example(MULTIPLES_OF_97[1])
def test_of_the_check_digits_from_01_to_97_only_the_register_s_are_valid(digits):
    valid = [f"{check:02d}" for check in range(1, 98) if bce.is_valid(f"{digits}{check:02d}")]

    assert valid == [register_check_digits(digits)]


@pytest.mark.parametrize("digits", MULTIPLES_OF_97)
def test_a_multiple_of_97_takes_97_as_check_digits(digits):
    assert bce.check_digits(digits) == "97"
    assert bce.is_valid(digits + "97")


# Check digits the rule never gives (it gives 01 to 97), yet congruent to the right ones
# modulo 97: 00 after a multiple of 97, 98 and 99 after a remainder of 96 and 95 (the first
# eight digits of Electrabel's 0403.170.701 and BNP Paribas Fortis' 0403.199.702).
NEVER_ISSUED_CHECK_DIGITS = ["0200004300", "1999994500", "0403170798", "0403199799"]


@pytest.mark.parametrize("number", NEVER_ISSUED_CHECK_DIGITS)
def test_check_digits_outside_01_to_97_are_refused(number):
    assert register_check_digits(number[:8]) != number[8:]
    assert not bce.is_valid(number)


@given(st.text(alphabet="0123456789 .-/BE", max_size=16))
def test_whatever_is_typed_validity_agrees_with_python_stdnum(typed):
    """python-stdnum is the oracle; we refuse in addition the series never issued and the
    check digits the register never gives (00, 98, 99)."""
    compact = vat.compact(typed)
    assert bce.is_valid(typed) == (
        vat.is_valid(typed)
        and not compact.startswith(("00", "01"))
        and compact[8:] not in ("00", "98", "99")
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
