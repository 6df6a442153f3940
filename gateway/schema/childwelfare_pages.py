"""A child's visits and allowance payments as Relay connections, and the allowance runs.

``Child.visits`` and ``Child.allowancePayments`` without ``after`` go through per-request DataLoaders:
the first pages of every child in a response cost one ListVisits / ListAllowancePayments call (the
service's ``child_ids`` form), not one per child. With ``after`` a single child's page is fetched. Each
edge's cursor is the service's token for that row. Money stays exact: fen as a decimal string (a month
of a district's payments overflows GraphQL's 32-bit Int) and yuan as text, never a float.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, TypeVar
from weakref import WeakKeyDictionary

import strawberry
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.relay.utils import to_base64

from gateway.context import GatewayContext, Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.childwelfare_types import ProtectionCategory, Visit
from gateway.schema.common import timestamp

# The service's batch limit (requests.MAX_BATCH); a gateway page never comes close.
MAX_CHILDREN_PER_CALL = 500
P = TypeVar("P")


@strawberry.type(description="One month's basic living allowance (基本生活费) paid to a child.")
class AllowancePayment:
    id: strawberry.ID
    child_id: strawberry.ID
    region_code: str = strawberry.field(description="The child's village when paid.")
    period: str = strawberry.field(description='The month paid, "YYYY-MM".')
    category: ProtectionCategory = strawberry.field(description="The category held on the month's 1st.")
    amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    amount_yuan: str = strawberry.field(description='In yuan, e.g. "2057.00".')
    standard_key: str = strawberry.field(description="The living_allowance policy entry used.")
    standard_effective_from: date = strawberry.field(description="The day that standard took effect.")
    run_id: str
    paid_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.AllowancePayment) -> AllowancePayment:
        """The GraphQL payment of a reply."""
        return cls(
            id=strawberry.ID(to_base64("AllowancePayment", m.id)),
            child_id=strawberry.ID(to_base64("Child", m.child_id)),
            region_code=m.region_code,
            period=m.period,
            category=ProtectionCategory(m.category),
            amount_fen=str(m.amount_fen),
            amount_yuan=m.amount_yuan,
            standard_key=m.standard_key,
            standard_effective_from=date.fromisoformat(m.standard_effective_from),
            run_id=m.run_id,
            paid_at=timestamp(m, "paid_at"),
        )


@strawberry.type(description="A child's home visits, newest first.")
class VisitConnection(relay.Connection[Visit]):
    total_count: int


@strawberry.type(description="A child's allowance payments, newest month first.")
class AllowancePaymentConnection(relay.Connection[AllowancePayment]):
    total_count: int


@strawberry.type(description="Children paid and money in one protection category.")
class CategoryAllowanceTotal:
    category: ProtectionCategory
    children: int
    amount_fen: str
    amount_yuan: str


@strawberry.type(description="Eligible children of a category with no standard in force (not paid ¥0).")
class CategorySkippedCount:
    category: ProtectionCategory
    children: int


@strawberry.type(description="One monthly allowance run (the n-th of its month).")
class AllowanceRun:
    id: str = strawberry.field(description="Also the id of its civic.childwelfare.allowance-paid event.")
    period: str
    sequence: int
    started_at: datetime | None
    finished_at: datetime | None = strawberry.field(
        description="Null while under way, or when it crashed (the next run pays the rest)."
    )
    paid_count: int = strawberry.field(description="Payments this run made.")
    paid_fen: str
    paid_yuan: str
    skipped_count: int
    reported_count: int = strawberry.field(description="Payments of the month its summary event reported.")
    event_published: bool
    paid_by_category: list[CategoryAllowanceTotal] = strawberry.field(
        description="Only on the runChildAllowances result."
    )
    skipped_by_category: list[CategorySkippedCount]

    @classmethod
    def from_pb(cls, m: pb.AllowanceRun) -> AllowanceRun:
        """The GraphQL run of a reply."""
        return cls(
            id=m.id,
            period=m.period,
            sequence=m.sequence,
            started_at=timestamp(m, "started_at"),
            finished_at=timestamp(m, "finished_at"),
            paid_count=m.paid_count,
            paid_fen=str(m.paid_fen),
            paid_yuan=m.paid_yuan,
            skipped_count=m.skipped_count,
            reported_count=m.reported_count,
            event_published=m.event_published,
            paid_by_category=[
                CategoryAllowanceTotal(
                    category=ProtectionCategory(c.category),
                    children=c.children,
                    amount_fen=str(c.amount_fen),
                    amount_yuan=c.amount_yuan,
                )
                for c in m.paid_by_category
            ],
            skipped_by_category=[
                CategorySkippedCount(category=ProtectionCategory(s.category), children=s.children)
                for s in m.skipped_by_category
            ],
        )


@strawberry.type(description="Allowance runs, newest first.")
class AllowanceRunConnection(relay.Connection[AllowanceRun]):
    total_count: int


@dataclass(frozen=True)
class FirstPage:
    """The first ``first`` rows of one child."""

    child_id: str
    first: int


FetchPages = Callable[[list[str], int], Awaitable[Sequence[P]]]


def first_pages_loader(fetch: FetchPages[P], *, cache: bool) -> DataLoader[FirstPage, P]:
    """Children's first pages; keys asking for the same ``first`` go out in one call per 500 children."""

    async def load(keys: list[FirstPage]) -> list[P]:
        groups: dict[int, list[str]] = defaultdict(list)
        for key in keys:
            groups[key.first].append(key.child_id)
        calls = [
            (first, chunk)
            for first, ids in groups.items()
            for ids_unique in [list(dict.fromkeys(ids))]
            for chunk in (
                ids_unique[i : i + MAX_CHILDREN_PER_CALL]
                for i in range(0, len(ids_unique), MAX_CHILDREN_PER_CALL)
            )
        ]
        replies = await asyncio.gather(*(fetch(chunk, first) for first, chunk in calls))
        found: dict[FirstPage, P] = {}
        for (first, chunk), pages in zip(calls, replies, strict=True):
            for child_id, page in zip(chunk, pages, strict=True):
                found[FirstPage(child_id, first)] = page
        return [found[key] for key in keys]

    return DataLoader(load_fn=load, cache=cache)


