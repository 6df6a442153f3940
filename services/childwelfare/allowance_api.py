"""The allowance RPCs of ChildWelfareService, as a mixin of its servicer (kept apart to keep api.py small).

RunAllowances is what an operator does when a month must be paid now (or again, after fixing a
category): the same ``allowances.run_allowances`` the scheduled job runs, so a repeated month pays
nobody twice. Runs are district-wide summaries without children or regions; payments are personal
and are served only inside the caller's regions.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from sqlmodel import col, select

from services.childwelfare import allowance_queries, allowance_requests, audit, mapping, rules
from services.childwelfare.allowances import load_allowance_policy, run_allowances
from services.childwelfare.models import AllowancePayment, AllowanceRun
from services.childwelfare.rules import Clock
from services.kit import paging
from services.kit.auth import Principal, Role
from services.kit.db import Database
from services.kit.errors import PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.money import Money
from services.kit.policy import PolicyTable
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
RUN_ROLES = (Role.ADMIN, Role.DISTRICT_OFFICER)
# District-wide money figures: the bureau, the cockpit and other services, not village directors.
RUNS_READERS = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.VIEWER, Role.SERVICE)


class AllowanceRpcs:
    """RunAllowances, ListAllowanceRuns, ListAllowancePayments."""

    _ctx: ServiceContext
    _db: Database
    _clock: Clock

    @cached_property
    def _allowance_policy(self) -> PolicyTable[Money]:
        return load_allowance_policy()

    def _require_whole_service(self, principal: Principal) -> None:
        """A run pays, and its figures cover, every child of the service: the token must hold all of it."""
        regions = self._ctx.settings.service_regions
        if not all(principal.can_see(region) for region in regions):
            raise PermissionDenied(f"allowance runs cover {', '.join(regions)}; your regions do not")

    async def RunAllowances(self, request: pb.RunAllowancesRequest, context: Context) -> pb.AllowanceRun:
        """Pay a month (default the current one) to every eligible child not yet paid for it."""
        principal = current_principal()
        principal.require_role(*RUN_ROLES)
        self._require_whole_service(principal)
        now = self._clock()
        month = allowance_requests.parse_run(request, today=rules.china_today(now))
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
        summary = await run_allowances(
            self._db, self._allowance_policy, month, now, on_commit=self._ctx.notify_outbox
        )
        async with self._db.read() as session:
            stmt = select(AllowanceRun).where(col(AllowanceRun.id) == summary.run_id)
            run = (await session.exec(stmt)).one()
            return mapping.run_to_pb(run, summary)

    async def ListAllowanceRuns(
        self, request: pb.ListAllowanceRunsRequest, context: Context
    ) -> pb.ListAllowanceRunsResponse:
        """Allowance runs, newest first, optionally of one month."""
        principal = current_principal()
        principal.require_role(*RUNS_READERS)
        self._require_whole_service(principal)
        period, after, limit = allowance_requests.parse_list_runs(request)
        async with self._db.read() as session:
            rows, total, more = await allowance_queries.list_runs(
                session, period=period, after=after, limit=limit
            )
            cursors = [paging.encode_page_token(r.period, str(r.sequence)) for r in rows]
            return pb.ListAllowanceRunsResponse(
                runs=[mapping.run_to_pb(r) for r in rows],
                page_info=paging.page_info(cursors[-1] if more else "", total),
                cursors=cursors,
            )

    async def ListAllowancePayments(
        self, request: pb.ListAllowancePaymentsRequest, context: Context
    ) -> pb.ListAllowancePaymentsResponse:
        """Payments in the caller's regions: a child's, many children's first pages, or a region's."""
        principal = current_principal()
        query = allowance_requests.parse_list_payments(principal, request)
        async with self._db.read() as session:
            if query.child_ids:
                pages = await allowance_queries.payments_per_child(
                    session,
                    child_ids=query.child_ids,
                    scopes=principal.regions,
                    period=query.period,
                    limit=query.limit,
                )
                return pb.ListAllowancePaymentsResponse(
                    pages=[_payment_page(child_id, *page) for child_id, page in pages.items()]
                )
            if query.child_id:
                rows, total, more = await allowance_queries.child_payments(
                    session,
                    child_id=query.child_id,
                    scopes=principal.regions,
                    period=query.period,
                    after=query.after,
                    limit=query.limit,
                )
            else:
                rows, total, more = await allowance_queries.region_payments(
                    session, scopes=query.scopes, period=query.period, after=query.after, limit=query.limit
                )
            page = _payment_page(query.child_id, rows, total, more)
            return pb.ListAllowancePaymentsResponse(
                payments=page.payments, page_info=page.page_info, cursors=page.cursors
            )


def _payment_page(
    child_id: str, rows: Sequence[AllowancePayment], total: int, more: bool
) -> pb.AllowancePaymentPage:
    """A page of payments with one resume token per row."""
    cursors = [paging.encode_page_token(p.period, str(p.id)) for p in rows]
    return pb.AllowancePaymentPage(
        child_id=child_id,
        payments=[mapping.payment_to_pb(p) for p in rows],
        cursors=cursors,
        page_info=paging.page_info(cursors[-1] if more else "", total),
    )
