"""Taking the payment requests apart: every bad field named, nothing read or written before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.relief.v1 import payments_pb2 as pb

from services.kit import paging
from services.kit.errors import Collector
from services.kit.fields import check_text
from services.kit.periods import Month
from services.relief.overpayments import OverpaymentStatus
from services.relief.payment_mapping import OVERPAYMENT_STATUS_FROM_PB

MAX_NOTE_LENGTH = 500
OUTCOMES = (OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED)


@dataclass(frozen=True)
class LedgerQuery:
    """A validated ledger read: the household and the page (after ``(period, payment id)``)."""

    household_id: str
    after: tuple[str, int] | None
    limit: int


@dataclass(frozen=True)
class OverpaymentQuery:
    """A validated overpayment listing."""

    status: OverpaymentStatus | None
    household_id: str | None
    after: tuple[str, str] | None
    limit: int


@dataclass(frozen=True)
class Handling:
    """A validated handling of an overpayment."""

    overpayment_id: str
    outcome: OverpaymentStatus
    note: str


def parse_month(request: pb.RunPaymentsRequest | pb.ReclassifyRequest, *, today: date) -> Month:
    """The month to run: the one given as YYYY-MM (not after the current month), or the current one."""
    errors = Collector()
    current = Month.containing(today)
    month = current
    if request.period.strip():
        try:
            month = Month.parse(request.period.strip())
        except ValueError:
            errors.add("period", "must be a month as YYYY-MM")
        else:
            errors.check(month <= current, "period", f"must not be after the current month ({current.key})")
    errors.raise_if_any()
    return month


def parse_ledger(request: pb.GetLedgerRequest) -> LedgerQuery:
    """The household (required) and the page."""
    errors = Collector()
    errors.check(bool(request.household_id.strip()), "household_id", "is required")
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    keys = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    after = None
    if keys is not None:
        if keys[1].isdigit():
            after = (keys[0], int(keys[1]))
        else:
            errors.add("page.page_token", "is not a page token this service issued")
    errors.raise_if_any()
    return LedgerQuery(request.household_id.strip(), after, limit)


def parse_list(request: pb.ListOverpaymentsRequest) -> OverpaymentQuery:
    """An optional status and household, the page."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    keys = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    status = None
    if request.status:
        status = OVERPAYMENT_STATUS_FROM_PB.get(request.status)
        errors.check(status is not None, "status", "unknown")
    errors.raise_if_any()
    after = (keys[0], keys[1]) if keys is not None else None
    return OverpaymentQuery(status, request.household_id.strip() or None, after, limit)


def parse_handle(request: pb.HandleOverpaymentRequest) -> Handling:
    """The overpayment, RECOVERED or WAIVED, and the note (required for a waiver: why)."""
    errors = Collector()
    errors.check(bool(request.id.strip()), "id", "is required")
    outcome = OVERPAYMENT_STATUS_FROM_PB.get(request.outcome)
    errors.check(outcome in OUTCOMES, "outcome", "must be RECOVERED or WAIVED")
    check_text(
        errors,
        "note",
        request.note,
        max_length=MAX_NOTE_LENGTH,
        required=outcome is OverpaymentStatus.WAIVED,
    )
    errors.raise_if_any()
    assert outcome is not None
    return Handling(request.id.strip(), outcome, request.note.strip())
