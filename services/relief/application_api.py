"""The applications servicer (一件事): take the request apart, call one service function, map back.

Who may do what (kit.auth roles): the write roles submit, appeal and withdraw (an officer records what
the household asks); town officers (and admins) review; district officers (and admins) approve, reject,
decide appeals and suspend or terminate grants, as may a service acting for the platform (proactive
discovery, a death registered). Everyone reads inside their regions; an application or grant elsewhere
is NOT_FOUND. Validation lives in ``application_requests``, the work in ``applications`` and ``grants``.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.relief.v1 import applications_pb2 as pb
from minzheng.relief.v1 import applications_pb2_grpc

from services.kit import paging
from services.kit.auth import WRITE_ROLES, Role
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import (
    application_batches,
    application_files,
    applications,
    grants,
    household_cases,
    rechecks,
)
from services.relief import application_requests as rq
from services.relief.application_files import ApplicationFile
from services.relief.application_mapping import application_to_pb, grant_to_pb
from services.relief.application_policy import ApplicationPolicy
from services.relief.application_rules import Action, GrantStatus
from services.relief.applications import Deps
from services.relief.clock import Clock
from services.relief.standards import StandardsBook

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ApplicationService"].full_name
REVIEW_ROLES = (Role.TOWN_OFFICER, Role.ADMIN)
DECIDE_ROLES = (Role.DISTRICT_OFFICER, Role.ADMIN)
END_ROLES = (Role.DISTRICT_OFFICER, Role.ADMIN, Role.SERVICE)
# Anyone who reviews or decides may record that a grant continues; ending it is the district's.
RECHECK_ROLES: dict[rechecks.RecheckOutcome, tuple[str, ...]] = {
    rechecks.RecheckOutcome.CONTINUE: (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN),
    rechecks.RecheckOutcome.SUSPEND: END_ROLES,
    rechecks.RecheckOutcome.TERMINATE: END_ROLES,
}
STEP_ROLES: dict[Action, tuple[str, ...]] = {
    Action.REVIEW: REVIEW_ROLES,
    Action.APPROVE: DECIDE_ROLES,
    Action.REJECT: DECIDE_ROLES,
    Action.UPHOLD_APPEAL: DECIDE_ROLES,
    Action.DISMISS_APPEAL: DECIDE_ROLES,
    Action.APPEAL: tuple(WRITE_ROLES),
    Action.WITHDRAW: tuple(WRITE_ROLES),
}


class ApplicationServicer(applications_pb2_grpc.ApplicationServiceServicer):
    """minzheng.relief.v1.ApplicationService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, deps: Deps) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._deps = deps

    def _today(self) -> date:
        return china_today(self._clock())

    async def _reply(self, application_id: str, scopes: tuple[str, ...]) -> pb.Application:
        async with self._db.read() as session:
            found = await application_files.visible_application(
                session, scopes=scopes, application_id=application_id
            )
            return application_to_pb(await application_files.application_file(session, found))

    async def _step(self, application_id: str, action: Action, text: str) -> pb.Application:
        principal = current_principal()
        principal.require_role(*STEP_ROLES[action])
        step = rq.parse_step(application_id, action, text)
        async with self._db.unit_of_work() as session:
            await applications.take_step(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                step=step,
                deps=self._deps,
                now=self._clock(),
            )
        self._ctx.notify_outbox()
        return await self._reply(step.application_id, principal.regions)

    async def SubmitApplication(
        self, request: pb.SubmitApplicationRequest, context: Context
    ) -> pb.Application:
        """Open an application of a household in the caller's regions."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        new = rq.parse_submit(request, today=today, catalogue=self._deps.policy.items_on(today))
        async with self._db.unit_of_work() as session:
            made = await applications.submit(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
        return await self._reply(made.id, principal.regions)

    async def ReviewApplication(
        self, request: pb.ReviewApplicationRequest, context: Context
    ) -> pb.Application:
        """The town's review: the household assessed for this month, the snapshot kept."""
        return await self._step(request.id, Action.REVIEW, request.note)

    async def ApproveApplication(
        self, request: pb.ApproveApplicationRequest, context: Context
    ) -> pb.Application:
        """The district's approval; a programme item becomes a grant (assistance-granted)."""
        return await self._step(request.id, Action.APPROVE, request.note)

    async def RejectApplication(
        self, request: pb.RejectApplicationRequest, context: Context
    ) -> pb.Application:
        """The district's rejection, with a reason."""
        return await self._step(request.id, Action.REJECT, request.reason)

    async def AppealApplication(
        self, request: pb.AppealApplicationRequest, context: Context
    ) -> pb.Application:
        """The household appeals a rejection (once)."""
        return await self._step(request.id, Action.APPEAL, request.reason)

    async def DecideAppeal(self, request: pb.DecideAppealRequest, context: Context) -> pb.Application:
        """Upheld: approved (and granted); dismissed: rejected finally."""
        action = Action.UPHOLD_APPEAL if request.upheld else Action.DISMISS_APPEAL
        return await self._step(request.id, action, request.reason)

    async def WithdrawApplication(
        self, request: pb.WithdrawApplicationRequest, context: Context
    ) -> pb.Application:
        """The household withdraws an undecided application."""
        return await self._step(request.id, Action.WITHDRAW, request.reason)

    async def GetApplication(self, request: pb.GetApplicationRequest, context: Context) -> pb.Application:
        """One application with its steps and grants."""
        principal = current_principal()
        return await self._reply(rq.parse_get(request), principal.regions)

    async def BatchGetApplications(
        self, request: pb.BatchGetApplicationsRequest, context: Context
    ) -> pb.BatchGetApplicationsResponse:
        """Up to 100 applications inside the caller's regions, each with its steps and grants."""
        principal = current_principal()
        ids = application_batches.parse_batch(request)
        async with self._db.read() as session:
            files = await application_batches.visible_files(session, scopes=principal.regions, ids=ids)
            return pb.BatchGetApplicationsResponse(applications=[application_to_pb(f) for f in files])

    async def ListApplications(
        self, request: pb.ListApplicationsRequest, context: Context
    ) -> pb.ListApplicationsResponse:
        """Applications in the caller's regions (or one inside them), newest first, by pages."""
        principal = current_principal()
        query = rq.parse_list(principal, request)
        async with self._db.read() as session:
            if query.household_id is not None:
                rows, total, more = await household_cases.household_applications(
                    session,
                    scopes=query.scopes,
                    household_id=query.household_id,
                    state=query.state,
                    after=query.after,
                    limit=query.limit,
                )
            else:
                rows, total, more = await application_files.list_applications(
                    session, scopes=query.scopes, state=query.state, after=query.after, limit=query.limit
                )
            cursors = [paging.encode_page_token(application_files.cursor_time(a), a.id) for a in rows]
            return pb.ListApplicationsResponse(
                applications=[application_to_pb(ApplicationFile(a, [], [])) for a in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def _end(self, grant_id: str, reason: str, day: str, status: GrantStatus) -> pb.Grant:
        principal = current_principal()
        principal.require_role(*END_ROLES)
        ending = rq.parse_end(grant_id, reason, day, status=status)
        async with self._db.unit_of_work() as session:
            grant = await grants.end_grant(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                ending=ending,
                today=self._today(),
                key=self._deps.key,
                now=self._clock(),
            )
            reply = grant_to_pb(grant)
        self._ctx.notify_outbox()
        return reply

    async def SuspendGrant(self, request: pb.SuspendGrantRequest, context: Context) -> pb.Grant:
        """Suspend a grant from a day (payments stop)."""
        return await self._end(request.id, request.reason, request.effective_from, GrantStatus.SUSPENDED)

    async def TerminateGrant(self, request: pb.TerminateGrantRequest, context: Context) -> pb.Grant:
        """End a grant for good from a day."""
        return await self._end(request.id, request.reason, request.effective_from, GrantStatus.TERMINATED)

    async def ListRecheckWorklist(
        self, request: pb.ListRecheckWorklistRequest, context: Context
    ) -> pb.ListRecheckWorklistResponse:
        """Open grants whose re-check is due (policy lead time included), soonest first."""
        principal = current_principal()
        query = rq.parse_worklist(principal, request)
        today = self._today()
        async with self._db.read() as session:
            rows, total, more = await grants.recheck_worklist(
                session,
                scopes=query.scopes,
                today=today,
                rules_by_programme=self._deps.policy.recheck_rules(today),
                after=query.after,
                limit=query.limit,
            )
            cursors = [paging.encode_page_token(g.recheck_due_on.isoformat(), g.id) for g in rows]
            return pb.ListRecheckWorklistResponse(
                grants=[grant_to_pb(g) for g in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def RecordRecheck(self, request: pb.RecordRecheckRequest, context: Context) -> pb.Grant:
        """A grant re-checked: it continues on a fresh assessment (next re-check moved on) or is
        suspended / terminated."""
        principal = current_principal()
        today = self._today()
        recheck = rq.parse_recheck(request, today=today)
        principal.require_role(*RECHECK_ROLES[recheck.outcome])
        async with self._db.unit_of_work() as session:
            grant = await rechecks.record_recheck(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                recheck=recheck,
                policy=self._deps.policy,
                book=self._deps.book,
                today=today,
                key=self._deps.key,
                now=self._clock(),
            )
            reply = grant_to_pb(grant)
        self._ctx.notify_outbox()
        return reply

    async def ListGrants(self, request: pb.ListGrantsRequest, context: Context) -> pb.ListGrantsResponse:
        """Every grant of one household in the caller's regions, newest first."""
        principal = current_principal()
        household_id = rq.parse_grants(request)
        async with self._db.read() as session:
            rows = await household_cases.household_grants(
                session, scopes=principal.regions, household_id=household_id
            )
            return pb.ListGrantsResponse(grants=[grant_to_pb(g) for g in rows])


def register(
    server: grpc.aio.Server,
    ctx: ServiceContext,
    *,
    clock: Clock,
    book: StandardsBook,
    policy: ApplicationPolicy,
    key: bytes,
) -> None:
    """Add the applications servicer to the relief server."""
    servicer = ApplicationServicer(ctx, clock=clock, deps=Deps(book=book, policy=policy, key=key))
    applications_pb2_grpc.add_ApplicationServiceServicer_to_server(servicer, server)
