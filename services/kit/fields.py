"""Checks of request fields every service makes the same way: days, free text, ages.

Pure (no I/O, no clock): the caller passes "today". Each check adds a violation to the request's
``Collector`` instead of raising, so one reply names every bad field.
"""

from __future__ import annotations

from datetime import date

from services.kit.errors import Collector

ISO_DAY_LENGTH = len("YYYY-MM-DD")


def parse_day(errors: Collector, field: str, raw: str, *, default: date | None = None) -> date | None:
    """An ISO ``YYYY-MM-DD`` date; ``default`` when empty (or a violation when there is none)."""
    text = raw.strip()
    if not text:
        if default is None:
            errors.add(field, "is required")
        return default
    try:
        # fromisoformat also takes "20250101" and week dates; a form field takes one spelling.
        if len(text) != ISO_DAY_LENGTH:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors.add(field, "must be a date as YYYY-MM-DD")
        return None


def check_not_future(errors: Collector, field: str, day: date | None, today: date) -> None:
    """A day that has already begun (``today`` is the Shanghai calendar day the caller computed)."""
    if day is not None and day > today:
        errors.add(field, f"must not be in the future (today is {today.isoformat()})")


def check_text(errors: Collector, field: str, value: str, *, max_length: int, required: bool) -> None:
    """A free-text field: present when required, at most ``max_length`` characters as sent (the column's
    limit; surrounding spaces count, so a value that fits here always fits the column)."""
    if required and not value.strip():
        errors.add(field, "is required")
    elif len(value) > max_length:
        errors.add(field, f"must be at most {max_length} characters")
    elif "\x00" in value:  # PostgreSQL text cannot hold NUL: refused here, not as a database error
        errors.add(field, "must not contain NUL characters")


def age_on(birth_date: date, day: date) -> int:
    """Age in full years on ``day`` (someone born on 29 February ages on 1 March in common years)."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years
