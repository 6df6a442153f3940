"""Care of relief households in the graph: visits, happiness-list items and the care rates per town.

The relief service scopes every read and write to the caller's regions (a household elsewhere is
NOT_FOUND) and checks roles and dates; the gateway reshapes replies. CareService pages carry only the
next page's token, so each edge's cursor is built here as the service builds its tokens
(``kit.paging``: the row's day and id), and ``after`` any edge resumes right after that row.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from minzheng.common.v1 import common_pb2
from minzheng.relief.v1 import care_pb2 as pb

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id
from gateway.schema.relief_care_types import (
    ReliefCareRates,
    ReliefListItem,
    ReliefListItemConnection,
    ReliefListItemKind,
    ReliefVisit,
    ReliefVisitConnection,
)
from services.kit.paging import encode_page_token

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


def _household(value: strawberry.ID) -> str:
    return node_id(value, "Household", "householdId")


@strawberry.input(description="Who made the visit.")
class ReliefCareVisitorInput:
    name: str
    region_code: str = strawberry.field(description="The town or village they work for (the household's).")


@strawberry.input(description="A care visit to a relief household.")
class RecordReliefVisitInput:
    household_id: strawberry.ID
    visited_on: date = strawberry.field(description="Not in the future.")
    visitor: ReliefCareVisitorInput
    findings: str | None = None
    needs: str | None = None


@strawberry.input(description="A service delivered to a relief household on its happiness list.")
class RecordReliefListItemInput:
    household_id: strawberry.ID
    kind: ReliefListItemKind
    delivered_on: date = strawberry.field(description="Not in the future.")
    delivered_by: str
    note: str | None = None


def _page(household_id: strawberry.ID, first: int, after: str | None) -> tuple[str, common_pb2.PageRequest]:
    return _household(household_id), page_request(first, after)


@strawberry.type
class ReliefCareQuery:
    @strawberry.field(description="A household's care visits, newest first (inside your regions).")
    async def relief_visits(
        self, info: Info, household_id: strawberry.ID, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> ReliefVisitConnection:
        ctx = info.context
        household, page = _page(household_id, first, after)
        request = pb.ListVisitsRequest(household_id=household, page=page)
        reply = await ctx.call(ctx.clients.relief_care.ListVisits, request, renames=PAGE_RENAMES)
        cursors = [encode_page_token(v.visited_on, v.id) for v in reply.visits]
        nodes = [ReliefVisit.from_pb(v) for v in reply.visits]
        edges, page_info = connection_parts(nodes, cursors, reply.page_info, after=after)
        return ReliefVisitConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(description="A household's happiness-list items, newest first (inside your regions).")
    async def relief_list_items(
        self, info: Info, household_id: strawberry.ID, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> ReliefListItemConnection:
        ctx = info.context
        household, page = _page(household_id, first, after)
        request = pb.ListListItemsRequest(household_id=household, page=page)
        reply = await ctx.call(ctx.clients.relief_care.ListListItems, request, renames=PAGE_RENAMES)
        cursors = [encode_page_token(i.delivered_on, i.id) for i in reply.items]
        nodes = [ReliefListItem.from_pb(i) for i in reply.items]
        edges, page_info = connection_parts(nodes, cursors, reply.page_info, after=after)
        return ReliefListItemConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(
        description="The care rates (探访关爱, 幸福清单, 一件事) per town of your regions (or one "
        "district or town inside them) for a year from 2021, against the plan's target."
    )
    async def relief_care_rates(
        self,
        info: Info,
        year: Annotated[int, strawberry.argument(description="2021 or later, not in the future.")],
        region_code: str | None = None,
    ) -> ReliefCareRates:
        ctx = info.context
        request = pb.GetCareRatesRequest(region_code=region_code or "", year=year)
        return ReliefCareRates.from_pb(await ctx.call(ctx.clients.relief_care.GetCareRates, request))


@strawberry.type
class ReliefCareMutation:
    @strawberry.mutation(
        description="Record a care visit (town or district officer, admin, village director); the "
        "household must live in the visitor's town or village."
    )
    async def record_relief_visit(self, info: Info, input: RecordReliefVisitInput) -> ReliefVisit:
        ctx = info.context
        request = pb.RecordVisitRequest(
            household_id=_household(input.household_id),
            visited_on=input.visited_on.isoformat(),
            visitor=pb.CareVisitor(name=input.visitor.name, region_code=input.visitor.region_code),
            findings=input.findings or "",
            needs=input.needs or "",
        )
        return ReliefVisit.from_pb(await ctx.call(ctx.clients.relief_care.RecordVisit, request))

    @strawberry.mutation(description="Record a happiness-list service delivered to a household (same roles).")
    async def record_relief_list_item(self, info: Info, input: RecordReliefListItemInput) -> ReliefListItem:
        ctx = info.context
        request = pb.RecordListItemRequest(
            household_id=_household(input.household_id),
            kind=input.kind.value,
            delivered_on=input.delivered_on.isoformat(),
            delivered_by=input.delivered_by,
            note=input.note or "",
        )
        return ReliefListItem.from_pb(await ctx.call(ctx.clients.relief_care.RecordListItem, request))
