"""The child welfare gRPC servicer: take the request apart, call one service function, map back.

Validation lives in ``requests`` (every bad field named, nothing written), the work in the service
modules, the proto mapping in ``mapping``. Region scoping: a caller sees and changes only children
under its region scopes (a village director's token is scoped to the village, a town supervisor's to
the town). Rows elsewhere are NOT_FOUND; registering outside the scopes is PERMISSION_DENIED naming
region_code. "Now" comes from the injected clock (``spec.make_spec``), so tests move it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1 import childwelfare_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import (
    children,
    compliance,
    files,
    inbound,
    mapping,
    network,
    requests,
    rules,
    visits,
)
from services.childwelfare.allowance_api import AllowanceRpcs
from services.childwelfare.models import Child, Visit
from services.childwelfare.rules import Clock, NetworkRole, VisitPolicy
from services.kit import paging
from services.kit.auth import WRITE_ROLES, Principal, Role
from services.kit.errors import Collector, PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Loader = Callable[[AsyncSession], Awaitable[list[Child]]]
Context = grpc.aio.ServicerContext
# Village directors open files and keep guardians current for their own village.
FILE_ROLES = (*WRITE_ROLES, Role.VILLAGE_DIRECTOR)


class ChildWelfareServicer(AllowanceRpcs, childwelfare_pb2_grpc.ChildWelfareServiceServicer):
    """minzheng.childwelfare.v1.ChildWelfareService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    async def _files(self, principal: Principal, load: Loader) -> tuple[list[pb.Child], list[str]]:
        """Load children and build their files in one session (a write when ID numbers are shown in clear)."""
        now = self._clock()
        reveal = principal.may_see_id_numbers
        session_of = self._db.unit_of_work if reveal else self._db.read
        async with session_of() as session:
            rows = await load(session)
            if reveal:
                await files.reveal(session, actor=principal.subject, children=rows, now=now)
            built = await files.assemble(session, rows, policy=self._policy, today=rules.china_today(now))
            # Each row's own keyset token resumes right after it (the gateway's edge cursors).
            cursors = [paging.encode_page_token(r.region_code, r.id) for r in rows]
            return [mapping.child_to_pb(f, reveal_id=reveal) for f in built], cursors

    async def _file(self, principal: Principal, child: Child) -> pb.Child:
        async def load(_session: AsyncSession) -> list[Child]:
            return [child]

        return (await self._files(principal, load))[0][0]

    async def RegisterChild(self, request: pb.RegisterChildRequest, context: Context) -> pb.Child:
        """Open a child's file in a village inside the caller's regions."""
        principal = current_principal()
        principal.require_role(*FILE_ROLES)
        now = self._clock()
        new = requests.parse_register(request, today=rules.china_today(now))
        if not principal.can_see(new.region_code):
            raise PermissionDenied(f"region_code: {new.region_code} is outside your regions")
        async with self._db.unit_of_work() as session:
            child = await children.register_child(
                session,
                actor=principal.subject,
                id_number=new.id_number,
                name=new.name,
                region_code=new.region_code,
                category=new.category,
                category_since=new.category_since,
                guardians=new.guardians,
                policy=self._policy,
                today=rules.china_today(now),
                now=now,
                digest_key=inbound.id_digest_key(self._ctx.settings),
            )
        self._ctx.notify_outbox()
        return await self._file(principal, child)

    async def GetChild(self, request: pb.GetChildRequest, context: Context) -> pb.Child:
        """One child's file, by id or ID number."""
        principal = current_principal()
        child_id, id_number = requests.parse_get_child(request)

        async def load(session: AsyncSession) -> list[Child]:
            return [
                await children.visible_child(
                    session, scopes=principal.regions, child_id=child_id, id_number=id_number
                )
            ]

        return (await self._files(principal, load))[0][0]

    async def ListChildren(
        self, request: pb.ListChildrenRequest, context: Context
    ) -> pb.ListChildrenResponse:
        """Children in the caller's regions (or one inside them), filtered, by pages in region order."""
        principal = current_principal()
        query = requests.parse_list_children(principal, request)
        today = rules.china_today(self._clock())
        page: dict[str, int | bool] = {}

        async def load(session: AsyncSession) -> list[Child]:
            rows, page["total"], page["more"] = await files.list_children(
                session,
                scopes=query.scopes,
                where=query.where,
                policy=self._policy,
                today=today,
                after=query.after,
                limit=query.limit,
            )
            return rows

        built, cursors = await self._files(principal, load)
        more, total = bool(page["more"]), int(page["total"])
        return pb.ListChildrenResponse(
            children=built,
            page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
            cursors=cursors,
        )

    async def ChangeCategory(self, request: pb.ChangeCategoryRequest, context: Context) -> pb.Child:
        """Move a child to another category from a date (history kept)."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        today = rules.china_today(now)
        change = requests.parse_change_category(request, today=today)
        async with self._db.unit_of_work() as session:
            child = await children.change_category(
                session,
                actor=principal.subject,
                child_id=change.child_id,
                scopes=principal.regions,
                category=change.category,
                effective_from=change.effective_from,
                reason=change.reason,
                today=today,
                now=now,
            )
        return await self._file(principal, child)

    async def SetGuardians(self, request: pb.SetGuardiansRequest, context: Context) -> pb.Child:
        """Replace a child's guardians."""
        principal = current_principal()
        principal.require_role(*FILE_ROLES)
        child_id, guardians = requests.parse_set_guardians(request)
        async with self._db.unit_of_work() as session:
            child = await children.set_guardians(
                session,
                actor=principal.subject,
                child_id=child_id,
                scopes=principal.regions,
                guardians=guardians,
                now=self._clock(),
            )
        return await self._file(principal, child)

    async def _assign(
        self, request: pb.AssignDirectorRequest, role: NetworkRole, level: str
    ) -> pb.NetworkMember:
        principal = current_principal()
        principal.require_write()
        assignment = requests.parse_assignment(request, level=level)
        if not principal.can_see(assignment.region_code):
            raise PermissionDenied(f"region_code: {assignment.region_code} is outside your regions")
        now = self._clock()
        async with self._db.unit_of_work() as session:
            member = await network.assign_member(
                session,
                actor=principal.subject,
                role=role,
                region_code=assignment.region_code,
                subject=assignment.subject,
                name=assignment.name,
                contact=assignment.contact,
                today=rules.china_today(now),
                now=now,
            )
            counts = await network.children_per_village(session, scopes=(assignment.region_code,))
        return mapping.member_to_pb(member, child_count=sum(counts.values()))

    async def AssignSupervisor(
        self, request: pb.AssignSupervisorRequest, context: Context
    ) -> pb.NetworkMember:
        """Make someone the town's child supervisor (督导员)."""
        as_director = pb.AssignDirectorRequest(
            region_code=request.region_code,
            subject=request.subject,
            name=request.name,
            contact=request.contact,
        )
        return await self._assign(as_director, NetworkRole.SUPERVISOR, "town")

    async def AssignDirector(self, request: pb.AssignDirectorRequest, context: Context) -> pb.NetworkMember:
        """Make someone the village's child director (儿童主任); the village's children move to them."""
        return await self._assign(request, NetworkRole.DIRECTOR, "village")

    async def ListNetwork(self, request: pb.ListNetworkRequest, context: Context) -> pb.ListNetworkResponse:
        """Current supervisors and directors in the caller's regions, with their children counts."""
        scopes = requests.scope_of(current_principal(), Collector(), request.region_code)
        async with self._db.read() as session:
            supervisors, directors, counts = await network.list_network(session, scopes=scopes)
            # Built inside the session: the read session's rollback expires loaded rows.
            return pb.ListNetworkResponse(
                supervisors=[
                    mapping.member_to_pb(m, child_count=counts.get(m.region_code, 0)) for m in supervisors
                ],
                directors=[
                    mapping.member_to_pb(m, child_count=counts.get(m.region_code, 0)) for m in directors
                ],
            )

    async def ListVillagesWithoutDirector(
        self, request: pb.ListVillagesWithoutDirectorRequest, context: Context
    ) -> pb.ListVillagesWithoutDirectorResponse:
        """Villages with children but no current child director."""
        scopes = requests.scope_of(current_principal(), Collector(), request.region_code)
        async with self._db.read() as session:
            found = await network.villages_without_director(session, scopes=scopes)
        return pb.ListVillagesWithoutDirectorResponse(
            villages=[pb.VillageWithoutDirector(region_code=c, child_count=n) for c, n in found.items()]
        )

    async def RecordVisit(self, request: pb.RecordVisitRequest, context: Context) -> pb.Visit:
        """Record a home visit made by the caller (the child's director or town supervisor)."""
        principal = current_principal()
        now = self._clock()
        new = requests.parse_visit(request, today=rules.china_today(now))
        async with self._db.unit_of_work() as session:
            visit = await visits.record_visit(
                session,
                actor=principal.subject,
                child_id=new.child_id,
                scopes=principal.regions,
                visited_on=new.visited_on,
                findings=new.findings,
                now=now,
            )
        self._ctx.notify_outbox()
        return mapping.visit_to_pb(visit)

    async def ListVisits(self, request: pb.ListVisitsRequest, context: Context) -> pb.ListVisitsResponse:
        """A child's visits, newest first, by keyset pages; or the first page of each of many children."""
        principal = current_principal()
        query = requests.parse_list_visits(request)
        async with self._db.read() as session:
            if query.child_ids:
                pages = await visits.visits_per_child(
                    session, child_ids=query.child_ids, scopes=principal.regions, limit=query.limit
                )
                return pb.ListVisitsResponse(pages=[_visit_page(c, *page) for c, page in pages.items()])
            rows, total, more = await visits.list_visits(
                session,
                child_id=query.child_id,
                scopes=principal.regions,
                after=query.after,
                limit=query.limit,
            )
            page = _visit_page(query.child_id, rows, total, more)
            return pb.ListVisitsResponse(visits=page.visits, page_info=page.page_info, cursors=page.cursors)

    async def GetVisitCompliance(
        self, request: pb.GetVisitComplianceRequest, context: Context
    ) -> pb.GetVisitComplianceResponse:
        """Visit compliance today per village, town or director in the caller's regions."""
        scopes = requests.scope_of(current_principal(), Collector(), request.region_code)
        today = rules.china_today(self._clock())
        async with self._db.read() as session:
            report = await compliance.visit_compliance(
                session,
                scopes=scopes,
                policy=self._policy,
                today=today,
                group_by=requests.compliance_grouping(request.group_by),
            )
        return pb.GetVisitComplianceResponse(
            rows=[mapping.compliance_row(r.key, r.name, r.tally) for r in report.rows],
            total=mapping.compliance_row("", "", report.total),
            as_of=today.isoformat(),
        )


def _visit_page(child_id: str, rows: Sequence[Visit], total: int, more: bool) -> pb.VisitPage:
    """A page of visits with one resume token (visited_on, id) per row."""
    cursors = [paging.encode_page_token(v.visited_on.isoformat(), v.id) for v in rows]
    return pb.VisitPage(
        child_id=child_id,
        visits=[mapping.visit_to_pb(v) for v in rows],
        cursors=cursors,
        page_info=paging.page_info(cursors[-1] if more else "", total),
    )
