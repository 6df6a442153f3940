"""Services attached to family-care beds over the real gRPC socket, on both backends."""

from __future__ import annotations

import grpc
from minzheng.eldercare.v1 import eldercare_pb2 as epb
from minzheng.eldercare.v1 import family_care_pb2 as pb
from minzheng.eldercare.v1.family_care_pb2_grpc import FamilyCareServiceStub

from tests.contract.eldercare.community_support import Community, community
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN_OFFICER,
    TOWN_OFFICER,
    VIEWER,
    elder_id,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
K = pb.FamilyCareServiceKind
TABLES = ("family_care_service",)


def stub(svc: Community) -> FamilyCareServiceStub:
    return FamilyCareServiceStub(svc.channel)


async def bed(svc: Community, bed_type: epb.BedType.ValueType = epb.BED_TYPE_FAMILY_CARE) -> str:
    """A new bed of the type in an institution of 城厢街道; its id."""
    home = await svc.add_institution(name=f"颐养院-{bed_type}")
    reply = await svc.eldercare.AddBeds(
        epb.AddBedsRequest(institution_id=home, type=bed_type, count=1), metadata=md(ADMIN)
    )
    return reply.beds[0].id


async def attach(
    svc: Community,
    bed_id: str,
    kind: pb.FamilyCareServiceKind.ValueType = K.FAMILY_CARE_SERVICE_KIND_HOME_CARE,
    *,
    times: int = 2,
    period: pb.ServicePeriod.ValueType = pb.SERVICE_PERIOD_WEEK,
    started_on: str = "2025-06-01",
    token: str = ADMIN,
) -> pb.FamilyCareServiceItem:
    return await stub(svc).AttachFamilyCareService(
        pb.AttachFamilyCareServiceRequest(
            bed_id=bed_id,
            kind=kind,
            provider="萧山区康护到家服务中心",
            times=times,
            period=period,
            started_on=started_on,
        ),
        metadata=md(token),
    )


async def listed(
    svc: Community, *bed_ids: str, include_ended: bool = False
) -> list[pb.FamilyCareServiceItem]:
    reply = await stub(svc).ListFamilyCareServices(
        pb.ListFamilyCareServicesRequest(bed_ids=list(bed_ids), include_ended=include_ended),
        metadata=md(VIEWER),
    )
    return list(reply.services)


async def test_services_from_several_departments_attach_to_a_family_care_bed(community: Community) -> None:
    home_bed = await bed(community)
    care = await attach(community, home_bed, token=TOWN_OFFICER)
    nursing = await attach(
        community,
        home_bed,
        K.FAMILY_CARE_SERVICE_KIND_HOME_HOSPITAL_BED,
        times=4,
        period=pb.SERVICE_PERIOD_MONTH,
    )
    await attach(
        community,
        home_bed,
        K.FAMILY_CARE_SERVICE_KIND_AGE_FRIENDLY_RENOVATION,
        times=1,
        period=pb.SERVICE_PERIOD_ONCE,
    )
    assert (care.region_code, care.department, care.times, care.period) == (
        "330109001",
        "civil_affairs",
        2,
        pb.SERVICE_PERIOD_WEEK,
    )
    assert (care.started_on, care.ended_on) == ("2025-06-01", "")
    assert nursing.department == "health"
    got = await listed(community, home_bed)
    assert len(got) == 3
    assert {s.kind for s in got} == {
        K.FAMILY_CARE_SERVICE_KIND_HOME_CARE,
        K.FAMILY_CARE_SERVICE_KIND_HOME_HOSPITAL_BED,
        K.FAMILY_CARE_SERVICE_KIND_AGE_FRIENDLY_RENOVATION,
    }
    assert await community.count("audit_log") >= 3


async def test_one_running_service_of_a_kind_per_bed_and_history_after_it_ends(community: Community) -> None:
    home_bed = await bed(community)
    first = await attach(community, home_bed)
    before = await community.counts(*TABLES)
    error = await rpc_error(attach(community, home_bed))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await community.counts(*TABLES) == before

    ended = await stub(community).EndFamilyCareService(
        pb.EndFamilyCareServiceRequest(service_id=first.id, ended_on="2025-06-10", reason="provider changed"),
        metadata=md(ADMIN),
    )
    assert (ended.ended_on, ended.end_reason) == ("2025-06-10", "provider changed")
    second = await attach(community, home_bed, times=3, started_on="2025-06-11")
    assert [s.id for s in await listed(community, home_bed)] == [second.id]
    assert {s.id for s in await listed(community, home_bed, include_ended=True)} == {first.id, second.id}

    error = await rpc_error(
        stub(community).EndFamilyCareService(
            pb.EndFamilyCareServiceRequest(service_id=first.id), metadata=md(ADMIN)
        )
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    error = await rpc_error(
        stub(community).EndFamilyCareService(
            pb.EndFamilyCareServiceRequest(service_id=second.id, ended_on="2025-06-01"), metadata=md(ADMIN)
        )
    )
    assert violated_fields(error) == {"ended_on"}


async def test_only_family_care_beds_in_the_callers_regions_take_services(community: Community) -> None:
    nursing_bed = await bed(community, epb.BED_TYPE_NURSING)
    home_bed = await bed(community)
    before = await community.counts(*TABLES)
    error = await rpc_error(attach(community, nursing_bed))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    error = await rpc_error(attach(community, "no-such-bed"))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(attach(community, home_bed, token=OTHER_TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(attach(community, home_bed, token=VIEWER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await community.counts(*TABLES) == before
    await attach(community, home_bed)
    reply = await stub(community).ListFamilyCareServices(
        pb.ListFamilyCareServicesRequest(bed_ids=[home_bed]), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert list(reply.services) == []


async def test_bad_input_names_every_bad_field_and_writes_nothing(community: Community) -> None:
    before = await community.counts(*TABLES)
    error = await rpc_error(
        stub(community).AttachFamilyCareService(
            pb.AttachFamilyCareServiceRequest(times=0, started_on="2099-01-01"), metadata=md(ADMIN)
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == {"bed_id", "kind", "provider", "period", "started_on"}
    assert await community.counts(*TABLES) == before
    home_bed = await bed(community)
    before = await community.counts(*TABLES)
    for times, period in [
        (2, pb.SERVICE_PERIOD_ONCE),
        (8, pb.SERVICE_PERIOD_WEEK),
        (32, pb.SERVICE_PERIOD_MONTH),
    ]:
        error = await rpc_error(attach(community, home_bed, times=times, period=period))
        assert violated_fields(error) == {"times"}
    assert await community.counts(*TABLES) == before
    error = await rpc_error(
        stub(community).ListFamilyCareServices(pb.ListFamilyCareServicesRequest(), metadata=md(ADMIN))
    )
    assert violated_fields(error) == {"bed_ids"}


async def test_releasing_the_bed_ends_its_running_services(community: Community) -> None:
    home_bed = await bed(community)
    await community.eldercare.AssignBed(
        epb.AssignBedRequest(bed_id=home_bed, elder_id_number=elder_id(881), elder_name="王阿婆"),
        metadata=md(ADMIN),
    )
    care = await attach(community, home_bed)
    await community.eldercare.ReleaseBed(
        epb.ReleaseBedRequest(bed_id=home_bed, reason="moved to a nursing home"), metadata=md(ADMIN)
    )
    assert await listed(community, home_bed) == []  # nothing runs for nobody
    [ended] = await listed(community, home_bed, include_ended=True)
    assert ended.id == care.id and ended.ended_on >= "2025-06-01"
    assert ended.end_reason == "bed released: moved to a nursing home"
