"""The family-care servicer: services attached to family-care beds; requests parsed here, no SQL.

Write roles attach and end services inside their regions; everyone reads inside theirs.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import family_care_pb2 as pb
from minzheng.eldercare.v1 import family_care_pb2_grpc

from services.eldercare import family_care
from services.eldercare import family_care_rules as fr
from services.eldercare.community_requests import Clock, check_text, china_today, day, past_day, required
from services.eldercare.family_care import NewService
from services.eldercare.models import FamilyCareService
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.protoconv import timestamp
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["FamilyCareService"].full_name

KIND_TO_PB: dict[fr.ServiceKind, pb.FamilyCareServiceKind.ValueType] = {
    k: pb.FamilyCareServiceKind.Value(f"FAMILY_CARE_SERVICE_KIND_{k.name}") for k in fr.ServiceKind
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
PERIOD_TO_PB: dict[fr.ServicePeriod, pb.ServicePeriod.ValueType] = {
    p: pb.ServicePeriod.Value(f"SERVICE_PERIOD_{p.name}") for p in fr.ServicePeriod
}
PERIOD_FROM_PB = {v: k for k, v in PERIOD_TO_PB.items()}


def service_to_pb(row: FamilyCareService) -> pb.FamilyCareServiceItem:
    """The wire form of an attached service."""
    kind = fr.ServiceKind(row.kind)
    return pb.FamilyCareServiceItem(
        id=row.id,
        bed_id=row.bed_id,
        region_code=row.region_code,
        kind=KIND_TO_PB[kind],
        department=fr.DEPARTMENT[kind].value,
        provider=row.provider,
        times=row.times,
        period=PERIOD_TO_PB[fr.ServicePeriod(row.period)],
        started_on=day(row.started_on),
        ended_on=day(row.ended_on),
        end_reason=row.end_reason,
        created_at=timestamp(row.created_at),
    )


def parse_attach(request: pb.AttachFamilyCareServiceRequest, *, today: date) -> NewService:
    """A bed, a known kind, a provider, a frequency and a start day; every bad field named."""
    errors = Collector()
    required(errors, "bed_id", request.bed_id)
    kind = KIND_FROM_PB.get(request.kind)
    errors.check(kind is not None, "kind", "must be a known service kind")
    provider = request.provider.strip()
    check_text(errors, "provider", provider, max_length=fr.MAX_PROVIDER_LENGTH, required=True)
    period = PERIOD_FROM_PB.get(request.period)
    errors.check(period is not None, "period", "must be WEEK, MONTH or ONCE")
    fr.check_frequency(errors, times=request.times, period=period)
    started_on = past_day(errors, "started_on", request.started_on, today=today)
    errors.raise_if_any()
    assert kind is not None and period is not None and started_on is not None
    return NewService(request.bed_id.strip(), kind, provider, request.times, period, started_on)


class FamilyCareServicer(family_care_pb2_grpc.FamilyCareServiceServicer):
    """minzheng.eldercare.v1.FamilyCareService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    async def AttachFamilyCareService(
        self, request: pb.AttachFamilyCareServiceRequest, context: Context
    ) -> pb.FamilyCareServiceItem:
        """Attach a service to a family-care bed in the caller's regions."""
        principal = current_principal()
        principal.require_write()
        new = parse_attach(request, today=china_today(self._clock()))
        async with self._db.unit_of_work() as session:
            row = await family_care.attach(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return service_to_pb(row)

    async def EndFamilyCareService(
        self, request: pb.EndFamilyCareServiceRequest, context: Context
    ) -> pb.FamilyCareServiceItem:
        """Stop a running service."""
        principal = current_principal()
        principal.require_write()
        errors = Collector()
        required(errors, "service_id", request.service_id)
        ended_on = past_day(errors, "ended_on", request.ended_on, today=china_today(self._clock()))
        reason = request.reason.strip()
        check_text(errors, "reason", reason, max_length=fr.MAX_REASON_LENGTH, required=False)
        errors.raise_if_any()
        assert ended_on is not None
        async with self._db.unit_of_work() as session:
            row = await family_care.end(
                session,
                actor=principal.subject,
                service_id=request.service_id.strip(),
                ended_on=ended_on,
                reason=reason,
                scopes=principal.regions,
                now=self._clock(),
            )
            return service_to_pb(row)

    async def ListFamilyCareServices(
        self, request: pb.ListFamilyCareServicesRequest, context: Context
    ) -> pb.ListFamilyCareServicesResponse:
        """The services of some beds in the caller's regions."""
        principal = current_principal()
        errors = Collector()
        bed_ids = list(dict.fromkeys(b.strip() for b in request.bed_ids))
        errors.check(
            0 < len(bed_ids) <= fr.MAX_BEDS_LISTED and all(bed_ids),
            "bed_ids",
            f"must name 1 to {fr.MAX_BEDS_LISTED} beds",
        )
        errors.raise_if_any()
        async with self._db.read() as session:
            rows = await family_care.list_for_beds(
                session, bed_ids=bed_ids, include_ended=request.include_ended, scopes=principal.regions
            )
            return pb.ListFamilyCareServicesResponse(services=[service_to_pb(r) for r in rows])


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the family-care servicer to the eldercare server."""
    family_care_pb2_grpc.add_FamilyCareServiceServicer_to_server(FamilyCareServicer(ctx, clock=clock), server)
