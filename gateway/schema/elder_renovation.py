"""Age-friendly home renovation (适老化改造) in the graph: the item catalogue and household plans.

Every call goes to RenovationService with the caller's token. The catalogue is district-wide (admin and
district officers change it, everyone reads it); plans are scoped to the caller's regions, one open
plan per elder (一户一策), and move surveyed → approved → in progress → completed, or are cancelled
before work starts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import renovation_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import day, iso, node_id, timestamp

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.enum(description="The five areas of the district's renovation catalogue.")
class RenovationArea(Enum):
    TOILET_BATHING = strawberry.enum_value(pb.RENOVATION_AREA_TOILET_BATHING, description="如厕洗澡安全")
    INDOOR_MOBILITY = strawberry.enum_value(pb.RENOVATION_AREA_INDOOR_MOBILITY, description="室内行走便利")
    LIVING_ENVIRONMENT = strawberry.enum_value(
        pb.RENOVATION_AREA_LIVING_ENVIRONMENT, description="居家环境改善"
    )
    SMART_MONITORING = strawberry.enum_value(pb.RENOVATION_AREA_SMART_MONITORING, description="智能安全监护")
    ASSISTIVE_DEVICES = strawberry.enum_value(
        pb.RENOVATION_AREA_ASSISTIVE_DEVICES, description="辅助器具适配"
    )


@strawberry.enum(description="Where a household's renovation plan stands.")
class RenovationPlanStatus(Enum):
    SURVEYED = pb.RENOVATION_PLAN_STATUS_SURVEYED
    APPROVED = pb.RENOVATION_PLAN_STATUS_APPROVED
    IN_PROGRESS = pb.RENOVATION_PLAN_STATUS_IN_PROGRESS
    COMPLETED = pb.RENOVATION_PLAN_STATUS_COMPLETED
    CANCELLED = pb.RENOVATION_PLAN_STATUS_CANCELLED


@strawberry.type(description="An item of the renovation catalogue.")
class RenovationItem(relay.Node):
    id: relay.NodeID[str]
    code: str = strawberry.field(description='Short unique code, e.g. "TB-03".')
    name: str
    area: RenovationArea
    unit: str = strawberry.field(description='e.g. "套", "米", "个".')
    reference_price_fen: int
    active: bool = strawberry.field(description="False once no longer offered to new plans.")

    @classmethod
    def from_pb(cls, m: pb.RenovationItem) -> RenovationItem:
        """The GraphQL item of a reply."""
        return cls(
            id=m.id,
            code=m.code,
            name=m.name,
            area=RenovationArea(m.area),
            unit=m.unit,
            reference_price_fen=m.reference_price_fen,
            active=m.active,
        )


@strawberry.type(description="A chosen item of a plan, as it was when the plan was made.")
class RenovationPlanLine:
    item_id: strawberry.ID
    item_code: str
    item_name: str
    area: RenovationArea
    quantity: int
    unit_price_fen: int
    line_total_fen: str = strawberry.field(description="quantity × unit price, in fen as a decimal string.")


@strawberry.type(description="A household's renovation plan (一户一策).")
class RenovationPlan(relay.Node):
    id: relay.NodeID[str]
    elder_id: strawberry.ID
    elder_name: str
    region_code: str = strawberry.field(description="The elder's region.")
    status: RenovationPlanStatus
    lines: list[RenovationPlanLine]
    total_fen: str = strawberry.field(description="In fen, as a decimal string.")
    subsidy_percent: int
    subsidy_fen: str
    self_paid_fen: str
    surveyed_on: date | None
    approved_on: date | None
    started_on: date | None
    completed_on: date | None
    cancelled_on: date | None
    notes: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.RenovationPlan) -> RenovationPlan:
        """The GraphQL plan of a reply."""
        return cls(
            id=m.id,
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            elder_name=m.elder_name,
            region_code=m.region_code,
            status=RenovationPlanStatus(m.status),
            lines=[
                RenovationPlanLine(
                    item_id=strawberry.ID(to_base64("RenovationItem", line.item_id)),
                    item_code=line.item_code,
                    item_name=line.item_name,
                    area=RenovationArea(line.area),
                    quantity=line.quantity,
                    unit_price_fen=line.unit_price_fen,
                    line_total_fen=str(line.line_total_fen),
                )
                for line in m.lines
            ],
            total_fen=str(m.total_fen),
            subsidy_percent=m.subsidy_percent,
            subsidy_fen=str(m.subsidy_fen),
            self_paid_fen=str(m.self_paid_fen),
            surveyed_on=day(m.surveyed_on),
            approved_on=day(m.approved_on),
            started_on=day(m.started_on),
            completed_on=day(m.completed_on),
            cancelled_on=day(m.cancelled_on),
            notes=m.notes or None,
            created_at=timestamp(m, "created_at"),
            updated_at=timestamp(m, "updated_at"),
        )


@strawberry.type(description="Renovation plans, a page at a time (forward pagination with first/after).")
class RenovationPlanConnection(relay.Connection[RenovationPlan]):
    total_count: int


@strawberry.type
class RenovationQuery:
    @strawberry.field(description="The renovation catalogue by area then code (active items unless asked).")
    async def renovation_items(
        self, info: Info, area: RenovationArea | None = None, include_inactive: bool = False
    ) -> list[RenovationItem]:
        ctx = info.context
        request = pb.ListRenovationItemsRequest(
            area=area.value if area else pb.RENOVATION_AREA_UNSPECIFIED, include_inactive=include_inactive
        )
        reply = await ctx.call(ctx.clients.renovation.ListRenovationItems, request)
        return [RenovationItem.from_pb(i) for i in reply.items]

    @strawberry.field(description="One renovation plan; null when absent or outside your regions.")
    async def renovation_plan(self, info: Info, id: strawberry.ID) -> RenovationPlan | None:
        ctx = info.context
        request = pb.GetRenovationPlanRequest(id=node_id(id, "RenovationPlan", "id"))
        try:
            reply = await ctx.call(ctx.clients.renovation.GetRenovationPlan, request)
        except GraphQLError as exc:
            if (exc.extensions or {}).get("code") == "NOT_FOUND":
                return None  # absent and out of the caller's regions look the same, by design
            raise
        return RenovationPlan.from_pb(reply)

    @strawberry.field(description="Renovation plans in your regions (or one region inside them).")
    async def renovation_plans(
        self,
        info: Info,
        region_code: str | None = None,
        status: RenovationPlanStatus | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> RenovationPlanConnection:
        ctx = info.context
        request = pb.ListRenovationPlansRequest(
            region_code=region_code or "",
            status=status.value if status else pb.RENOVATION_PLAN_STATUS_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.renovation.ListRenovationPlans, request, renames=PAGE_RENAMES)
        nodes = [RenovationPlan.from_pb(p) for p in reply.plans]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return RenovationPlanConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )


@strawberry.input(description="A new catalogue item (admin and district officers).")
class AddRenovationItemInput:
    code: str
    name: str
    area: RenovationArea
    unit: str
    reference_price_fen: int = strawberry.field(description="0 .. 10,000,000 fen (¥100,000).")


@strawberry.input(description="A chosen catalogue item.")
class RenovationPlanLineInput:
    item_id: strawberry.ID
    quantity: int = strawberry.field(description="1 .. 100.")
    unit_price_fen: int | None = strawberry.field(default=None, description="Default the reference price.")


@strawberry.input(description="A surveyed plan for an elder's home (one open plan per elder).")
class CreateRenovationPlanInput:
    elder_id: strawberry.ID
    lines: list[RenovationPlanLineInput] = strawberry.field(description="1 .. 100 active items, each once.")
    subsidy_percent: int = strawberry.field(default=0, description="0 .. 100.")
    surveyed_on: date | None = strawberry.field(default=None, description="Default today; not in the future.")
    notes: str | None = None


@strawberry.input(description="A plan's next step: APPROVED, IN_PROGRESS, COMPLETED or CANCELLED.")
class AdvanceRenovationPlanInput:
    plan_id: strawberry.ID
    to_status: RenovationPlanStatus
    on: date | None = strawberry.field(
        default=None, description="Default today; not before the previous step, not in the future."
    )
    reason: str | None = strawberry.field(default=None, description="Why, for a cancellation.")


@strawberry.type
class RenovationMutation:
    @strawberry.mutation(description="Add an item to the renovation catalogue (codes are unique).")
    async def add_renovation_item(self, info: Info, input: AddRenovationItemInput) -> RenovationItem:
        ctx = info.context
        request = pb.AddRenovationItemRequest(
            code=input.code,
            name=input.name,
            area=input.area.value,
            unit=input.unit,
            reference_price_fen=input.reference_price_fen,
        )
        return RenovationItem.from_pb(await ctx.call(ctx.clients.renovation.AddRenovationItem, request))

    @strawberry.mutation(description="Stop offering an item to new plans (plans that chose it keep it).")
    async def deactivate_renovation_item(self, info: Info, item_id: strawberry.ID) -> RenovationItem:
        ctx = info.context
        request = pb.DeactivateRenovationItemRequest(item_id=node_id(item_id, "RenovationItem", "itemId"))
        return RenovationItem.from_pb(
            await ctx.call(ctx.clients.renovation.DeactivateRenovationItem, request)
        )

    @strawberry.mutation(description="Create a household's surveyed renovation plan.")
    async def create_renovation_plan(self, info: Info, input: CreateRenovationPlanInput) -> RenovationPlan:
        ctx = info.context
        request = pb.CreateRenovationPlanRequest(
            elder_id=node_id(input.elder_id, "Elder", "elderId"),
            surveyed_on=iso(input.surveyed_on),
            lines=[
                pb.PlanLine(
                    item_id=node_id(line.item_id, "RenovationItem", "itemId"),
                    quantity=line.quantity,
                    unit_price_fen=line.unit_price_fen or 0,
                )
                for line in input.lines
            ],
            subsidy_percent=input.subsidy_percent,
            notes=input.notes or "",
        )
        return RenovationPlan.from_pb(await ctx.call(ctx.clients.renovation.CreateRenovationPlan, request))

    @strawberry.mutation(description="Move a plan one step (FAILED_PRECONDITION for any other step).")
    async def advance_renovation_plan(self, info: Info, input: AdvanceRenovationPlanInput) -> RenovationPlan:
        ctx = info.context
        request = pb.AdvanceRenovationPlanRequest(
            plan_id=node_id(input.plan_id, "RenovationPlan", "planId"),
            to_status=input.to_status.value,
            on=iso(input.on),
            reason=input.reason or "",
        )
        return RenovationPlan.from_pb(await ctx.call(ctx.clients.renovation.AdvanceRenovationPlan, request))
