"""Elder allowance runs and payments, and e-voucher balances and ledgers, over ElderAllowanceService.

Runs are district-wide (admin, district officer, viewer); payments and vouchers are personal and the
service scopes them to the caller's regions (an elder elsewhere is NOT_FOUND).

Edge cursors are the service's own per-row page tokens (``cursors`` in each list reply).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import allowances_pb2 as pb

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id
from gateway.schema.elder_allowances_types import (
    AllowanceProgramme,
    ElderAllowancePayment,
    ElderAllowancePaymentConnection,
    ElderAllowanceRun,
    ElderAllowanceRunConnection,
    VoucherBalance,
    VoucherEntry,
    VoucherLedgerConnection,
)

Period = Annotated[str | None, strawberry.argument(description='"YYYY-MM"')]
First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


def _elder(elder_id: strawberry.ID, field: str = "elderId") -> str:
    return node_id(elder_id, "Elder", field)


@strawberry.type
class ElderAllowanceQuery:
    @strawberry.field(description="Allowance runs, newest first (admin, district officer, viewer).")
    async def elder_allowance_runs(
        self, info: Info, period: Period = None, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> ElderAllowanceRunConnection:
        ctx = info.context
        request = pb.ListElderAllowanceRunsRequest(period=period or "", page=page_request(first, after))
        reply = await ctx.call(
            ctx.clients.elder_allowances.ListElderAllowanceRuns, request, renames=PAGE_RENAMES
        )
        nodes = [ElderAllowanceRun.from_pb(r) for r in reply.runs]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ElderAllowanceRunConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(
        description="Allowance payments in your regions: one elder's (elderId) or a region's, newest first."
    )
    async def elder_allowance_payments(
        self,
        info: Info,
        elder_id: strawberry.ID | None = None,
        region_code: str | None = None,
        period: Period = None,
        programme: AllowanceProgramme | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ElderAllowancePaymentConnection:
        ctx = info.context
        request = pb.ListElderAllowancePaymentsRequest(
            elder_id=_elder(elder_id) if elder_id else "",
            region_code=region_code or "",
            period=period or "",
            programme=programme.value if programme else pb.ALLOWANCE_PROGRAMME_UNSPECIFIED,
            page=page_request(first, after),
        )
        call = ctx.clients.elder_allowances.ListElderAllowancePayments
        reply = await ctx.call(call, request, renames=PAGE_RENAMES)
        nodes = [ElderAllowancePayment.from_pb(p) for p in reply.payments]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ElderAllowancePaymentConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(description="An elder's e-voucher balance; null when absent or outside your regions.")
    async def voucher_balance(self, info: Info, elder_id: strawberry.ID) -> VoucherBalance | None:
        ctx = info.context
        request = pb.GetVoucherBalanceRequest(elder_id=_elder(elder_id))
        try:
            reply = await ctx.call(
                ctx.clients.elder_allowances.GetVoucherBalance, request, renames=PAGE_RENAMES
            )
        except GraphQLError as exc:
            if (exc.extensions or {}).get("code") == "NOT_FOUND":
                return None  # absent and out of the caller's regions look the same, by design
            raise
        return VoucherBalance.from_pb(reply)

    @strawberry.field(description="An elder's e-voucher ledger, newest first, with the balance.")
    async def voucher_ledger(
        self, info: Info, elder_id: strawberry.ID, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> VoucherLedgerConnection:
        ctx = info.context
        request = pb.ListVoucherLedgerRequest(elder_id=_elder(elder_id), page=page_request(first, after))
        reply = await ctx.call(ctx.clients.elder_allowances.ListVoucherLedger, request, renames=PAGE_RENAMES)
        nodes = [VoucherEntry.from_pb(e) for e in reply.entries]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return VoucherLedgerConnection(
            edges=edges,
            page_info=page_info,
            total_count=reply.page_info.total_count,
            balance=VoucherBalance.from_pb(reply.balance),
        )


@strawberry.input(description="A bill of the institution where the elder holds a bed, offset from vouchers.")
class SpendVoucherInput:
    elder_id: strawberry.ID
    institution_id: strawberry.ID
    amount_fen: int = strawberry.field(description="Positive, in fen; at most the balance.")
    reference: str = strawberry.field(
        description="The institution's bill reference (unique per institution)."
    )


@strawberry.type
class ElderAllowanceMutation:
    @strawberry.mutation(
        description="Pay a month (default the current one; not a future one) to every eligible elder not "
        "yet paid for it; admin or district officer over the whole district. Nobody is paid twice; "
        "eligible elders of a tier with no standard in force are counted as skipped, not paid ¥0."
    )
    async def run_elder_allowances(self, info: Info, period: Period = None) -> ElderAllowanceRun:
        ctx = info.context
        request = pb.RunElderAllowancesRequest(period=period or "")
        return ElderAllowanceRun.from_pb(
            await ctx.call(ctx.clients.elder_allowances.RunElderAllowances, request)
        )

    @strawberry.mutation(
        description="Offset an institution's bill from an elder's e-vouchers; FAILED_PRECONDITION when it "
        "exceeds the balance or the elder holds no bed there (nothing written)."
    )
    async def spend_voucher(self, info: Info, input: SpendVoucherInput) -> VoucherEntry:
        ctx = info.context
        request = pb.SpendVoucherRequest(
            elder_id=_elder(input.elder_id),
            institution_id=node_id(input.institution_id, "Institution", "institutionId"),
            amount_fen=input.amount_fen,
            reference=input.reference,
        )
        reply = await ctx.call(ctx.clients.elder_allowances.SpendVoucher, request, renames=PAGE_RENAMES)
        return VoucherEntry.from_pb(reply)
