"""Family-care beds (家庭养老照护床位) and the services attached to them, through FamilyCareService.

Bed ids are the global ``Bed`` ids of ``beds(...)``/``addBeds``; the service checks the bed's type and
region, the gateway only reshapes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from minzheng.eldercare.v1 import family_care_pb2 as pb
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.schema.common import day, node_id, timestamp


@strawberry.enum(description="What is delivered in the elder's home, and by which department.")
class FamilyCareServiceKind(Enum):
    HOME_CARE = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_HOME_CARE, description="居家养老上门服务 (民政)"
    )
    SAFETY_MONITORING = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_SAFETY_MONITORING, description="安居守护 (民政)"
    )
    AGE_FRIENDLY_RENOVATION = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_AGE_FRIENDLY_RENOVATION, description="适老化改造 (民政)"
    )
    MEAL_DELIVERY = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_MEAL_DELIVERY, description="助餐配送 (民政)"
    )
    RESPITE_CARE = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_RESPITE_CARE, description="喘息服务 (民政)"
    )
    HOME_HOSPITAL_BED = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_HOME_HOSPITAL_BED, description="家庭病床 (卫健)"
    )
    HOME_REHABILITATION = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_HOME_REHABILITATION, description="居家康复护理 (卫健)"
    )
    DISABILITY_REHABILITATION = strawberry.enum_value(
        pb.FAMILY_CARE_SERVICE_KIND_DISABILITY_REHABILITATION,
        description="无障碍改造 / 残疾人社区康复 (残联)",
    )


@strawberry.enum(description="The period a service's `times` counts in.")
class ServicePeriod(Enum):
    WEEK = pb.SERVICE_PERIOD_WEEK
    MONTH = pb.SERVICE_PERIOD_MONTH
    ONCE = strawberry.enum_value(pb.SERVICE_PERIOD_ONCE, description="A one-off service (times = 1).")


@strawberry.type(description="A service attached to a family-care bed; endedOn set once it stops.")
class FamilyCareService:
    id: strawberry.ID
    bed_id: strawberry.ID
    region_code: str
    kind: FamilyCareServiceKind
    department: str = strawberry.field(
        description='"civil_affairs" (民政), "health" (卫健) or "disabled_persons_federation" (残联).'
    )
    provider: str
    times: int
    period: ServicePeriod
    started_on: date
    ended_on: date | None
    end_reason: str | None
    created_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.FamilyCareServiceItem) -> FamilyCareService:
        started = day(m.started_on)
        assert started is not None  # the service always sends it
        return cls(
            id=strawberry.ID(to_base64("FamilyCareService", m.id)),
            bed_id=strawberry.ID(to_base64("Bed", m.bed_id)),
            region_code=m.region_code,
            kind=FamilyCareServiceKind(m.kind),
            department=m.department,
            provider=m.provider,
            times=m.times,
            period=ServicePeriod(m.period),
            started_on=started,
            ended_on=day(m.ended_on),
            end_reason=m.end_reason or None,
            created_at=timestamp(m, "created_at"),
        )


@strawberry.input(description="A service attached to a family-care bed.")
class AttachFamilyCareServiceInput:
    bed_id: strawberry.ID = strawberry.field(description="A bed of type FAMILY_CARE.")
    kind: FamilyCareServiceKind
    provider: str
    times: int = strawberry.field(description="1-7 a week, 1-31 a month, 1 for ONCE.")
    period: ServicePeriod
    started_on: date | None = strawberry.field(default=None, description="Default today.")


@strawberry.input(description="A running service stopped.")
class EndFamilyCareServiceInput:
    service_id: strawberry.ID
    ended_on: date | None = strawberry.field(default=None, description="Default today.")
    reason: str | None = None


@strawberry.type
class FamilyCareQuery:
    @strawberry.field(description="The services attached to up to 100 family-care beds in your regions.")
    async def family_care_services(
        self, info: Info, bed_ids: list[strawberry.ID], include_ended: bool = False
    ) -> list[FamilyCareService]:
        ctx = info.context
        ids = [node_id(b, "Bed", f"bedIds[{i}]") for i, b in enumerate(bed_ids)]
        request = pb.ListFamilyCareServicesRequest(bed_ids=ids, include_ended=include_ended)
        reply = await ctx.call(ctx.clients.family_care.ListFamilyCareServices, request)
        return [FamilyCareService.from_pb(s) for s in reply.services]


@strawberry.type
class FamilyCareMutation:
    @strawberry.mutation(description="Attach a service to a family-care bed (one running service per kind).")
    async def attach_family_care_service(
        self, info: Info, input: AttachFamilyCareServiceInput
    ) -> FamilyCareService:
        ctx = info.context
        request = pb.AttachFamilyCareServiceRequest(
            bed_id=node_id(input.bed_id, "Bed", "bedId"),
            kind=input.kind.value,
            provider=input.provider,
            times=input.times,
            period=input.period.value,
            started_on=input.started_on.isoformat() if input.started_on else "",
        )
        return FamilyCareService.from_pb(
            await ctx.call(ctx.clients.family_care.AttachFamilyCareService, request)
        )

    @strawberry.mutation(description="Stop a service attached to a family-care bed.")
    async def end_family_care_service(
        self, info: Info, input: EndFamilyCareServiceInput
    ) -> FamilyCareService:
        ctx = info.context
        request = pb.EndFamilyCareServiceRequest(
            service_id=node_id(input.service_id, "FamilyCareService", "serviceId"),
            ended_on=input.ended_on.isoformat() if input.ended_on else "",
            reason=input.reason or "",
        )
        return FamilyCareService.from_pb(
            await ctx.call(ctx.clients.family_care.EndFamilyCareService, request)
        )
