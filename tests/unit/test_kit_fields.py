"""kit.fields: the shared checks of free text."""

from __future__ import annotations

import pytest

from services.kit.errors import Collector, InvalidArgument
from services.kit.fields import check_text


def _violations(value: str, *, required: bool = True) -> list[str]:
    errors = Collector()
    check_text(errors, "note", value, max_length=5, required=required)
    try:
        errors.raise_if_any()
    except InvalidArgument as exc:
        return [v.description for v in exc.violations]
    return []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fine", []),
        ("", ["is required"]),
        ("   ", ["is required"]),
        ("toolong", ["must be at most 5 characters"]),
        ("a\x00b", ["must not contain NUL characters"]),
    ],
)
def test_free_text_is_checked_as_sent(value: str, expected: list[str]) -> None:
    assert _violations(value) == expected


def test_optional_text_may_be_empty() -> None:
    assert _violations("", required=False) == []
