"""Relief applications and grants in the graph: one application, pages of them, the re-check worklist.

Every call goes to the relief service with the caller's token; the service scopes applications and
grants to the caller's regions (the approver role is district-wide, a town officer sees their town).
One outside those regions looks absent: ``application`` answers null, mutations NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from minzheng.relief.v1 import applications_pb2 as pb

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id
from gateway.schema.relief import absent_as_none
from gateway.schema.relief_application_types import (
    ReliefApplication,
    ReliefApplicationConnection,
    ReliefApplicationState,
    ReliefGrant,
    ReliefGrantConnection,
    application_page,
)

Region = Annotated[
    str | None, strawberry.argument(description="A district, town or village inside your regions.")
]
First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.type
class ReliefApplicationQuery:
    @strawberry.field(
        description="One relief application with its steps and grants; null when absent or outside "
        "your regions."
    )
    async def application(self, info: Info, id: strawberry.ID) -> ReliefApplication | None:
        ctx = info.context
        request = pb.GetApplicationRequest(id=node_id(id, "ReliefApplication", "id"))
        reply = await absent_as_none(ctx.call(ctx.clients.applications.GetApplication, request))
        return ReliefApplication.from_pb(reply, detailed=True) if reply is not None else None

    @strawberry.field(description="Relief applications in your regions (or one inside them), newest first.")
    async def applications(
        self,
        info: Info,
        region_code: Region = None,
        state: ReliefApplicationState | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ReliefApplicationConnection:
        return await application_page(
            info.context, region_code=region_code, state=state, first=first, after=after
        )

    @strawberry.field(
        description="Open grants whose periodic re-check (低保 / 特困 / 低边, policy data) is due or "
        "coming up, soonest first."
    )
    async def relief_recheck_worklist(
        self, info: Info, region_code: Region = None, first: First = DEFAULT_FIRST, after: str | None = None
    ) -> ReliefGrantConnection:
        ctx = info.context
        request = pb.ListRecheckWorklistRequest(
            region_code=region_code or "", page=page_request(first, after)
        )
        reply = await ctx.call(ctx.clients.applications.ListRecheckWorklist, request, renames=PAGE_RENAMES)
        nodes = [ReliefGrant.from_pb(g) for g in reply.grants]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ReliefGrantConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )
