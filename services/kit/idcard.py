"""18-digit PRC resident ID numbers (GB 11643-1999): validation, parsing, masking and test generators.

Layout: 6-digit area code, 8-digit birth date ``YYYYMMDD``, 3-digit sequence (odd = male, even =
female) and one ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``).

ID numbers are personal data (DESIGN §3): nothing here puts a whole number into an exception message
or a ``repr``, so a stray log line or traceback cannot leak one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "MIN_BIRTH_DATE",
    "PROVINCE_CODES",
    "IdNumber",
    "InvalidIdNumber",
    "check_char",
    "is_valid_id_number",
    "make_id_number",
    "mask_id_number",
    "parse_id_number",
    "random_id_number",
]

ID_LENGTH = 18
MIN_BIRTH_DATE = date(1900, 1, 1)

# Two-digit province-level prefixes of GB/T 2260 that appear on resident ID numbers; kept as data so
# a new province-level unit is a one-line change.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",  # 北京 天津 河北 山西 内蒙古
        "21", "22", "23",  # 辽宁 吉林 黑龙江
        "31", "32", "33", "34", "35", "36", "37",  # 上海 江苏 浙江 安徽 福建 江西 山东
        "41", "42", "43", "44", "45", "46",  # 河南 湖北 湖南 广东 广西 海南
        "50", "51", "52", "53", "54",  # 重庆 四川 贵州 云南 西藏
        "61", "62", "63", "64", "65",  # 陕西 甘肃 青海 宁夏 新疆
        "71",  # 台湾
        "81", "82", "83",  # residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证)
    }
)  # fmt: skip

# MOD 11-2 weights are 2^(17-i) mod 11 for positions i = 0..16; written out as the standard prints them.
_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Check character indexed by (weighted sum mod 11).
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")

Sex = Literal["M", "F"]


class InvalidIdNumber(ValueError):
    """A resident ID number failed validation; ``reason`` says why in plain English."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, repr=False)
class IdNumber:
    """A validated resident ID number and the facts encoded in it."""

    value: str
    area_code: str
    birth_date: date
    sequence: int

    @property
    def sex(self) -> Sex:
        """``"M"`` for an odd sequence number, ``"F"`` for an even one."""
        return "M" if self.sequence % 2 else "F"

    @property
    def masked(self) -> str:
        """The number as non-privileged roles may see it (``330109********123X``)."""
        return mask_id_number(self.value)

    def age_on(self, day: date) -> int:
        """Age in full years on ``day``.

        Someone born on 29 February turns a year older on 1 March in non-leap years: the birthday has
        not happened on 28 February, because the day they were born on has not yet been reached.
        """
        if day < self.birth_date:
            raise ValueError("day is before the birth date")
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def __repr__(self) -> str:
        # Masked on purpose: dataclass reprs end up in logs and tracebacks.
        return f"IdNumber({self.masked!r})"

    __str__ = __repr__


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts e.g. superscripts and Arabic-Indic digits, which are not valid here.
    return bool(text) and all(ch in _DIGITS for ch in text)


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``) for the first 17 digits."""
    if len(first17) != ID_LENGTH - 1 or not _is_digits(first17):
        raise InvalidIdNumber("check character needs exactly 17 digits")
    total = sum(int(ch) * weight for ch, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _parse_birth_date(text: str) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InvalidIdNumber(f"birth date {text} is not a date") from None


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate an ID number and split it into its parts; raises ``InvalidIdNumber`` with a reason.

    Surrounding whitespace is ignored and a lowercase ``x`` check character is accepted; ``value`` is
    always the normalised form (upper-case ``X``). ``today`` defaults to ``date.today()``.
    """
    if not isinstance(raw, str):
        raise InvalidIdNumber("must be a string")
    value = raw.strip()
    if len(value) != ID_LENGTH:
        raise InvalidIdNumber(f"must be {ID_LENGTH} characters, got {len(value)}")
    value = value[:-1] + value[-1].upper()
    if not _is_digits(value[:-1]):
        raise InvalidIdNumber("the first 17 characters must be digits")
    if value[-1] not in _DIGITS and value[-1] != "X":
        raise InvalidIdNumber("the last character must be a digit or X")

    area_code = value[:6]
    if area_code[0] not in "12345678":
        raise InvalidIdNumber(f"area code {area_code} must start with a digit from 1 to 8")
    if area_code[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(f"area code {area_code} has no province {area_code[:2]}")

    birth_date = _parse_birth_date(value[6:14])
    if birth_date < MIN_BIRTH_DATE:
        raise InvalidIdNumber(f"birth date {value[6:14]} is before {MIN_BIRTH_DATE.isoformat()}")
    if birth_date > (today if today is not None else date.today()):
        raise InvalidIdNumber("birth date is in the future")

    expected = check_char(value[:17])
    if value[-1] != expected:
        raise InvalidIdNumber(f"check digit should be {expected}")

    return IdNumber(value=value, area_code=area_code, birth_date=birth_date, sequence=int(value[14:17]))


def is_valid_id_number(raw: str, *, today: date | None = None) -> bool:
    """True when ``parse_id_number`` would accept ``raw``."""
    try:
        parse_id_number(raw, today=today)
    except InvalidIdNumber:
        return False
    return True


def mask_id_number(value: str) -> str:
    """Hide the middle of an ID number: first 6 and last 4 stay, e.g. ``330109********123X``.

    Strings that are not 18 characters keep only their last 4; strings of 4 characters or fewer are
    masked entirely, since keeping "the last 4" would reveal all of them.
    """
    if len(value) == ID_LENGTH:
        return value[:6] + "*" * 8 + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def make_id_number(*, area_code: str = "330109", birth_date: date, sequence: int) -> str:
    """Assemble an ID number with the correct check character.

    Only the shape is checked (6-digit area code, sequence 0-999, 4-digit year), not the province list
    or the date range, so tests can also build numbers that ``parse_id_number`` must refuse.
    """
    if len(area_code) != 6 or not _is_digits(area_code):
        raise ValueError("area code must be 6 digits")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be between 0 and 999")
    if birth_date.year < 1000:
        raise ValueError("birth year must have 4 digits")
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def random_id_number(
    rng: random.Random,
    *,
    area_code: str = "330109",
    born_between: tuple[date, date] = (date(1920, 1, 1), date(2020, 12, 31)),
    sex: str | None = None,
) -> str:
    """A random valid ID number born in ``born_between`` (inclusive), of ``sex`` "M"/"F" if given.

    Deterministic for a seeded ``rng``, so demo data and benchmarks are reproducible.
    """
    if sex not in (None, "M", "F"):
        raise ValueError('sex must be "M", "F" or None')
    if area_code[:2] not in PROVINCE_CODES or area_code[0] not in "12345678":
        raise ValueError(f"area code {area_code} is not in a known province")
    low, high = born_between
    if low > high:
        raise ValueError("born_between must be (earliest, latest)")
    if low < MIN_BIRTH_DATE:
        raise ValueError(f"born_between must not start before {MIN_BIRTH_DATE.isoformat()}")
    birth_date = date.fromordinal(rng.randint(low.toordinal(), high.toordinal()))
    # Sequence 000 is never issued in practice; keep generated numbers realistic.
    if sex == "M":
        sequence = rng.randrange(1, 1000, 2)
    elif sex == "F":
        sequence = rng.randrange(2, 1000, 2)
    else:
        sequence = rng.randint(1, 999)
    return make_id_number(area_code=area_code, birth_date=birth_date, sequence=sequence)
