"""Resident ID numbers (GB 11643-1999): check character, parsing, masking, age and generators."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.kit.idcard import (
    PROVINCE_CODES,
    IdNumber,
    InvalidIdNumber,
    check_char,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    parse_id_number,
    random_id_number,
)
from tests.strategies import IdParts, id_number_parts, valid_id_numbers

# Every generated birth date is on or before 2020-12-31, so this "today" keeps them all in the past.
TODAY = date(2025, 6, 1)
DIGITS = "0123456789"
CHECK_CHARS = "0123456789X"

# The worked example printed in GB 11643-1999.
GB_EXAMPLE = "11010519491231002X"


# --- properties -------------------------------------------------------------------------------------


@given(id_number_parts())
def test_generated_ids_validate_and_round_trip(parts: IdParts) -> None:
    parsed = parse_id_number(parts.value, today=TODAY)
    assert parsed.value == parts.value
    assert parsed.area_code == parts.area_code
    assert parsed.birth_date == parts.birth_date
    assert parsed.sequence == parts.sequence
    assert parsed.sex == parts.sex
    assert is_valid_id_number(parts.value, today=TODAY)


@given(valid_id_numbers(sex="M"), valid_id_numbers(sex="F"))
def test_sex_follows_sequence_parity(male: str, female: str) -> None:
    assert parse_id_number(male, today=TODAY).sex == "M"
    assert parse_id_number(female, today=TODAY).sex == "F"


@given(valid_id_numbers(), st.sampled_from(["", " ", "\t", "\n "]), st.sampled_from(["", " ", "\r\n"]))
def test_whitespace_and_lowercase_x_are_normalised(value: str, before: str, after: str) -> None:
    raw = before + value[:-1] + value[-1].lower() + after
    assert parse_id_number(raw, today=TODAY).value == value


@given(valid_id_numbers(), st.integers(0, 16), st.integers(1, 9))
def test_changing_any_single_digit_makes_the_number_invalid(value: str, position: int, shift: int) -> None:
    # MOD 11-2 weights are all non-zero mod 11 (a prime), so any single substitution moves the sum.
    new_digit = str((int(value[position]) + shift) % 10)
    changed = value[:position] + new_digit + value[position + 1 :]
    assert check_char(changed[:17]) != value[-1]
    assert not is_valid_id_number(changed, today=TODAY)


@given(valid_id_numbers(), st.sampled_from(CHECK_CHARS))
def test_any_other_check_character_is_refused(value: str, replacement: str) -> None:
    changed = value[:-1] + replacement
    if replacement == value[-1]:
        assert is_valid_id_number(changed, today=TODAY)
        return
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(changed, today=TODAY)
    assert caught.value.reason == f"check digit should be {value[-1]}"


@given(valid_id_numbers(), st.integers(0, 15))
def test_swapping_adjacent_digits_changes_the_check_character(value: str, position: int) -> None:
    a, b = value[position], value[position + 1]
    swapped = value[:position] + b + a + value[position + 2 :]
    if a != b:
        assert check_char(swapped[:17]) != value[-1]
    else:
        assert swapped == value


@given(valid_id_numbers())
def test_mask_keeps_first_six_and_last_four(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == 18
    assert masked[:6] == value[:6]
    assert masked[6:14] == "*" * 8
    assert masked[-4:] == value[-4:]
    assert parse_id_number(value, today=TODAY).masked == masked


@given(st.text(max_size=40).filter(lambda text: len(text) != 18))
def test_mask_of_other_lengths_keeps_at_most_the_last_four(text: str) -> None:
    masked = mask_id_number(text)
    assert len(masked) == len(text)
    if len(text) > 4:
        assert masked == "*" * (len(text) - 4) + text[-4:]
    else:
        assert masked == "*" * len(text)


def _reference_age(birth: date, day: date) -> int:
    """Count anniversaries reached, a leap-day birthday falling on 1 March in common years."""

    def anniversary(years: int) -> date:
        try:
            return birth.replace(year=birth.year + years)
        except ValueError:
            return date(birth.year + years, 3, 1)

    years = day.year - birth.year
    while years > 0 and anniversary(years) > day:
        years -= 1
    return years


@given(valid_id_numbers(), st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_age_is_the_number_of_birthdays_reached(value: str, day: date) -> None:
    id_number = parse_id_number(value, today=TODAY)
    if day < id_number.birth_date:
        with pytest.raises(ValueError, match="before the birth date"):
            id_number.age_on(day)
        return
    assert id_number.age_on(day) == _reference_age(id_number.birth_date, day)


@given(valid_id_numbers(min_birth=date(1996, 2, 29), max_birth=date(1996, 2, 29)), st.integers(1, 100))
def test_leap_day_birthday_counts_on_first_of_march_in_common_years(value: str, years: int) -> None:
    id_number = parse_id_number(value, today=TODAY)
    year = 1996 + years
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    birthday = date(year, 2, 29) if leap else date(year, 3, 1)
    assert id_number.age_on(birthday) == years
    assert id_number.age_on(birthday - timedelta(days=1)) == years - 1


# --- known numbers ----------------------------------------------------------------------------------


def test_gb_11643_example_is_valid() -> None:
    parsed = parse_id_number(GB_EXAMPLE, today=TODAY)
    assert parsed == IdNumber(value=GB_EXAMPLE, area_code="110105", birth_date=date(1949, 12, 31), sequence=2)
    assert parsed.sex == "F"
    assert check_char(GB_EXAMPLE[:17]) == "X"
    assert parse_id_number(GB_EXAMPLE.lower(), today=TODAY).value == GB_EXAMPLE


def test_generated_xiaoshan_number_round_trips() -> None:
    value = make_id_number(birth_date=date(1990, 1, 1), sequence=123)
    assert value == "330109199001011239"
    parsed = parse_id_number(value, today=TODAY)
    assert (parsed.area_code, parsed.birth_date, parsed.sex) == ("330109", date(1990, 1, 1), "M")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("110105194912310021", "check digit should be X"),
        ("330109199001011230", "check digit should be 9"),
        ("11010519491231002", "must be 18 characters, got 17"),
        ("11010519491231002XX", "must be 18 characters, got 19"),
        ("", "must be 18 characters, got 0"),
        ("1101051949123100AX", "the first 17 characters must be digits"),
        ("11010519491231002Y", "the last character must be a digit or X"),
        ("1101051949123１002X", "the first 17 characters must be digits"),  # full-width digit
        ("９10105194912310021", "the first 17 characters must be digits"),
    ],
)
def test_malformed_numbers_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.reason == reason
    assert str(caught.value) == caught.value.reason
    assert isinstance(caught.value, ValueError)


def _with_check(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_with_check("33010920230230001"), "birth date 20230230 is not a date"),
        (_with_check("33010920210229001"), "birth date 20210229 is not a date"),
        (_with_check("33010919901301001"), "birth date 19901301 is not a date"),
        (_with_check("33010919900100001"), "birth date 19900100 is not a date"),
        (_with_check("33010920250602001"), "birth date is in the future"),
        # GB 11643's second worked example (born 1880) is well formed but outside the supported range.
        ("440524188001010014", "birth date 18800101 is before 1900-01-01"),
        (_with_check("99010919900101001"), "area code 990109 must start with a digit from 1 to 8"),
        (_with_check("01010919900101001"), "area code 010109 must start with a digit from 1 to 8"),
        (_with_check("16010919900101001"), "area code 160109 has no province 16"),
        (_with_check("39010919900101001"), "area code 390109 has no province 39"),
    ],
)
def test_numbers_with_a_correct_check_digit_can_still_be_invalid(raw: str, reason: str) -> None:
    assert raw[-1] == check_char(raw[:17])
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.reason == reason


def test_reasons_never_repeat_the_whole_number() -> None:
    for raw in ("110105194912310021", _with_check("33010920230230001"), _with_check("16010919900101001")):
        with pytest.raises(InvalidIdNumber) as caught:
            parse_id_number(raw, today=TODAY)
        assert raw not in str(caught.value)


def test_non_string_input_is_refused() -> None:
    with pytest.raises(InvalidIdNumber, match="must be a string"):
        parse_id_number(11010519491231002, today=TODAY)  # type: ignore[arg-type]
    assert not is_valid_id_number(None)  # type: ignore[arg-type]


def test_today_bounds_the_birth_date() -> None:
    born_today = make_id_number(birth_date=TODAY, sequence=1)
    born_tomorrow = make_id_number(birth_date=TODAY + timedelta(days=1), sequence=1)
    assert is_valid_id_number(born_today, today=TODAY)
    assert not is_valid_id_number(born_tomorrow, today=TODAY)
    assert is_valid_id_number(born_tomorrow, today=TODAY + timedelta(days=1))


def test_earliest_supported_birth_date() -> None:
    assert is_valid_id_number(make_id_number(birth_date=date(1900, 1, 1), sequence=1), today=TODAY)
    assert not is_valid_id_number(make_id_number(birth_date=date(1899, 12, 31), sequence=1), today=TODAY)


def test_every_listed_province_is_accepted() -> None:
    for province in PROVINCE_CODES:
        value = make_id_number(area_code=province + "0101", birth_date=date(1980, 5, 17), sequence=42)
        assert is_valid_id_number(value, today=TODAY), province


def test_repr_and_str_are_masked() -> None:
    parsed = parse_id_number(GB_EXAMPLE, today=TODAY)
    assert GB_EXAMPLE not in repr(parsed)
    assert GB_EXAMPLE not in str(parsed)
    assert "110105********002X" in repr(parsed)


def test_mask_examples() -> None:
    assert mask_id_number("33010919900101123X") == "330109********123X"
    assert mask_id_number("330109199001011") == "***********1011"
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""


# --- age --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(1990, 6, 15), 0),
        (date(1991, 6, 14), 0),
        (date(1991, 6, 15), 1),
        (date(2050, 6, 14), 59),
        (date(2050, 6, 15), 60),
        (date(2050, 12, 31), 60),
    ],
)
def test_age_on_ordinary_birthday(day: date, age: int) -> None:
    id_number = parse_id_number(make_id_number(birth_date=date(1990, 6, 15), sequence=7), today=TODAY)
    assert id_number.age_on(day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2000, 2, 29), 0),
        (date(2001, 2, 28), 0),  # no 29 February in 2001: the birthday has not been reached yet...
        (date(2001, 3, 1), 1),  # ...so the year turns over on 1 March
        (date(2003, 2, 28), 2),
        (date(2003, 3, 1), 3),
        (date(2004, 2, 28), 3),
        (date(2004, 2, 29), 4),  # leap years have the real birthday
        (date(2060, 2, 29), 60),
        (date(2061, 2, 28), 60),
        (date(2061, 3, 1), 61),
    ],
)
def test_age_on_for_a_leap_day_birthday(day: date, age: int) -> None:
    id_number = parse_id_number(make_id_number(birth_date=date(2000, 2, 29), sequence=8), today=TODAY)
    assert id_number.sex == "F"
    assert id_number.age_on(day) == age


def test_age_on_before_birth_is_an_error() -> None:
    id_number = parse_id_number(GB_EXAMPLE, today=TODAY)
    with pytest.raises(ValueError, match="before the birth date"):
        id_number.age_on(date(1949, 12, 30))


# --- generators -------------------------------------------------------------------------------------


def test_random_ids_are_valid_reproducible_and_respect_their_constraints() -> None:
    window = (date(1950, 1, 1), date(1960, 12, 31))
    first = [random_id_number(random.Random(7), born_between=window, sex="F") for _ in range(3)]
    assert len(set(first)) == 1  # same seed, same number

    rng = random.Random(2024)
    for sex in ("M", "F", None):
        for _ in range(200):
            value = random_id_number(rng, born_between=window, sex=sex)
            parsed = parse_id_number(value, today=TODAY)
            assert parsed.area_code == "330109"
            assert window[0] <= parsed.birth_date <= window[1]
            assert sex is None or parsed.sex == sex
            assert parsed.sequence != 0


def test_random_id_default_window_and_other_area() -> None:
    rng = random.Random(1)
    values = {random_id_number(rng, area_code="110105") for _ in range(50)}
    assert all(value.startswith("110105") and is_valid_id_number(value, today=TODAY) for value in values)
    assert len(values) == 50


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sex": "male"},
        {"area_code": "990101"},
        {"born_between": (date(2000, 1, 2), date(2000, 1, 1))},
        {"born_between": (date(1899, 1, 1), date(1950, 1, 1))},
    ],
)
def test_random_id_rejects_bad_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        random_id_number(random.Random(0), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"area_code": "33010", "birth_date": date(1990, 1, 1), "sequence": 1},
        {"area_code": "33010a", "birth_date": date(1990, 1, 1), "sequence": 1},
        {"birth_date": date(1990, 1, 1), "sequence": 1000},
        {"birth_date": date(1990, 1, 1), "sequence": -1},
        {"birth_date": date(999, 1, 1), "sequence": 1},
    ],
)
def test_make_id_number_rejects_bad_parts(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make_id_number(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("first17", ["", "1101051949123100", "110105194912310021", "1101051949123100X"])
def test_check_char_needs_seventeen_digits(first17: str) -> None:
    with pytest.raises(InvalidIdNumber, match="17 digits"):
        check_char(first17)
