"""Hypothesis strategies shared by the test suites (resident ID numbers, region codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from services.kit.idcard import MIN_BIRTH_DATE, PROVINCE_CODES, make_id_number

# Fixed so generated IDs stay valid however far the real clock moves; pass it as ``today`` to parse.
DEFAULT_MAX_BIRTH = date(2020, 12, 31)


@dataclass(frozen=True)
class IdParts:
    """The inputs a generated ID number was built from, for round-trip checks."""

    value: str
    area_code: str
    birth_date: date
    sequence: int

    @property
    def sex(self) -> str:
        """Sex the sequence number encodes."""
        return "M" if self.sequence % 2 else "F"


def area_codes() -> st.SearchStrategy[str]:
    """Six-digit area codes under a real province prefix (the 4 county digits are arbitrary)."""
    return st.builds(
        lambda province, rest: province + rest,
        st.sampled_from(sorted(PROVINCE_CODES)),
        st.text(alphabet="0123456789", min_size=4, max_size=4),
    )


def id_number_parts(
    *,
    areas: st.SearchStrategy[str] | None = None,
    min_birth: date = MIN_BIRTH_DATE,
    max_birth: date = DEFAULT_MAX_BIRTH,
    sex: str | None = None,
) -> st.SearchStrategy[IdParts]:
    """Valid ID numbers together with the area code, birth date and sequence they encode."""
    if sex == "M":
        sequences = st.integers(0, 499).map(lambda n: 2 * n + 1)
    elif sex == "F":
        sequences = st.integers(0, 499).map(lambda n: 2 * n)
    elif sex is None:
        sequences = st.integers(0, 999)
    else:
        raise ValueError('sex must be "M", "F" or None')

    def build(area: str, birth: date, sequence: int) -> IdParts:
        value = make_id_number(area_code=area, birth_date=birth, sequence=sequence)
        return IdParts(value=value, area_code=area, birth_date=birth, sequence=sequence)

    return st.builds(
        build, areas if areas is not None else area_codes(), st.dates(min_birth, max_birth), sequences
    )


def valid_id_numbers(
    *,
    areas: st.SearchStrategy[str] | None = None,
    min_birth: date = MIN_BIRTH_DATE,
    max_birth: date = DEFAULT_MAX_BIRTH,
    sex: str | None = None,
) -> st.SearchStrategy[str]:
    """Valid 18-character resident ID numbers (upper-case X), born between the given dates."""
    return id_number_parts(areas=areas, min_birth=min_birth, max_birth=max_birth, sex=sex).map(
        lambda parts: parts.value
    )
