"""Proactive discovery (主动发现) in the graph: the officers' worklist of household flags, and closing one.

The relief service raises flags from other services' events and scopes them to the caller's regions
(a flag elsewhere is NOT_FOUND); the gateway reshapes its pages into a Relay connection whose cursors
are the service's own per-row tokens. ``household_flags`` is the resolver a household's ``flags``
field calls (the same query, one household).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.relief.v1 import discovery_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import GatewayContext, Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id, timestamp
from gateway.schema.relief_eligibility_types import person_gid
from gateway.schema.safety_types import enum_or_none

FLAG = "ReliefFlag"


@strawberry.enum(description="What a discovery flag asks of the officer.")
class ReliefFlagKind(Enum):
    MAY_QUALIFY = strawberry.enum_value(
        pb.FLAG_KIND_MAY_QUALIFY, description="The household may now qualify for a programme it lacks."
    )
    REASSESS = strawberry.enum_value(
        pb.FLAG_KIND_REASSESS, description="It holds a programme and its circumstances changed."
    )
    ENDED = strawberry.enum_value(
        pb.FLAG_KIND_ENDED, description="Its grants ended automatically (the only member died)."
    )


@strawberry.enum(description="Whether an officer has handled a flag.")
class ReliefFlagStatus(Enum):
    OPEN = pb.FLAG_STATUS_OPEN
    HANDLED = pb.FLAG_STATUS_HANDLED


@strawberry.type(description="A household flagged by proactive discovery, with the reason in words.")
class ReliefFlag:
    id: strawberry.ID
    household_id: strawberry.ID
    region_code: str = strawberry.field(description="The household's village.")
    kind: ReliefFlagKind | None
    fact: str = strawberry.field(
        description="What was learned: elder_severely_disabled, child_without_support, member_died, …"
    )
    person_id: strawberry.ID | None = strawberry.field(description="The member the fact is about.")
    reason: str
    source_type: str = strawberry.field(description="The CloudEvents type that raised the flag.")
    raised_at: datetime | None
    status: ReliefFlagStatus | None
    handled_by: str | None
    handled_at: datetime | None
    handled_note: str | None

    @classmethod
    def from_pb(cls, m: pb.HouseholdFlag) -> ReliefFlag:
        """The GraphQL flag of a reply."""
        return cls(
            id=strawberry.ID(to_base64(FLAG, m.id)),
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            region_code=m.region_code,
            kind=enum_or_none(ReliefFlagKind, m.kind),
            fact=m.fact,
            person_id=person_gid(m.person_id) if m.person_id else None,
            reason=m.reason,
            source_type=m.source_type,
            raised_at=timestamp(m, "raised_at"),
            status=enum_or_none(ReliefFlagStatus, m.status),
            handled_by=m.handled_by or None,
            handled_at=timestamp(m, "handled_at"),
            handled_note=m.handled_note or None,
        )


@strawberry.type(description="Discovery flags, oldest first (forward pagination with first/after).")
class ReliefFlagConnection(relay.Connection[ReliefFlag]):
    total_count: int


@strawberry.input(description="Closing an open flag: what was done about it.")
class HandleReliefFlagInput:
    id: strawberry.ID
    note: str = strawberry.field(description="Required: an application opened, checked and nothing to do, …")


First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


async def flag_page(
    ctx: GatewayContext,
    *,
    region_code: str | None = None,
    household_id: str = "",
    status: ReliefFlagStatus | None,
    first: int,
    after: str | None,
) -> ReliefFlagConnection:
    """One page of flags (one household's when ``household_id`` is given: the service's id)."""
    request = pb.ListFlagsRequest(
        region_code=region_code or "",
        status=status.value if status else 0,
        page=page_request(first, after),
        household_id=household_id,
    )
    reply = await ctx.call(ctx.clients.relief_discovery.ListFlags, request, renames=PAGE_RENAMES)
    nodes = [ReliefFlag.from_pb(f) for f in reply.flags]
    edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
    return ReliefFlagConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)


async def household_flags(
    info: Info, household_id: str, status: ReliefFlagStatus | None, first: int, after: str | None
) -> ReliefFlagConnection:
    """A household's flags (``Household.flags``), by the household's service id."""
    return await flag_page(info.context, household_id=household_id, status=status, first=first, after=after)


@strawberry.type
class ReliefDiscoveryQuery:
    @strawberry.field(
        description="Households flagged by proactive discovery in your regions (or one region inside "
        "them, or one household), oldest first."
    )
    async def relief_flags(
        self,
        info: Info,
        region_code: Annotated[
            str | None, strawberry.argument(description="A district, town or village inside your regions.")
        ] = None,
        status: ReliefFlagStatus | None = None,
        household_id: strawberry.ID | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ReliefFlagConnection:
        household = node_id(household_id, "Household", "householdId") if household_id else ""
        return await flag_page(
            info.context,
            region_code=region_code,
            household_id=household,
            status=status,
            first=first,
            after=after,
        )


@strawberry.type
class ReliefDiscoveryMutation:
    @strawberry.mutation(
        description="Close an open flag with a note (town officer, district officer or admin); "
        "FAILED_PRECONDITION when handled already."
    )
    async def handle_relief_flag(self, info: Info, input: HandleReliefFlagInput) -> ReliefFlag:
        ctx = info.context
        request = pb.HandleFlagRequest(id=node_id(input.id, FLAG, "id"), note=input.note)
        return ReliefFlag.from_pb(await ctx.call(ctx.clients.relief_discovery.HandleFlag, request))
