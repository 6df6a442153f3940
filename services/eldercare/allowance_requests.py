"""Taking the allowance and voucher requests apart: every bad field named, nothing read or written before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.eldercare.v1 import allowances_pb2 as pb

from services.eldercare import allowance_mapping
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.periods import Month

FILTER_LEVELS = ("district", "town", "village")
MAX_REFERENCE_LENGTH = 100
# One bill offset at most ¥100,000: a typo of a few zeros is refused rather than tried on the balance.
MAX_SPEND_FEN = 10_000_000


@dataclass(frozen=True)
class PaymentQuery:
    """A validated payments listing: one elder's, or a region's inside the caller's."""

    elder_id: str
    scopes: tuple[str, ...]
    period: str | None
    programme: str | None
    after: tuple[str, int] | None
    limit: int


@dataclass(frozen=True)
class Spend:
    """A validated spend."""

    elder_id: str
    institution_id: str
    amount_fen: int
    reference: str


def month_of(errors: Collector, field: str, raw: str, *, today: date | None = None) -> Month | None:
    """A ``YYYY-MM`` month, not after the month of ``today`` when given; None when empty or bad."""
    if not raw.strip():
        return None
    try:
        month = Month.parse(raw)
    except ValueError:
        errors.add(field, "must be a month as YYYY-MM")
        return None
    if today is not None and month > Month.containing(today):
        errors.add(field, f"must not be after the current month ({Month.containing(today).key})")
        return None
    return month


def _required(errors: Collector, field: str, value: str) -> str:
    errors.check(bool(value.strip()), field, "is required")
    return value.strip()


def _keyset(errors: Collector, token: str) -> tuple[str, int] | None:
    keys = paging.decode_page_token(errors, "page.page_token", token, size=2)
    if keys is None:
        return None
    if not keys[1].isdigit():
        errors.add("page.page_token", "is not a page token this service issued")
        return None
    return keys[0], int(keys[1])


def parse_run(request: pb.RunElderAllowancesRequest, *, today: date) -> Month:
    """The month to pay: the one given (not in the future), or the current one."""
    errors = Collector()
    month = month_of(errors, "period", request.period, today=today)
    errors.raise_if_any()
    return month or Month.containing(today)


def parse_list_runs(
    request: pb.ListElderAllowanceRunsRequest,
) -> tuple[str | None, tuple[str, int] | None, int]:
    """The period filter, the keyset (period, sequence) to resume after, and the page size."""
    errors = Collector()
    month = month_of(errors, "period", request.period)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = _keyset(errors, request.page.page_token)
    errors.raise_if_any()
    return (month.key if month else None), after, limit


def parse_list_payments(principal: Principal, request: pb.ListElderAllowancePaymentsRequest) -> PaymentQuery:
    """Whose payments (an elder, or a region inside the caller's), which month and programme, which page."""
    errors = Collector()
    month = month_of(errors, "period", request.period)
    programme = None
    if request.programme != pb.ALLOWANCE_PROGRAMME_UNSPECIFIED:
        programme = allowance_mapping.PROGRAMME_FROM_PB.get(request.programme)
        errors.check(programme is not None, "programme", "is not a known programme")
    elder_id = request.elder_id.strip()
    if elder_id:
        errors.check(not request.region_code.strip(), "region_code", "give an elder or a region, not both")
    elif request.region_code.strip():
        protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = _keyset(errors, request.page.page_token)
    errors.raise_if_any()
    scopes = principal.narrow(None if elder_id else request.region_code.strip() or None)
    return PaymentQuery(elder_id, scopes, month.key if month else None, programme, after, limit)


def parse_spend(request: pb.SpendVoucherRequest) -> Spend:
    """A spend: an elder, an institution, a positive amount in fen and the bill's reference."""
    errors = Collector()
    elder_id = _required(errors, "elder_id", request.elder_id)
    institution_id = _required(errors, "institution_id", request.institution_id)
    errors.check(request.amount_fen > 0, "amount_fen", "must be a positive number of fen")
    errors.check(
        request.amount_fen <= MAX_SPEND_FEN, "amount_fen", f"must be at most {MAX_SPEND_FEN} fen per bill"
    )
    reference = _required(errors, "reference", request.reference)
    errors.check(
        len(reference) <= MAX_REFERENCE_LENGTH,
        "reference",
        f"must be at most {MAX_REFERENCE_LENGTH} characters",
    )
    errors.raise_if_any()
    return Spend(elder_id, institution_id, request.amount_fen, reference)


def parse_elder(elder_id: str) -> str:
    """A required elder id."""
    errors = Collector()
    value = _required(errors, "elder_id", elder_id)
    errors.raise_if_any()
    return value


def parse_ledger(request: pb.ListVoucherLedgerRequest) -> tuple[str, int | None, int]:
    """The elder, the id to continue below, and the page size."""
    errors = Collector()
    elder_id = _required(errors, "elder_id", request.elder_id)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    keys = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=1)
    before = None
    if keys is not None:
        if keys[0].isdigit():
            before = int(keys[0])
        else:
            errors.add("page.page_token", "is not a page token this service issued")
    errors.raise_if_any()
    return elder_id, before, limit
