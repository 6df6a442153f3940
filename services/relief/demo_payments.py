"""A paid month in the demo: this month re-classified and paid through the public API, once.

After the demo applications (``demo_applications``) the approved households hold 特困, 低保 and 低边 from
today; this step re-classifies the month (``Reclassify``) and pays it (``RunPayments``), so the ledgers,
the ``assistance-paid`` summary and the indicators' money paid show something at once instead of after
the payment job's first tick.

It converges: when the ledger of an approved household (read with a viewer token, nothing audited)
already holds a payment of this month, nothing runs (a run would pay nobody twice anyway, but would add
a run and an audit row).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import grpc
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1 import payments_pb2 as ppb
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub
from minzheng.relief.v1.payments_pb2_grpc import PaymentServiceStub

from services.kit.grpc_client import auth_metadata
from services.kit.periods import Month
from services.relief.demo_households import APPLICATIONS, HOUSEHOLDS, id_number_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoPaymentsResult:
    """What the step did: the month, the payments its run made (None: the month was paid already), and
    the grants held whose amount came to 0 (低边, while the standards set no 低边 allowance)."""

    period: str
    paid: int | None
    paid_fen: int
    zero_amount: int = 0


async def _paid_already(channel: grpc.aio.Channel, viewer: tuple[tuple[str, str], ...], period: str) -> bool:
    households, payments = HouseholdServiceStub(channel), PaymentServiceStub(channel)
    approved = [a.head_sequence for a in APPLICATIONS if a.step == "approved"]
    for head in (p for h in HOUSEHOLDS for p in h.members if p.sequence in approved):
        found = await households.GetHousehold(
            pb.GetHouseholdRequest(id_number=id_number_of(head)), metadata=viewer
        )
        ledger = await payments.GetLedger(ppb.GetLedgerRequest(household_id=found.id), metadata=viewer)
        if any(p.period == period for p in ledger.payments):
            return True
    return False


async def load_demo_payments(
    channel: grpc.aio.Channel, *, district_token: str, viewer_token: str, today: date
) -> DemoPaymentsResult:
    """Re-classify and pay this month unless an approved demo household was paid for it already."""
    period = Month.containing(today).key
    if await _paid_already(channel, auth_metadata(viewer_token), period):
        log.info("relief demo: %s is paid already", period)
        return DemoPaymentsResult(period, None, 0)
    stub, district = PaymentServiceStub(channel), auth_metadata(district_token)
    classified = await stub.Reclassify(ppb.ReclassifyRequest(period=period), metadata=district)
    run = await stub.RunPayments(ppb.RunPaymentsRequest(period=period), metadata=district)
    log.info(
        "relief demo: %s re-classified (%d households) and paid: %d households, %s yuan (%d at zero)",
        period,
        classified.households,
        run.paid_count,
        run.paid_yuan,
        run.zero_amount,
    )
    return DemoPaymentsResult(period, run.paid_count, run.paid_fen, run.zero_amount)
