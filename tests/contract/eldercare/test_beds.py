"""Beds: adding, assigning, releasing, listing and occupancy."""

from __future__ import annotations

import asyncio
from datetime import date

import grpc
import pytest
from minzheng.eldercare.v1 import eldercare_pb2 as pb

from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    TOWN,
    Eldercare,
    add_beds,
    assign,
    beds_of,
    elder_id,
    invalid_id,
    md,
    occupancy,
    register,
    release,
    rpc_error,
    violated_fields,
    written,
)


async def test_added_beds_are_vacant_numbered_and_carry_the_institutions_region(eldercare: Eldercare) -> None:
    inst = await register(eldercare, region=f"{TOWN}001")
    first = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_NURSING, count=3)
    more = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_NURSING, count=2)
    ward = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_DEMENTIA_CARE, count=1, prefix="东区")
    assert [b.label for b in first + more] == ["NUR-001", "NUR-002", "NUR-003", "NUR-004", "NUR-005"]
    assert [b.label for b in ward] == ["东区-001"]
    for bed in first + more + ward:
        assert bed.status == pb.BED_STATUS_VACANT
        assert bed.region_code == f"{TOWN}001" and bed.institution_id == inst.id
        assert bed.occupant_id_number == "" and not bed.HasField("assigned_at")
    assert len(await beds_of(eldercare, inst.id)) == 6


@pytest.mark.parametrize("count", [0, -1, 501])
async def test_a_bed_count_outside_1_to_500_is_invalid_argument_naming_count(
    eldercare: Eldercare, count: int
) -> None:
    inst = await register(eldercare)
    before = await written(eldercare)
    err = await rpc_error(add_beds(eldercare, inst.id, count=count))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"count"}
    assert await written(eldercare) == before
    assert before["bed"] == 0


