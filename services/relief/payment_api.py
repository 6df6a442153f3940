"""The PaymentService servicer: take the request apart, call one service function, map back; no SQL here.

Reclassify and RunPayments are what an operator does when a month must be classified or paid now (or
again, after fixing data): the same ``classification.reclassify`` and ``payments.run_payments`` the
monthly job runs, so a repeated month pays nobody twice. Runs are district-wide (admin or district
officer whose token covers every region of the service); ledgers and overpayments are read inside the
caller's regions (NOT_FOUND elsewhere, as the other relief APIs); officers handle overpayments.
"""

from __future__ import annotations

import grpc
from minzheng.relief.v1 import payments_pb2 as pb
from minzheng.relief.v1 import payments_pb2_grpc
from sqlmodel import col, select

from services.kit import audit, paging
from services.kit.auth import Principal, Role
from services.kit.errors import FailedPrecondition, PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import classification, overpayments, payment_ledger
from services.relief import payment_mapping as pm
from services.relief import payment_requests as rq
from services.relief.clock import Clock
from services.relief.models import ReliefClassificationRun, ReliefPaymentRun
from services.relief.payments import run_payments
from services.relief.standards import StandardsBook

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["PaymentService"].full_name
RUN_ROLES = (Role.ADMIN, Role.DISTRICT_OFFICER)
HANDLE_ROLES = (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN)


class PaymentServicer(payments_pb2_grpc.PaymentServiceServicer):
    """minzheng.relief.v1.PaymentService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, book: StandardsBook) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._book = book

    def _require_run(self, principal: Principal) -> None:
        """A run classifies or pays every household of the service: the token must cover all of it."""
        principal.require_role(*RUN_ROLES)
        regions = self._ctx.settings.service_regions
        if not all(principal.can_see(region) for region in regions):
            raise PermissionDenied(f"payment runs cover {', '.join(regions)}; your regions do not")

    async def _audit_run(self, principal: Principal, action: str, period: str) -> None:
        # Recorded before the run: a run that crashes half-way still shows who started it.
        async with self._db.unit_of_work() as session:
            audit.record(
                session,
                actor=principal.subject,
                action=action,
                target=period,
                region_code=None,
                now=self._clock(),
            )

    async def Reclassify(self, request: pb.ReclassifyRequest, context: Context) -> pb.ClassificationRun:
        """Re-classify every household for a month (default the current one)."""
        principal = current_principal()
        self._require_run(principal)
        now = self._clock()
        month = rq.parse_month(request, today=china_today(now))
        await self._audit_run(principal, "relief.reclassify", month.key)
        summary = await classification.reclassify(
            self._db,
            book=self._book,
            month=month,
            now=now,
            actor=principal.subject,
            on_commit=self._ctx.notify_outbox,
        )
        async with self._db.read() as session:
            run = await session.get(ReliefClassificationRun, summary.run_id)
            if run is None:  # it returned, so it finished; a row gone would be a broken database
                raise FailedPrecondition(f"the re-classification run {summary.run_id} is gone")
            return pm.classification_run_to_pb(run)

    async def RunPayments(self, request: pb.RunPaymentsRequest, context: Context) -> pb.PaymentRun:
        """Pay a month (default the current one) to every household holding a programme in it."""
        principal = current_principal()
        self._require_run(principal)
        now = self._clock()
        month = rq.parse_month(request, today=china_today(now))
        await self._audit_run(principal, "relief.payment-run", month.key)
        summary = await run_payments(
            self._db, month=month, now=now, actor=principal.subject, on_commit=self._ctx.notify_outbox
        )
        async with self._db.read() as session:
            run = (
                await session.exec(select(ReliefPaymentRun).where(col(ReliefPaymentRun.id) == summary.run_id))
            ).one()
            return pm.run_to_pb(run, summary)

    async def GetLedger(self, request: pb.GetLedgerRequest, context: Context) -> pb.Ledger:
        """A household's payments newest first, its overpayments and totals (inside the caller's regions)."""
        principal = current_principal()
        query = rq.parse_ledger(request)
        async with self._db.read() as session:
            found = await payment_ledger.ledger(
                session,
                scopes=principal.regions,
                household_id=query.household_id,
                after=query.after,
                limit=query.limit,
            )
            return pm.ledger_to_pb(found)

    async def ListOverpayments(
        self, request: pb.ListOverpaymentsRequest, context: Context
    ) -> pb.ListOverpaymentsResponse:
        """Overpayments in the caller's regions, by month then id."""
        principal = current_principal()
        query = rq.parse_list(request)
        async with self._db.read() as session:
            rows, total, more = await overpayments.list_overpayments(
                session,
                scopes=principal.regions,
                status=query.status,
                household_id=query.household_id,
                after=query.after,
                limit=query.limit,
            )
            cursors = [paging.encode_page_token(o.period, o.id) for o in rows]
            return pb.ListOverpaymentsResponse(
                overpayments=[pm.overpayment_to_pb(o) for o in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def HandleOverpayment(
        self, request: pb.HandleOverpaymentRequest, context: Context
    ) -> pb.Overpayment:
        """An officer records an open overpayment as recovered or waived."""
        principal = current_principal()
        principal.require_role(*HANDLE_ROLES)
        handling = rq.parse_handle(request)
        async with self._db.unit_of_work() as session:
            row = await overpayments.handle_overpayment(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                overpayment_id=handling.overpayment_id,
                outcome=handling.outcome,
                note=handling.note,
                now=self._clock(),
            )
            return pm.overpayment_to_pb(row)


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, book: StandardsBook) -> None:
    """Add the payment servicer to the relief server."""
    payments_pb2_grpc.add_PaymentServiceServicer_to_server(
        PaymentServicer(ctx, clock=clock, book=book), server
    )
