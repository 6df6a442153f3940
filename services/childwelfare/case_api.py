"""The protection-case gRPC servicer: take the request apart, call one service function, map back.

Validation lives in ``case_requests`` (every bad field named, nothing written), the work in ``cases``
and ``case_files``, the proto mapping in ``case_mapping``. Any staff role may report (强制报告 is
everyone's duty) within its regions; town officers and above take steps and record conferences;
viewers read. Cases elsewhere are NOT_FOUND. "Now" comes from the injected clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import grpc
from minzheng.childwelfare.v1 import protection_pb2 as pb
from minzheng.childwelfare.v1 import protection_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import case_files, case_mapping, case_requests, cases, rules
from services.childwelfare.case_policy import CasePolicy, load_case_policy
from services.childwelfare.models import ProtectionCase
from services.childwelfare.rules import Clock
from services.kit import paging
from services.kit.auth import WRITE_ROLES, Principal, Role
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Loader = Callable[[AsyncSession], Awaitable[list[ProtectionCase]]]
Context = grpc.aio.ServicerContext
# Mandatory reporting is every staff member's duty: directors and hotline operators included.
REPORT_ROLES = (*WRITE_ROLES, Role.VILLAGE_DIRECTOR, Role.HOTLINE)


class ProtectionCaseServicer(protection_pb2_grpc.ProtectionCaseServiceServicer):
    """minzheng.childwelfare.v1.ProtectionCaseService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: CasePolicy) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    async def _cases(self, principal: Principal, load: Loader) -> tuple[list[pb.ProtectionCase], list[str]]:
        """Load cases and build them in one session (a write when ID numbers are shown in clear)."""
        now = self._clock()
        reveal = principal.may_see_id_numbers
        session_of = self._db.unit_of_work if reveal else self._db.read
        async with session_of() as session:
            rows = await load(session)
            if reveal:
                await case_files.reveal(session, actor=principal.subject, cases=rows, now=now)
            built = await case_files.assemble(session, rows)
            cursors = [paging.encode_page_token(case_files.cursor_time(r), r.id) for r in rows]
            return [
                case_mapping.case_to_pb(f, reveal_id=reveal, now=now, scopes=principal.regions) for f in built
            ], cursors

    async def _one(self, principal: Principal, case_id: str) -> pb.ProtectionCase:
        async def load(session: AsyncSession) -> list[ProtectionCase]:
            return [await cases.visible_case(session, scopes=principal.regions, case_id=case_id)]

        return (await self._cases(principal, load))[0][0]

    async def ReportConcern(self, request: pb.ReportConcernRequest, context: Context) -> pb.ProtectionCase:
        """Open a case from a mandatory report inside the caller's regions."""
        principal = current_principal()
        principal.require_role(*REPORT_ROLES)
        now = self._clock()
        report = case_requests.parse_report(request, now=now)
        async with self._db.unit_of_work() as session:
            case = await cases.report_concern(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                report=report,
                rule=self._policy.response_rule(rules.china_today(report.reported_at)),
                now=now,
            )
        self._ctx.notify_outbox()
        return await self._one(principal, case.id)

    async def GetCase(self, request: pb.GetCaseRequest, context: Context) -> pb.ProtectionCase:
        """One case with its history."""
        principal = current_principal()
        return await self._one(principal, case_requests.parse_get(request))

    async def ListCases(self, request: pb.ListCasesRequest, context: Context) -> pb.ListCasesResponse:
        """Cases in the caller's regions (or one inside them), filtered, newest report first."""
        principal = current_principal()
        query = case_requests.parse_list(principal, request)
        now = self._clock()
        page: dict[str, int | bool] = {}

        async def load(session: AsyncSession) -> list[ProtectionCase]:
            rows, page["total"], page["more"] = await case_files.list_cases(
                session,
                scopes=query.scopes,
                state=query.state,
                overdue_only=query.overdue_only,
                now=now,
                after=query.after,
                limit=query.limit,
            )
            return rows

        built, cursors = await self._cases(principal, load)
        more, total = bool(page["more"]), int(page["total"])
        return pb.ListCasesResponse(
            cases=built,
            page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
            cursors=cursors,
        )

    async def AdvanceCase(self, request: pb.AdvanceCaseRequest, context: Context) -> pb.ProtectionCase:
        """Take one step of the case (respond, intervene, monitor, close)."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        case_id, step = case_requests.parse_advance(request, today=rules.china_today(now))
        async with self._db.unit_of_work() as session:
            await cases.advance_case(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                case_id=case_id,
                step=step,
                now=now,
            )
        self._ctx.notify_outbox()
        return await self._one(principal, case_id)

    async def RecordConference(
        self, request: pb.RecordConferenceRequest, context: Context
    ) -> pb.ProtectionCase:
        """Record a case conference (个案会商) on an open case."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        new = case_requests.parse_conference(request, today=rules.china_today(now))
        async with self._db.unit_of_work() as session:
            await cases.record_conference(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                case_id=new.case_id,
                held_on=new.held_on,
                participants=new.participants,
                decisions=new.decisions,
                now=now,
            )
        return await self._one(principal, new.case_id)


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ProtectionCaseService"].full_name


def register(
    server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy: CasePolicy | None = None
) -> None:
    """Add the protection-case servicer to the service's gRPC server."""
    servicer = ProtectionCaseServicer(ctx, clock=clock, policy=policy or load_case_policy())
    protection_pb2_grpc.add_ProtectionCaseServiceServicer_to_server(servicer, server)