# One set per request context (kept here, not on the context, so this area adds no shared code).
_LOADERS: WeakKeyDictionary[GatewayContext, dict[str, DataLoader[FirstPage, object]]] = WeakKeyDictionary()


def _loader(ctx: GatewayContext, name: str, fetch: FetchPages[P]) -> DataLoader[FirstPage, P]:
    per_context = _LOADERS.setdefault(ctx, {})
    if name not in per_context:
        per_context[name] = first_pages_loader(fetch, cache=not ctx.websocket)  # type: ignore[arg-type]
    return per_context[name]  # type: ignore[return-value]


async def child_visits(info: Info, child_id: str, first: int, after: str | None) -> VisitConnection:
    """A child's visits from ``after`` (batched across children for first pages)."""
    ctx = info.context
    request = page_request(first, after)
    if after:
        reply = await ctx.call(
            ctx.clients.childwelfare.ListVisits,
            pb.ListVisitsRequest(child_id=child_id, page=request),
            renames=PAGE_RENAMES,
        )
        page = pb.VisitPage(visits=reply.visits, cursors=reply.cursors, page_info=reply.page_info)
    else:

        async def fetch(ids: list[str], size: int) -> Sequence[pb.VisitPage]:
            req = pb.ListVisitsRequest(child_ids=ids)
            req.page.page_size = size
            return list(
                (await ctx.call(ctx.clients.childwelfare.ListVisits, req, renames=PAGE_RENAMES)).pages
            )

        page = await _loader(ctx, "visits", fetch).load(FirstPage(child_id, first))
    nodes = [Visit.from_pb(v) for v in page.visits]
    edges, info_ = connection_parts(nodes, page.cursors, page.page_info, after=after)
    return VisitConnection(edges=edges, page_info=info_, total_count=page.page_info.total_count)


async def child_payments(
    info: Info, child_id: str, first: int, after: str | None
) -> AllowancePaymentConnection:
    """A child's allowance payments from ``after`` (batched across children for first pages)."""
    ctx = info.context
    request = page_request(first, after)
    if after:
        reply = await ctx.call(
            ctx.clients.childwelfare.ListAllowancePayments,
            pb.ListAllowancePaymentsRequest(child_id=child_id, page=request),
            renames=PAGE_RENAMES,
        )
        page = pb.AllowancePaymentPage(
            payments=reply.payments, cursors=reply.cursors, page_info=reply.page_info
        )
    else:

        async def fetch(ids: list[str], size: int) -> Sequence[pb.AllowancePaymentPage]:
            req = pb.ListAllowancePaymentsRequest(child_ids=ids)
            req.page.page_size = size
            call = ctx.clients.childwelfare.ListAllowancePayments
            return list((await ctx.call(call, req, renames=PAGE_RENAMES)).pages)

        page = await _loader(ctx, "allowance_payments", fetch).load(FirstPage(child_id, first))
    nodes = [AllowancePayment.from_pb(p) for p in page.payments]
    edges, info_ = connection_parts(nodes, page.cursors, page.page_info, after=after)
    return AllowancePaymentConnection(edges=edges, page_info=info_, total_count=page.page_info.total_count)


@strawberry.type
class ChildAllowanceQuery:
    @strawberry.field(description="Monthly allowance runs, newest first (admin, district officer, viewer).")
    async def child_allowance_runs(
        self,
        info: Info,
        period: Annotated[str | None, strawberry.argument(description='"YYYY-MM"')] = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> AllowanceRunConnection:
        ctx = info.context
        request = pb.ListAllowanceRunsRequest(period=period or "", page=page_request(first, after))
        reply = await ctx.call(ctx.clients.childwelfare.ListAllowanceRuns, request, renames=PAGE_RENAMES)
        nodes = [AllowanceRun.from_pb(r) for r in reply.runs]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return AllowanceRunConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )


@strawberry.type
class ChildAllowanceMutation:
    @strawberry.mutation(
        description="Pay a month's basic living allowance (default the current month; not a future one) "
        "to every eligible child not yet paid for it; admin or district officer. Nobody is paid twice; "
        "publishes civic.childwelfare.allowance-paid when it paid or reported anything."
    )
    async def run_child_allowances(
        self, info: Info, period: Annotated[str | None, strawberry.argument(description='"YYYY-MM"')] = None
    ) -> AllowanceRun:
        ctx = info.context
        request = pb.RunAllowancesRequest(period=period or "")
        return AllowanceRun.from_pb(await ctx.call(ctx.clients.childwelfare.RunAllowances, request))