async def test_bad_bed_input_names_every_bad_field(eldercare: Eldercare) -> None:
    err = await rpc_error(
        eldercare.stub.AddBeds(
            pb.AddBedsRequest(institution_id="", type=0, count=0, label_prefix="a b"), metadata=md(ADMIN)
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"institution_id", "type", "count", "label_prefix"}


async def test_beds_for_an_unknown_institution_are_not_found(eldercare: Eldercare) -> None:
    err = await rpc_error(add_beds(eldercare, "no-such-institution"))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_assigning_a_vacant_bed_records_the_elder(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    elder = elder_id(101)
    got = await assign(eldercare, bed.id, elder, name="李桂英")
    assert got.status == pb.BED_STATUS_OCCUPIED
    assert got.occupant_id_number == elder and got.occupant_name == "李桂英"
    assert got.HasField("assigned_at")
    assert (await beds_of(eldercare, inst.id))[bed.id] == got


async def test_an_occupied_bed_cannot_be_assigned_and_nothing_is_written(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    bed, spare = await add_beds(eldercare, inst.id, count=2)
    first, second = elder_id(201), elder_id(203)
    await assign(eldercare, bed.id, first)
    before = await occupancy(eldercare)
    rows = await written(eldercare)
    err = await rpc_error(assign(eldercare, bed.id, second, name="张建国"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    # No stay, no audit row, no event staged; only the first assignment's.
    assert await written(eldercare) == rows
    assert (rows["bed_assignment"], rows["outbox"]) == (1, 1)
    beds = await beds_of(eldercare, inst.id)
    assert beds[bed.id].occupant_id_number == first and beds[bed.id].occupant_name == "王秀英"
    assert beds[spare.id].status == pb.BED_STATUS_VACANT
    assert await occupancy(eldercare) == before
    # The refused elder holds no bed: they can take the spare one.
    assert (await assign(eldercare, spare.id, second)).occupant_id_number == second


async def test_an_elder_who_already_holds_a_bed_cannot_take_another(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    other = await register(eldercare, name="北干颐乐园", region=OTHER_TOWN)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    (elsewhere,) = await add_beds(eldercare, other.id, count=1)
    elder = elder_id(301)
    await assign(eldercare, bed.id, elder)
    before = await written(eldercare)
    err = await rpc_error(assign(eldercare, elsewhere.id, elder))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await written(eldercare) == before
    assert (await beds_of(eldercare, other.id))[elsewhere.id].status == pb.BED_STATUS_VACANT


async def test_an_invalid_id_number_is_invalid_argument_naming_it_and_nothing_is_written(
    eldercare: Eldercare,
) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    before = await written(eldercare)
    for bad in [invalid_id(), "33010919410308", "3301091941030810AB", ""]:
        err = await rpc_error(assign(eldercare, bed.id, bad))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert violated_fields(err) == {"elder_id_number"}
        if bad:
            assert bad not in (err.details() or "")  # the message never echoes a submitted number
    assert await written(eldercare) == before
    assert (await beds_of(eldercare, inst.id))[bed.id].status == pb.BED_STATUS_VACANT
    assert (await occupancy(eldercare)).occupied == 0


async def test_a_birth_date_in_the_future_is_an_invalid_id_number(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    err = await rpc_error(assign(eldercare, bed.id, elder_id(5, born=date(2099, 1, 1))))
    assert violated_fields(err) == {"elder_id_number"}


async def test_every_bad_assignment_field_is_named_at_once(eldercare: Eldercare) -> None:
    err = await rpc_error(
        eldercare.stub.AssignBed(
            pb.AssignBedRequest(bed_id="", elder_id_number=invalid_id(), elder_name=""), metadata=md(ADMIN)
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"bed_id", "elder_id_number", "elder_name"}


async def test_an_unknown_bed_is_not_found_and_nothing_is_written(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    await add_beds(eldercare, inst.id, count=1)
    before = await written(eldercare)
    err = await rpc_error(assign(eldercare, "no-such-bed", elder_id(7)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(release(eldercare, "no-such-bed"))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert await written(eldercare) == before


async def test_a_released_bed_is_vacant_and_the_elder_may_take_a_bed_again(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    bed, other = await add_beds(eldercare, inst.id, count=2)
    elder = elder_id(401)
    await assign(eldercare, bed.id, elder)
    freed = await release(eldercare, bed.id, reason="transferred")
    assert freed.status == pb.BED_STATUS_VACANT
    assert freed.occupant_id_number == "" and freed.occupant_name == "" and not freed.HasField("assigned_at")
    again = await rpc_error(release(eldercare, bed.id))
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert (await assign(eldercare, other.id, elder)).status == pb.BED_STATUS_OCCUPIED
    assert (await assign(eldercare, bed.id, elder_id(403))).status == pb.BED_STATUS_OCCUPIED


async def test_occupancy_counts_beds_by_type_in_the_region(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    far = await register(eldercare, name="北干颐乐园", region=OTHER_TOWN)
    nursing = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_NURSING, count=4)
    await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_FAMILY_CARE, count=2)
    general = await add_beds(eldercare, far.id, bed_type=pb.BED_TYPE_GENERAL, count=2)
    await assign(eldercare, nursing[0].id, elder_id(501))
    await assign(eldercare, nursing[1].id, elder_id(503))
    await assign(eldercare, general[0].id, elder_id(505))

    district = await occupancy(eldercare)
    assert (district.total, district.occupied) == (8, 3)
    assert district.rate == pytest.approx(3 / 8)
    by_type = {t.type: (t.total, t.occupied) for t in district.by_type}
    assert by_type == {
        pb.BED_TYPE_GENERAL: (2, 1),
        pb.BED_TYPE_NURSING: (4, 2),
        pb.BED_TYPE_DEMENTIA_CARE: (0, 0),
        pb.BED_TYPE_FAMILY_CARE: (2, 0),
    }
    town = await occupancy(eldercare, TOWN)
    assert (town.region_code, town.total, town.occupied) == (TOWN, 6, 2)
    assert town.rate == pytest.approx(2 / 6)
    empty = await occupancy(eldercare, "330109100")
    assert (empty.total, empty.occupied, empty.rate) == (0, 0, 0.0)


async def test_list_beds_takes_many_institutions_and_filters_by_status_and_type(eldercare: Eldercare) -> None:
    a = await register(eldercare, name="甲")
    b = await register(eldercare, name="乙", region=OTHER_TOWN)
    a_beds = await add_beds(eldercare, a.id, bed_type=pb.BED_TYPE_NURSING, count=2)
    await add_beds(eldercare, b.id, bed_type=pb.BED_TYPE_GENERAL, count=3)
    await assign(eldercare, a_beds[0].id, elder_id(601))

    both = await beds_of(eldercare, a.id, b.id, "unknown-institution")
    assert len(both) == 5
    occupied = await eldercare.stub.ListBeds(
        pb.ListBedsRequest(institution_ids=[a.id, b.id], status=pb.BED_STATUS_OCCUPIED), metadata=md(ADMIN)
    )
    assert [bed.id for bed in occupied.beds] == [a_beds[0].id]
    general = await eldercare.stub.ListBeds(
        pb.ListBedsRequest(institution_ids=[a.id, b.id], type=pb.BED_TYPE_GENERAL), metadata=md(ADMIN)
    )
    assert {bed.institution_id for bed in general.beds} == {b.id} and len(general.beds) == 3


async def test_list_beds_accepts_500_institutions_and_refuses_more(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    await add_beds(eldercare, inst.id, count=1)
    ids = [inst.id] + [f"missing-{i}" for i in range(499)]
    assert len(await beds_of(eldercare, *ids)) == 1
    err = await rpc_error(beds_of(eldercare, *ids, "one-too-many"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"institution_ids"}
    none = await rpc_error(beds_of(eldercare))
    assert violated_fields(none) == {"institution_ids"}


async def test_two_concurrent_assignments_of_one_bed_have_exactly_one_winner(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    elders = [elder_id(701), elder_id(703)]
    results = await asyncio.gather(*(assign(eldercare, bed.id, e) for e in elders), return_exceptions=True)
    winners = [r for r in results if isinstance(r, pb.Bed)]
    losers = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code() == grpc.StatusCode.FAILED_PRECONDITION
    assert (await beds_of(eldercare, inst.id))[bed.id].occupant_id_number == winners[0].occupant_id_number
    assert (await occupancy(eldercare)).occupied == 1


async def test_one_elder_assigned_to_two_beds_at_once_gets_exactly_one(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    beds = await add_beds(eldercare, inst.id, count=2)
    elder = elder_id(801)
    results = await asyncio.gather(*(assign(eldercare, b.id, elder) for b in beds), return_exceptions=True)
    winners = [r for r in results if isinstance(r, pb.Bed)]
    losers = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code() == grpc.StatusCode.FAILED_PRECONDITION
    assert (await occupancy(eldercare)).occupied == 1
