"""The elders servicer: registry, capability assessments and home visits; no SQL, no policy here.

Who may do what: the write roles register and change elders and record assessments inside their
regions; village directors (the front line that visits) may also record visits; every role reads
inside its regions. ID numbers are shown in clear only to the roles that may see them
(``Principal.may_see_id_numbers``), and each clear read is audited in the same transaction as the read.
Replies are built inside the session (the read session's rollback expires loaded rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date

import grpc
from minzheng.eldercare.v1 import elders_pb2 as pb
from minzheng.eldercare.v1 import elders_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import batch_queries, elder_assessments, elder_visits, elders
from services.eldercare import elder_mapping as em
from services.eldercare import elder_requests as eq
from services.eldercare.batch_requests import parse_elder_batch
from services.eldercare.elder_rules import Clock, VisitPolicy
from services.eldercare.models import Elder
from services.kit import paging, visits
from services.kit.auth import WRITE_ROLES, Principal, Role
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.iddigest import digest_key
from services.kit.periods import china_today
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
VISIT_RECORDERS = (*WRITE_ROLES, Role.VILLAGE_DIRECTOR)
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ElderService"].full_name


class ElderServicer(elders_pb2_grpc.ElderServiceServicer):
    """minzheng.eldercare.v1.ElderService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    def _today(self) -> date:
        return china_today(self._clock())

    def _session(self, principal: Principal, *, write: bool) -> AbstractAsyncContextManager[AsyncSession]:
        """A writing session when the call writes or reveals ID numbers (a clear read is audited)."""
        return self._db.unit_of_work() if write or principal.may_see_id_numbers else self._db.read()

    async def _to_pb(
        self, session: AsyncSession, principal: Principal, found: Sequence[Elder]
    ) -> list[pb.Elder]:
        """The elders as the caller may see them, their contacts and visit status; clear reads audited."""
        reveal = principal.may_see_id_numbers
        today = self._today()
        if reveal:
            await elders.record_id_reads(session, actor=principal.subject, elders=found, now=self._clock())
        contacts = await elders.contacts_of(session, elder_ids=[e.id for e in found])
        return [
            em.elder_to_pb(
                e,
                contacts.get(e.id, []),
                elder_visits.visit_status(e, self._policy, today=today),
                reveal_id=reveal,
                today=today,
            )
            for e in found
        ]

    async def RegisterElder(self, request: pb.RegisterElderRequest, context: Context) -> pb.Elder:
        """Open an elder's file in a town or village inside the caller's regions."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        new = eq.parse_register(request, today=today)
        principal.require_region(new.region_code, what="an elder")
        async with self._session(principal, write=True) as session:
            made = await elders.register_elder(session, actor=principal.subject, new=new, now=self._clock())
            return (await self._to_pb(session, principal, [made]))[0]

    async def GetElder(self, request: pb.GetElderRequest, context: Context) -> pb.Elder:
        """One elder by id or ID number, inside the caller's regions."""
        principal = current_principal()
        elder_id, id_number = eq.parse_get(request)
        async with self._session(principal, write=False) as session:
            found = await elders.visible_elder(
                session, scopes=principal.regions, elder_id=elder_id, id_number=id_number
            )
            return (await self._to_pb(session, principal, [found]))[0]

    async def UpdateElder(self, request: pb.UpdateElderRequest, context: Context) -> pb.Elder:
        """Replace how the elder lives, phone, address and contacts (audited)."""
        principal = current_principal()
        principal.require_write()
        elder_id, living = eq.parse_update(request)
        async with self._session(principal, write=True) as session:
            changed = await elders.update_elder(
                session,
                actor=principal.subject,
                elder_id=elder_id,
                scopes=principal.regions,
                living=living,
                today=self._today(),
                now=self._clock(),
            )
            return (await self._to_pb(session, principal, [changed]))[0]

    async def ListElders(self, request: pb.ListEldersRequest, context: Context) -> pb.ListEldersResponse:
        """Elders in the caller's regions (or one inside them), filtered, by pages."""
        principal = current_principal()
        query = eq.parse_list(principal, request)
        where = elders.ElderFilter(
            vulnerable_only=query.vulnerable_only,
            overdue_only=query.overdue_only,
            overdue_before=elder_visits.overdue_before(self._policy, self._today()),
        )
        async with self._session(principal, write=False) as session:
            rows, total, more = await elders.list_elders(
                session, scopes=query.scopes, where=where, after=query.after, limit=query.limit
            )
            cursors = [paging.encode_page_token(e.region_code, e.id) for e in rows]
            token = cursors[-1] if more and cursors else ""
            return pb.ListEldersResponse(
                elders=await self._to_pb(session, principal, rows),
                page_info=paging.page_info(token, total),
                cursors=cursors,
            )

    async def RecordAssessment(
        self, request: pb.RecordAssessmentRequest, context: Context
    ) -> pb.CapabilityAssessment:
        """Record a capability assessment; the latest by date becomes the elder's level."""
        principal = current_principal()
        principal.require_write()
        new = eq.parse_assessment(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row, current = await elder_assessments.record_assessment(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                new=new,
                today=self._today(),
                now=self._clock(),
                digest_key=digest_key(self._ctx.settings),
            )
            reply = em.assessment_to_pb(row, current=current)
        self._ctx.notify_outbox()
        return reply

    async def ListAssessments(
        self, request: pb.ListAssessmentsRequest, context: Context
    ) -> pb.ListAssessmentsResponse:
        """An elder's assessments, newest first."""
        principal = current_principal()
        page = eq.parse_page_of(request.elder_id, request.page, dated=False)
        offset = int(page.after[0]) if page.after else 0
        async with self._db.read() as session:
            found = await elder_assessments.list_assessments(
                session, elder_id=page.elder_id, scopes=principal.regions, offset=offset, limit=page.limit
            )
            token = paging.encode_page_token(str(offset + page.limit), page.elder_id) if found.more else ""
            return pb.ListAssessmentsResponse(
                assessments=[em.assessment_to_pb(r, current=r.id == found.current_id) for r in found.rows],
                page_info=paging.page_info(token, found.total),
            )

    async def RecordElderVisit(self, request: pb.RecordElderVisitRequest, context: Context) -> pb.ElderVisit:
        """Record a home visit to an elder (write roles and village directors)."""
        principal = current_principal()
        principal.require_role(*VISIT_RECORDERS)
        new = eq.parse_visit(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row = await elder_visits.record_visit(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
            return em.visit_to_pb(row)

    async def ListElderVisits(
        self, request: pb.ListElderVisitsRequest, context: Context
    ) -> pb.ListElderVisitsResponse:
        """An elder's visits, newest first, by pages."""
        principal = current_principal()
        page = eq.parse_page_of(request.elder_id, request.page, dated=True)
        after = (date.fromisoformat(page.after[0]), page.after[1]) if page.after else None
        async with self._db.read() as session:
            rows, total, more = await elder_visits.list_visits(
                session, elder_id=page.elder_id, scopes=principal.regions, after=after, limit=page.limit
            )
            last = rows[-1] if more and rows else None
            token = paging.encode_page_token(last.visited_on.isoformat(), last.id) if last else ""
            return pb.ListElderVisitsResponse(
                visits=[em.visit_to_pb(r) for r in rows], page_info=paging.page_info(token, total)
            )

    async def BatchListAssessments(
        self, request: pb.BatchListAssessmentsRequest, context: Context
    ) -> pb.BatchListAssessmentsResponse:
        """Up to 100 elders' newest assessments in one call (elders outside the regions left out)."""
        principal = current_principal()
        batch = parse_elder_batch(request.elder_ids, request.per_elder)
        async with self._db.read() as session:
            shown = await batch_queries.visible_elders(session, scopes=principal.regions, ids=batch.ids)
            found = await batch_queries.first_assessments(
                session, elder_ids=[e.id for e in shown], limit=batch.per_elder
            )
            return pb.BatchListAssessmentsResponse(
                elders=[
                    pb.ElderAssessments(
                        elder_id=elder_id,
                        assessments=[em.assessment_to_pb(r, current=i == 0) for i, r in enumerate(rows.rows)],
                        total=rows.total,
                    )
                    for elder_id, rows in found.items()
                ]
            )

    async def BatchListElderVisits(
        self, request: pb.BatchListElderVisitsRequest, context: Context
    ) -> pb.BatchListElderVisitsResponse:
        """Up to 100 elders' newest home visits in one call (elders outside the regions left out)."""
        principal = current_principal()
        batch = parse_elder_batch(request.elder_ids, request.per_elder)
        async with self._db.read() as session:
            shown = await batch_queries.visible_elders(session, scopes=principal.regions, ids=batch.ids)
            found = await batch_queries.first_visits(
                session, elder_ids=[e.id for e in shown], limit=batch.per_elder
            )
            return pb.BatchListElderVisitsResponse(
                elders=[
                    pb.ElderVisits(
                        elder_id=elder_id, visits=[em.visit_to_pb(r) for r in rows.rows], total=rows.total
                    )
                    for elder_id, rows in found.items()
                ]
            )

    async def GetElderVisitCompliance(
        self, request: pb.GetElderVisitComplianceRequest, context: Context
    ) -> pb.ElderVisitCompliance:
        """Vulnerable elders and those overdue today, per village, with the on-time share."""
        principal = current_principal()
        scopes = eq.scope_of(principal, Collector(), request.region_code)
        async with self._db.read() as session:
            tallies = await elder_visits.village_tallies(
                session, scopes=scopes, policy=self._policy, today=self._today()
            )
        vulnerable = sum(t.vulnerable for t in tallies.values())
        overdue = sum(t.overdue for t in tallies.values())
        return pb.ElderVisitCompliance(
            villages=[
                pb.VillageVisitCompliance(
                    region_code=code,
                    vulnerable=t.vulnerable,
                    overdue=t.overdue,
                    rate=visits.compliance_rate(t.vulnerable - t.overdue, t.vulnerable),
                )
                for code, t in tallies.items()
            ],
            vulnerable=vulnerable,
            overdue=overdue,
            rate=visits.compliance_rate(vulnerable - overdue, vulnerable),
        )


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
    """Add the elders servicer to the eldercare server."""
    elders_pb2_grpc.add_ElderServiceServicer_to_server(ElderServicer(ctx, clock=clock, policy=policy), server)
