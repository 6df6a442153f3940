"""Calendar days and months as the bureau counts them (Asia/Shanghai), for visits and payment runs.

Timestamps are stored in UTC (DESIGN §3 "Time"); every period boundary a rule uses — "this month",
"visited by the end of November", "paid for 2026-11" — is an Asia/Shanghai calendar day. Nothing here
reads the clock: callers pass ``now`` (an aware datetime) and get back the Shanghai day or month.

Pure module: no I/O.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

__all__ = [
    "CHINA_TZ",
    "Clock",
    "Month",
    "add_months",
    "china_today",
    "end_of_month",
    "first_of_month",
    "system_clock",
]

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for every date
# this product handles and needs no tz database in a slim container image.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")

# What services read "now" from; injected (a service's ``make_spec(clock=…)``) so tests can move it.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def china_today(now: datetime) -> date:
    """The Asia/Shanghai calendar day of the instant ``now``; naive datetimes are refused."""
    if now.tzinfo is None or now.utcoffset() is None:
        # A naive datetime could be UTC or local; guessing would shift day boundaries by 8 hours.
        raise ValueError("now must be timezone-aware (store UTC, pass datetime.now(UTC))")
    return now.astimezone(CHINA_TZ).date()


def first_of_month(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def end_of_month(day: date) -> date:
    """The last day of ``day``'s month (28, 29, 30 or 31)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the last day of the target month.

    31 Jan + 1 → 28 Feb (29 in leap years); 29 Feb 2024 + 12 → 28 Feb 2025.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month, the period of monthly visits and payment runs; ``key`` is ``"YYYY-MM"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, got {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1-9999, got {self.year}")

    @classmethod
    def containing(cls, day: date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def of(cls, now: datetime) -> Month:
        """The Asia/Shanghai month of the instant ``now``."""
        return cls.containing(china_today(now))

    @classmethod
    def parse(cls, key: str) -> Month:
        """The month of a ``"YYYY-MM"`` key."""
        match = _MONTH_KEY.match(key.strip()) if isinstance(key, str) else None
        if match is None:
            raise ValueError(f"month key {key!r} must look like 2026-11")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        """The stable ``"YYYY-MM"`` key (idempotency keys, event payloads, URLs)."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        """The month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        """The month's last day."""
        return end_of_month(self.first)

    @property
    def days(self) -> int:
        """How many days the month has."""
        return self.last.day

    def shift(self, months: int) -> Month:
        """The month ``months`` later (negative: earlier)."""
        return Month.containing(add_months(self.first, months))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and (day.year, day.month) == (self.year, self.month)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the month in UTC, for comparing with stored UTC timestamps.

        The Shanghai month starts at 16:00 UTC on the previous day, so "visits recorded in November"
        must not be selected by UTC month.
        """
        start = datetime.combine(self.first, time(), CHINA_TZ)
        end = datetime.combine(self.shift(1).first, time(), CHINA_TZ)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return self.key
