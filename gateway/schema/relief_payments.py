"""Relief monthly payments in the graph: re-classifying and paying a month, a household's ledger, and
overpayments after a death (recorded as recovered or waived), over PaymentService.

Runs are district-wide (admin or district officer); ledgers and overpayments are scoped by the service
to the caller's regions (a household elsewhere is NOT_FOUND). Money stays exact: fen as a decimal
string (a month of the district's payments overflows GraphQL's 32-bit Int) and yuan as text. Edge
cursors are the service's own per-row page tokens.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.relief.v1 import payments_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id, timestamp
from gateway.schema.relief_eligibility_types import ReliefClassification, person_gid
from gateway.schema.safety_types import enum_or_none

OVERPAYMENT = "ReliefOverpayment"
Period = Annotated[str | None, strawberry.argument(description='"YYYY-MM"; default the current month')]
First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


def _household(m_id: str) -> strawberry.ID:
    return strawberry.ID(to_base64("Household", m_id))


@strawberry.enum(description="Where a payment's amount came from.")
class ReliefPaymentBasis(Enum):
    ASSESSMENT = strawberry.enum_value(
        pb.PAYMENT_BASIS_ASSESSMENT, description="The month's re-classification confirmed the programme."
    )
    GRANT = strawberry.enum_value(
        pb.PAYMENT_BASIS_GRANT,
        description="The amount the grant was decided on (the re-classification disagreed or had not run).",
    )


@strawberry.enum(description="Where an overpayment stands.")
class ReliefOverpaymentStatus(Enum):
    OPEN = pb.OVERPAYMENT_STATUS_OPEN
    RECOVERED = pb.OVERPAYMENT_STATUS_RECOVERED
    WAIVED = pb.OVERPAYMENT_STATUS_WAIVED


@strawberry.enum(description="How an officer closes an overpayment.")
class ReliefOverpaymentOutcome(Enum):
    RECOVERED = pb.OVERPAYMENT_STATUS_RECOVERED
    WAIVED = pb.OVERPAYMENT_STATUS_WAIVED


@strawberry.type(description="Households paid and money for one programme in a run.")
class ReliefRunProgrammeTotal:
    programme: ReliefClassification | None
    households: int
    amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    amount_yuan: str


@strawberry.type(description="One monthly payment run of 特困 / 低保 / 低边 (the n-th of its month).")
class ReliefPaymentRun:
    id: str = strawberry.field(description="Also the id of its civic.relief.assistance-paid event.")
    period: str = strawberry.field(description='"YYYY-MM"')
    sequence: int
    classification_run_id: str | None = strawberry.field(
        description="The re-classification it paid on; null when none had finished."
    )
    started_at: datetime | None
    finished_at: datetime | None = strawberry.field(
        description="Null while under way, or when it crashed (the next run pays the rest)."
    )
    started_by: str
    paid_count: int = strawberry.field(description="Payments this run made.")
    paid_fen: str
    paid_yuan: str
    reported_count: int = strawberry.field(description="Payments of the month its summary event reported.")
    event_published: bool
    paid_by_programme: list[ReliefRunProgrammeTotal]
    zero_amount: int = strawberry.field(description="Grants held whose amount came to 0 (not paid).")

    @classmethod
    def from_pb(cls, m: pb.PaymentRun) -> ReliefPaymentRun:
        """The GraphQL run of a reply."""
        return cls(
            id=m.id,
            period=m.period,
            sequence=m.sequence,
            classification_run_id=m.classification_run_id or None,
            started_at=timestamp(m, "started_at"),
            finished_at=timestamp(m, "finished_at"),
            started_by=m.started_by,
            paid_count=m.paid_count,
            paid_fen=str(m.paid_fen),
            paid_yuan=m.paid_yuan,
            reported_count=m.reported_count,
            event_published=m.event_published,
            paid_by_programme=[
                ReliefRunProgrammeTotal(
                    programme=enum_or_none(ReliefClassification, t.programme),
                    households=t.households,
                    amount_fen=str(t.amount_fen),
                    amount_yuan=t.amount_yuan,
                )
                for t in m.paid_by_programme
            ],
            zero_amount=m.zero_amount,
        )


@strawberry.type(description="Households of one classification in a re-classification run.")
class ReliefClassificationCount:
    classification: ReliefClassification | None
    households: int


@strawberry.type(description="One re-classification of every household for a month.")
class ReliefClassificationRun:
    id: str
    period: str
    sequence: int
    started_at: datetime | None
    finished_at: datetime | None
    households: int
    engine_households: int = strawberry.field(description="Households the full engine decided.")
    flagged: int
    counts: list[ReliefClassificationCount]

    @classmethod
    def from_pb(cls, m: pb.ClassificationRun) -> ReliefClassificationRun:
        """The GraphQL run of a reply."""
        return cls(
            id=m.id,
            period=m.period,
            sequence=m.sequence,
            started_at=timestamp(m, "started_at"),
            finished_at=timestamp(m, "finished_at"),
            households=m.households,
            engine_households=m.engine_households,
            flagged=m.flagged,
            counts=[
                ReliefClassificationCount(
                    classification=enum_or_none(ReliefClassification, c.classification),
                    households=c.households,
                )
                for c in m.counts
            ],
        )


@strawberry.type(description="One month's payment of a programme to a household.")
class ReliefPayment:
    id: str
    programme: ReliefClassification | None
    period: str
    amount_fen: str
    amount_yuan: str
    basis: ReliefPaymentBasis | None
    grant_id: str
    classification: ReliefClassification | None = strawberry.field(
        description="With basis ASSESSMENT: the classification paid on."
    )
    standards_day: str | None = strawberry.field(
        description="With basis ASSESSMENT: the day of the standards it used (YYYY-MM-DD)."
    )
    run_id: str
    paid_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.LedgerPayment) -> ReliefPayment:
        """The GraphQL payment of a ledger line."""
        return cls(
            id=str(m.id),
            programme=enum_or_none(ReliefClassification, m.programme),
            period=m.period,
            amount_fen=str(m.amount_fen),
            amount_yuan=m.amount_yuan,
            basis=enum_or_none(ReliefPaymentBasis, m.basis),
            grant_id=m.grant_id,
            classification=enum_or_none(ReliefClassification, m.classification),
            standards_day=m.standards_day or None,
            run_id=m.run_id,
            paid_at=timestamp(m, "paid_at"),
        )


@strawberry.type(description="A payment for a month that began after a member's death.")
class ReliefOverpayment:
    id: strawberry.ID
    household_id: strawberry.ID
    region_code: str
    person_id: strawberry.ID = strawberry.field(description="The member who died.")
    died_on: str
    period: str
    amount_fen: str
    amount_yuan: str
    status: ReliefOverpaymentStatus | None
    found_at: datetime | None
    handled_by: str | None
    handled_at: datetime | None
    handled_note: str | None

    @classmethod
    def from_pb(cls, m: pb.Overpayment) -> ReliefOverpayment:
        """The GraphQL overpayment of a reply."""
        return cls(
            id=strawberry.ID(to_base64(OVERPAYMENT, m.id)),
            household_id=_household(m.household_id),
            region_code=m.region_code,
            person_id=person_gid(m.person_id),
            died_on=m.died_on,
            period=m.period,
            amount_fen=str(m.amount_fen),
            amount_yuan=m.amount_yuan,
            status=enum_or_none(ReliefOverpaymentStatus, m.status),
            found_at=timestamp(m, "found_at"),
            handled_by=m.handled_by or None,
            handled_at=timestamp(m, "handled_at"),
            handled_note=m.handled_note or None,
        )


@strawberry.type(description="A household's payments, newest month first, with its overpayments and totals.")
class ReliefLedgerConnection(relay.Connection[ReliefPayment]):
    total_count: int
    paid_fen: str
    paid_yuan: str
    overpayments: list[ReliefOverpayment]
    overpaid_open_fen: str
    recovered_fen: str
    waived_fen: str


@strawberry.type(description="Overpayments, by month then id (forward pagination with first/after).")
class ReliefOverpaymentConnection(relay.Connection[ReliefOverpayment]):
    total_count: int


@strawberry.input(description="Closing an open overpayment.")
class HandleReliefOverpaymentInput:
    id: strawberry.ID
    outcome: ReliefOverpaymentOutcome
    note: str | None = strawberry.field(default=None, description="Required for a waiver: why.")


@strawberry.type
class ReliefPaymentQuery:
    @strawberry.field(description="A household's payments in your regions, newest month first.")
    async def relief_ledger(
        self, info: Info, household_id: strawberry.ID, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> ReliefLedgerConnection:
        ctx = info.context
        request = pb.GetLedgerRequest(
            household_id=node_id(household_id, "Household", "householdId"), page=page_request(first, after)
        )
        reply = await ctx.call(ctx.clients.relief_payments.GetLedger, request, renames=PAGE_RENAMES)
        nodes = [ReliefPayment.from_pb(p) for p in reply.payments]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ReliefLedgerConnection(
            edges=edges,
            page_info=page_info,
            total_count=reply.page_info.total_count,
            paid_fen=str(reply.paid_fen),
            paid_yuan=reply.paid_yuan,
            overpayments=[ReliefOverpayment.from_pb(o) for o in reply.overpayments],
            overpaid_open_fen=str(reply.overpaid_open_fen),
            recovered_fen=str(reply.recovered_fen),
            waived_fen=str(reply.waived_fen),
        )

    @strawberry.field(description="Overpayments in your regions (optionally one status or household).")
    async def relief_overpayments(
        self,
        info: Info,
        status: ReliefOverpaymentStatus | None = None,
        household_id: strawberry.ID | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ReliefOverpaymentConnection:
        ctx = info.context
        request = pb.ListOverpaymentsRequest(
            status=status.value if status else 0,
            household_id=node_id(household_id, "Household", "householdId") if household_id else "",
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.relief_payments.ListOverpayments, request, renames=PAGE_RENAMES)
        nodes = [ReliefOverpayment.from_pb(o) for o in reply.overpayments]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ReliefOverpaymentConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )


@strawberry.type
class ReliefPaymentMutation:
    @strawberry.mutation(
        description="Re-classify every household for a month (default the current one; not a future one); "
        "admin or district officer over the whole district."
    )
    async def reclassify_relief(self, info: Info, period: Period = None) -> ReliefClassificationRun:
        ctx = info.context
        request = pb.ReclassifyRequest(period=period or "")
        return ReliefClassificationRun.from_pb(
            await ctx.call(ctx.clients.relief_payments.Reclassify, request)
        )

    @strawberry.mutation(
        description="Pay a month (default the current one; not a future one) to every household holding a "
        "programme in it and not yet paid for it; admin or district officer over the whole district. "
        "Nobody is paid twice."
    )
    async def run_relief_payments(self, info: Info, period: Period = None) -> ReliefPaymentRun:
        ctx = info.context
        request = pb.RunPaymentsRequest(period=period or "")
        return ReliefPaymentRun.from_pb(await ctx.call(ctx.clients.relief_payments.RunPayments, request))

    @strawberry.mutation(
        description="Record an open overpayment as recovered or waived (a waiver needs a note); "
        "FAILED_PRECONDITION when handled already."
    )
    async def handle_relief_overpayment(
        self, info: Info, input: HandleReliefOverpaymentInput
    ) -> ReliefOverpayment:
        ctx = info.context
        request = pb.HandleOverpaymentRequest(
            id=node_id(input.id, OVERPAYMENT, "id"), outcome=input.outcome.value, note=input.note or ""
        )
        return ReliefOverpayment.from_pb(
            await ctx.call(ctx.clients.relief_payments.HandleOverpayment, request)
        )
