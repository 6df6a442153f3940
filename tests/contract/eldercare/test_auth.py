"""Who may call what: tokens, roles, region scoping, masking and audit, and the open endpoints."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from sqlmodel import col, select

from services.eldercare.spec import GRPC_SERVICE_NAME
from services.kit.audit import AuditLog
from services.kit.auth import Role, TokenCodec
from services.kit.idcard import mask_id_number
from tests.contract.eldercare.conftest import (
    ADMIN,
    CODEC,
    DISTRICT,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    Eldercare,
    add_beds,
    assign,
    beds_of,
    elder_id,
    md,
    occupancy,
    register,
    release,
    rpc_error,
    written,
)


async def _audit_log(svc: Eldercare, action: str | None = None) -> list[dict[str, object]]:
    """The audit log as an auditor would read it, oldest first."""
    assert svc.process.ctx is not None
    stmt = select(AuditLog).order_by(col(AuditLog.id))
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    async with svc.process.ctx.db.read() as session:
        return [row.model_dump() for row in (await session.exec(stmt)).all()]


@pytest.mark.parametrize(
    "metadata",
    [
        (),
        (("authorization", "Bearer not-a-jwt"),),
        (("authorization", "Basic dXNlcjpwdw=="),),
        md(TokenCodec("some-other-secret-0123456789abcdef0").mint("x", roles=["admin"], regions=[DISTRICT])),
        md(CODEC.mint("x", roles=["admin"], regions=[DISTRICT], ttl_s=-60)),
    ],
    ids=["no token", "garbage", "not bearer", "wrong key", "expired"],
)
async def test_calls_without_a_valid_token_are_unauthenticated_and_write_nothing(
    eldercare: Eldercare, metadata: tuple[tuple[str, str], ...]
) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    before = await written(eldercare)
    for call in (
        eldercare.stub.ListInstitutions(pb.ListInstitutionsRequest(), metadata=metadata),
        eldercare.stub.RegisterInstitution(
            pb.RegisterInstitutionRequest(name="x", kind=1, region_code=TOWN), metadata=metadata
        ),
        eldercare.stub.AddBeds(
            pb.AddBedsRequest(institution_id=inst.id, type=pb.BED_TYPE_GENERAL, count=1), metadata=metadata
        ),
        eldercare.stub.AssignBed(
            pb.AssignBedRequest(bed_id=bed.id, elder_id_number=elder_id(1), elder_name="王秀英"),
            metadata=metadata,
        ),
    ):
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    assert await written(eldercare) == before


async def test_a_viewer_may_read_but_not_write(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    assert (await occupancy(eldercare, token=VIEWER)).total == 1
    taken = await add_beds(eldercare, inst.id, count=1)
    await assign(eldercare, taken[0].id, elder_id(13))
    before = await written(eldercare)
    for call in (
        register(eldercare, name="viewer's", token=VIEWER),
        add_beds(eldercare, inst.id, token=VIEWER),
        assign(eldercare, bed.id, elder_id(11), token=VIEWER),
        release(eldercare, taken[0].id, token=VIEWER),
    ):
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await written(eldercare) == before
    assert before["listed institutions"] == before["institution"] == 1
    assert before["bed_assignment"] == 1


async def test_a_town_officer_cannot_touch_another_towns_beds(eldercare: Eldercare) -> None:
    inst = await register(eldercare, region=TOWN)
    vacant, taken = await add_beds(eldercare, inst.id, count=2)
    await assign(eldercare, taken.id, elder_id(21))
    before = await written(eldercare)
    for call in (
        assign(eldercare, vacant.id, elder_id(23), token=OTHER_TOWN_OFFICER),
        release(eldercare, taken.id, token=OTHER_TOWN_OFFICER),
        add_beds(eldercare, inst.id, token=OTHER_TOWN_OFFICER),
    ):
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.NOT_FOUND  # as if it did not exist: nothing leaks
    assert await written(eldercare) == before
    assert await beds_of(eldercare, inst.id, token=OTHER_TOWN_OFFICER) == {}
    assert (await occupancy(eldercare, token=OTHER_TOWN_OFFICER)).total == 0
    err = await rpc_error(occupancy(eldercare, TOWN, token=OTHER_TOWN_OFFICER))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    beds = await beds_of(eldercare, inst.id)
    assert beds[vacant.id].status == pb.BED_STATUS_VACANT and beds[taken.id].status == pb.BED_STATUS_OCCUPIED


async def test_a_town_officer_manages_beds_in_their_own_town(eldercare: Eldercare) -> None:
    inst = await register(eldercare, region=f"{TOWN}001", token=TOWN_OFFICER)
    (bed,) = await add_beds(eldercare, inst.id, count=1, token=TOWN_OFFICER)
    elder = elder_id(31)
    assert (await assign(eldercare, bed.id, elder, token=TOWN_OFFICER)).occupant_id_number == elder
    assert (await release(eldercare, bed.id, token=TOWN_OFFICER)).status == pb.BED_STATUS_VACANT


async def test_occupant_id_numbers_are_masked_for_roles_that_may_not_see_them(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    elder = elder_id(41)
    await assign(eldercare, bed.id, elder)
    hotline = CODEC.mint("operator", roles=[Role.HOTLINE], regions=[DISTRICT])
    for token in (VIEWER, hotline):
        shown = (await beds_of(eldercare, inst.id, token=token))[bed.id]
        assert shown.occupant_id_number == mask_id_number(elder) == elder[:6] + "********" + elder[-4:]
        assert shown.occupant_name == "王秀英"
    assert (await beds_of(eldercare, inst.id, token=ADMIN))[bed.id].occupant_id_number == elder
    assert (await beds_of(eldercare, inst.id, token=TOWN_OFFICER))[bed.id].occupant_id_number == elder


async def test_every_read_of_an_id_number_in_clear_is_audited_and_masked_reads_are_not(
    eldercare: Eldercare,
) -> None:
    inst = await register(eldercare)
    first, second, _vacant = await add_beds(eldercare, inst.id, count=3)
    await assign(eldercare, first.id, elder_id(51))
    await assign(eldercare, second.id, elder_id(53))
    await beds_of(eldercare, inst.id, token=VIEWER)
    assert await _audit_log(eldercare, "bed.read-id-number") == []
    await beds_of(eldercare, inst.id, token=ADMIN)
    rows = await _audit_log(eldercare, "bed.read-id-number")
    assert {r["target"] for r in rows} == {first.id, second.id}
    assert all(r["actor"] == "district-admin" and r["region_code"] == TOWN for r in rows)
    assert all(elder_id(51) not in str(r["detail"]) and elder_id(53) not in str(r["detail"]) for r in rows)


async def test_writes_are_audited_with_who_and_where(eldercare: Eldercare) -> None:
    inst = await register(eldercare, token=TOWN_OFFICER)
    (bed,) = await add_beds(eldercare, inst.id, count=1, token=TOWN_OFFICER)
    await assign(eldercare, bed.id, elder_id(61), token=TOWN_OFFICER)
    await release(eldercare, bed.id, token=TOWN_OFFICER)
    rows = await _audit_log(eldercare)
    assert [r["action"] for r in rows] == ["institution.register", "beds.add", "bed.assign", "bed.release"]
    assert {r["actor"] for r in rows} == {"chengxiang-officer"} and {r["region_code"] for r in rows} == {TOWN}
    assert all(elder_id(61) not in str(r["detail"]) for r in rows)


async def test_health_answers_serving_without_a_token(eldercare: Eldercare) -> None:
    stub = health_pb2_grpc.HealthStub(eldercare.channel)
    for name in ("", GRPC_SERVICE_NAME):
        reply = await stub.Check(health_pb2.HealthCheckRequest(service=name))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_the_eldercare_service_without_a_token(eldercare: Eldercare) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(eldercare.channel)
    call = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = set()
    async for reply in call:
        names |= {s.name for s in reply.list_services_response.service}
    assert GRPC_SERVICE_NAME == "minzheng.eldercare.v1.EldercareService"
    assert GRPC_SERVICE_NAME in names and "grpc.health.v1.Health" in names
