"""Taking relief payment requests apart: the month to run, the page of a ledger, handling an overpayment."""

from __future__ import annotations

from datetime import date

import pytest
from minzheng.relief.v1 import payments_pb2 as pb

from services.kit.errors import InvalidArgument
from services.kit.periods import Month
from services.relief import payment_requests as rq
from services.relief.overpayments import OverpaymentStatus

TODAY = date(2024, 9, 15)


def fields(error: InvalidArgument) -> set[str]:
    return {v.field for v in error.violations}


def test_the_month_defaults_to_the_current_one_and_may_be_any_earlier_one() -> None:
    assert rq.parse_month(pb.RunPaymentsRequest(), today=TODAY) == Month(2024, 9)
    assert rq.parse_month(pb.ReclassifyRequest(period="2023-12"), today=TODAY) == Month(2023, 12)


@pytest.mark.parametrize("period", ["2024-10", "2024-13", "202409", "September"])
def test_a_future_or_malformed_month_is_refused(period: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        rq.parse_month(pb.RunPaymentsRequest(period=period), today=TODAY)
    assert fields(info.value) == {"period"}


def test_a_waiver_needs_a_note_and_the_outcome_must_be_a_handling() -> None:
    with pytest.raises(InvalidArgument) as info:
        rq.parse_handle(pb.HandleOverpaymentRequest(id="x", outcome=pb.OVERPAYMENT_STATUS_WAIVED))
    assert fields(info.value) == {"note"}
    with pytest.raises(InvalidArgument) as info:
        rq.parse_handle(pb.HandleOverpaymentRequest(outcome=pb.OVERPAYMENT_STATUS_OPEN))
    assert fields(info.value) == {"id", "outcome"}
    done = rq.parse_handle(pb.HandleOverpaymentRequest(id=" x ", outcome=pb.OVERPAYMENT_STATUS_RECOVERED))
    assert (done.overpayment_id, done.outcome, done.note) == ("x", OverpaymentStatus.RECOVERED, "")


def test_a_ledger_page_token_must_be_one_this_service_issued() -> None:
    request = pb.GetLedgerRequest(household_id="h")
    request.page.page_token = "not-a-token"
    with pytest.raises(InvalidArgument) as info:
        rq.parse_ledger(request)
    assert fields(info.value) == {"page.page_token"}
