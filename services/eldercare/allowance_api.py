"""The ElderAllowanceService servicer: take the request apart, call one service function, map back.

RunElderAllowances is what an operator does when a month must be paid now (or again, after fixing
data): the same ``allowances.run_allowances`` the monthly job runs, so a repeated month pays nobody
twice. Runs are district-wide; payments and vouchers are personal and served inside the caller's regions.
"""

from __future__ import annotations

from functools import cached_property

import grpc
from minzheng.eldercare.v1 import allowances_pb2 as pb
from minzheng.eldercare.v1 import allowances_pb2_grpc
from sqlmodel import col, select

from services.eldercare import allowance_mapping as am
from services.eldercare import allowance_queries, allowance_requests, vouchers
from services.eldercare.allowance_job import Clock
from services.eldercare.allowance_policy import AllowancePolicy, load_allowance_policy
from services.eldercare.allowances import run_allowances
from services.eldercare.models import ElderAllowanceRun
from services.kit import audit, paging
from services.kit.auth import Principal, Role
from services.kit.errors import PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
RUN_ROLES = (Role.ADMIN, Role.DISTRICT_OFFICER)
# District-wide money figures: the bureau, the cockpit and other services.
RUNS_READERS = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.VIEWER, Role.SERVICE)
# Who offsets bills: the bureau's officers and institutions' systems acting as a service.
SPENDERS = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.SERVICE)


class ElderAllowanceServicer(allowances_pb2_grpc.ElderAllowanceServiceServicer):
    """minzheng.eldercare.v1.ElderAllowanceService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy_path: str | None = None) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy_path = policy_path

    @cached_property
    def _policy(self) -> AllowancePolicy:
        return load_allowance_policy(self._policy_path)

    def _require_whole_service(self, principal: Principal) -> None:
        """A run pays, and its figures cover, every elder of the service: the token must hold all of it."""
        regions = self._ctx.settings.service_regions
        if not all(principal.can_see(region) for region in regions):
            raise PermissionDenied(f"allowance runs cover {', '.join(regions)}; your regions do not")

    async def RunElderAllowances(
        self, request: pb.RunElderAllowancesRequest, context: Context
    ) -> pb.ElderAllowanceRun:
        """Pay a month (default the current one) to every eligible elder not yet paid for it."""
        principal = current_principal()
        principal.require_role(*RUN_ROLES)
        self._require_whole_service(principal)
        now = self._clock()
        month = allowance_requests.parse_run(request, today=china_today(now))
        async with self._db.unit_of_work() as session:
            # Recorded before the run: a run that crashes half-way still shows who started it.
            audit.record(
                session,
                actor=principal.subject,
                action="allowance.run",
                target=month.key,
                region_code=None,
                now=now,
            )
        summary = await run_allowances(self._db, self._policy, month, now, on_commit=self._ctx.notify_outbox)
        async with self._db.read() as session:
            run = (
                await session.exec(
                    select(ElderAllowanceRun).where(col(ElderAllowanceRun.id) == summary.run_id)
                )
            ).one()
            return am.run_to_pb(run, summary)

    async def ListElderAllowanceRuns(
        self, request: pb.ListElderAllowanceRunsRequest, context: Context
    ) -> pb.ListElderAllowanceRunsResponse:
        """Runs, newest first, optionally of one month."""
        principal = current_principal()
        principal.require_role(*RUNS_READERS)
        self._require_whole_service(principal)
        period, after, limit = allowance_requests.parse_list_runs(request)
        async with self._db.read() as session:
            rows, total, more = await allowance_queries.runs(session, period=period, after=after, limit=limit)
            cursors = [paging.encode_page_token(r.period, str(r.sequence)) for r in rows]
            token = cursors[-1] if more and cursors else ""
            return pb.ListElderAllowanceRunsResponse(
                runs=[am.run_to_pb(r) for r in rows],
                page_info=paging.page_info(token, total),
                cursors=cursors,
            )

    async def ListElderAllowancePayments(
        self, request: pb.ListElderAllowancePaymentsRequest, context: Context
    ) -> pb.ListElderAllowancePaymentsResponse:
        """Payments in the caller's regions: one elder's or a region's."""
        query = allowance_requests.parse_list_payments(current_principal(), request)
        async with self._db.read() as session:
            rows, total, more = await allowance_queries.payments(session, query)
            cursors = [paging.encode_page_token(p.period, str(p.id)) for p in rows]
            token = cursors[-1] if more and cursors else ""
            return pb.ListElderAllowancePaymentsResponse(
                payments=[am.payment_to_pb(p) for p in rows],
                page_info=paging.page_info(token, total),
                cursors=cursors,
            )

    async def GetVoucherBalance(
        self, request: pb.GetVoucherBalanceRequest, context: Context
    ) -> pb.VoucherBalance:
        """An elder's e-voucher balance (zero before the first credit)."""
        principal = current_principal()
        elder_id = allowance_requests.parse_elder(request.elder_id)
        async with self._db.read() as session:
            elder = await vouchers.visible_elder(session, elder_id=elder_id, scopes=principal.regions)
            return am.balance_to_pb(elder.id, await vouchers.account_of(session, elder_id=elder.id))

    async def SpendVoucher(self, request: pb.SpendVoucherRequest, context: Context) -> pb.VoucherEntry:
        """Offset a bill of the elder's institution from the balance; never below zero."""
        principal = current_principal()
        principal.require_role(*SPENDERS)
        spend = allowance_requests.parse_spend(request)
        async with self._db.unit_of_work() as session:
            entry = await vouchers.spend(
                session,
                actor=principal.subject,
                elder_id=spend.elder_id,
                institution_id=spend.institution_id,
                amount_fen=spend.amount_fen,
                reference=spend.reference,
                scopes=principal.regions,
                now=self._clock(),
            )
            return am.entry_to_pb(entry)

    async def ListVoucherLedger(
        self, request: pb.ListVoucherLedgerRequest, context: Context
    ) -> pb.ListVoucherLedgerResponse:
        """An elder's ledger, newest first, with the balance."""
        principal = current_principal()
        elder_id, before, limit = allowance_requests.parse_ledger(request)
        async with self._db.read() as session:
            elder, (rows, total, more) = await vouchers.ledger(
                session, elder_id=elder_id, scopes=principal.regions, before=before, limit=limit
            )
            account = await vouchers.account_of(session, elder_id=elder.id)
            cursors = [paging.encode_page_token(str(e.id)) for e in rows]
            token = cursors[-1] if more and cursors else ""
            return pb.ListVoucherLedgerResponse(
                entries=[am.entry_to_pb(e) for e in rows],
                page_info=paging.page_info(token, total),
                cursors=cursors,
                balance=am.balance_to_pb(elder.id, account),
            )


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ElderAllowanceService"].full_name


def register(
    server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy_path: str | None = None
) -> None:
    """Add the allowance servicer to the eldercare server."""
    allowances_pb2_grpc.add_ElderAllowanceServiceServicer_to_server(
        ElderAllowanceServicer(ctx, clock=clock, policy_path=policy_path), server
    )
