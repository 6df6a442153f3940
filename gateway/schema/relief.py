"""Relief (社会救助) in the graph: households, the standards in force and a household's eligibility.

Every call goes to the relief service with the caller's token; the service scopes households to the
caller's regions and masks ID numbers unless the role may see them. A household outside those
regions looks absent: ``household`` and ``householdEligibility`` answer null, mutations NOT_FOUND.
Standards are published policy: any caller may read them for any region.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb

from gateway.context import GatewayContext, Info
from gateway.errors import invalid_field
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import iso, node_id
from gateway.schema.relief_application_types import ReliefProgramme
from gateway.schema.relief_eligibility_types import HouseholdAssessment, ReliefStandards
from gateway.schema.relief_types import Household, HouseholdConnection, Month
from services.kit.idcard import InvalidIdNumber, parse_id_number

T = TypeVar("T")


async def absent_as_none(call: Awaitable[T]) -> T | None:
    """The reply of a call, or None when the service says NOT_FOUND."""
    try:
        return await call
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") == "NOT_FOUND":
            return None  # absent and out of the caller's regions look the same, by design
        raise


async def _household(ctx: GatewayContext, request: pb.GetHouseholdRequest) -> Household | None:
    reply = await absent_as_none(ctx.call(ctx.clients.households.GetHousehold, request))
    return Household.from_pb(reply, detailed=True) if reply is not None else None


@strawberry.type
class ReliefQuery:
    @strawberry.field(
        description="One relief household by global ID; null when absent or outside your regions."
    )
    async def household(self, info: Info, id: strawberry.ID) -> Household | None:
        return await _household(info.context, pb.GetHouseholdRequest(id=node_id(id, "Household", "id")))

    @strawberry.field(
        description="The household a person currently belongs to, by their ID number; null when none "
        "(or outside your regions)."
    )
    async def household_by_member(
        self,
        info: Info,
        id_number: Annotated[
            str, strawberry.argument(description="18-character resident ID number (GB 11643).")
        ],
    ) -> Household | None:
        try:
            number = parse_id_number(id_number)
        except InvalidIdNumber as exc:
            raise invalid_field("idNumber", exc.reason) from None  # the reason never echoes the number
        return await _household(info.context, pb.GetHouseholdRequest(id_number=number.value))

    @strawberry.field(
        description="Relief households in your regions (or one region inside them), by region code; "
        "current members only. With a programme: only households holding an open grant of it. Flagged: "
        "only households with an open proactive-discovery flag (false or null: every household)."
    )
    async def households(
        self,
        info: Info,
        region_code: Annotated[
            str | None, strawberry.argument(description="A district, town or village inside your regions.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
        programme: ReliefProgramme | None = None,
        flagged: Annotated[
            bool | None, strawberry.argument(description="True: only households with an open flag.")
        ] = None,
    ) -> HouseholdConnection:
        ctx = info.context
        request = pb.ListHouseholdsRequest(
            region_code=region_code or "",
            page=page_request(first, after),
            programme=programme.value if programme else 0,
            flagged=bool(flagged),
        )
        reply = await ctx.call(ctx.clients.households.ListHouseholds, request, renames=PAGE_RENAMES)
        nodes = [Household.from_pb(row, detailed=False) for row in reply.households]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return HouseholdConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(
        description="The relief standards (低保, 低边, 特困, price subsidy) in force on a day in a region, "
        "with the source of each figure."
    )
    async def relief_standards(
        self,
        info: Info,
        region_code: Annotated[str, strawberry.argument(description="A district, town or village code.")],
        day: Annotated[date | None, strawberry.argument(description="Default today (China time).")] = None,
    ) -> ReliefStandards:
        ctx = info.context
        request = epb.GetStandardsRequest(region_code=region_code, day=iso(day))
        return ReliefStandards.from_pb(await ctx.call(ctx.clients.eligibility.GetStandards, request))

    @strawberry.field(
        description="A household assessed for a month (特困 / 低保 / 低边 / none) with reasons and the "
        "monthly amount; a preview, nothing is written. Null when absent or outside your regions."
    )
    async def household_eligibility(
        self, info: Info, household_id: strawberry.ID, month: Month = None
    ) -> HouseholdAssessment | None:
        ctx = info.context
        request = epb.AssessHouseholdRequest(
            household_id=node_id(household_id, "Household", "householdId"), month=month or ""
        )
        reply = await absent_as_none(ctx.call(ctx.clients.eligibility.AssessHousehold, request))
        return HouseholdAssessment.from_pb(reply) if reply is not None else None
