"""The three-tier network: supervisors and directors, reassignment, villages without a director."""

from __future__ import annotations

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR,
    NEW_DIRECTOR,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VILLAGE,
    VILLAGE_2,
    ChildWelfare,
    assign_director,
    child_number,
    children,
    md,
    register,
    rpc_error,
    violated_fields,
)


async def test_children_belong_to_their_villages_director_and_move_when_the_director_is_replaced(
    cw: ChildWelfare,
) -> None:
    a = await register(cw, child_number(31))
    b = await register(cw, child_number(32))
    assert not a.HasField("director")
    first = await assign_director(cw, VILLAGE, "director-xianghu", name="李主任", token=TOWN_OFFICER)
    assert first.role == pb.NETWORK_ROLE_DIRECTOR and first.child_count == 2
    assert {c.id for c in await children(cw, director_subject="director-xianghu")} == {a.id, b.id}

    second = await assign_director(cw, VILLAGE, "director-xianghu-2", name="张主任")
    assert second.child_count == 2
    assert {c.id for c in await children(cw, director_subject="director-xianghu-2")} == {a.id, b.id}
    assert await children(cw, director_subject="director-xianghu") == []
    got = await cw.stub.GetChild(pb.GetChildRequest(id=a.id), metadata=md(ADMIN))
    assert got.director.subject == "director-xianghu-2" and got.director.name == "张主任"
    # The old tenure stays as history; only one is current.
    assert await cw.count("network_member") == 2
    net = await cw.stub.ListNetwork(pb.ListNetworkRequest(region_code=TOWN), metadata=md(ADMIN))
    assert [d.subject for d in net.directors] == ["director-xianghu-2"]


async def test_assigning_the_same_director_again_changes_nothing(cw: ChildWelfare) -> None:
    await assign_director(cw, VILLAGE, "director-xianghu")
    again = await assign_director(cw, VILLAGE, "director-xianghu", name="李主任(更新)")
    assert again.name == "李主任(更新)" and await cw.count("network_member") == 1


async def test_supervisors_are_per_town_and_listed_with_their_towns_children(cw: ChildWelfare) -> None:
    await register(cw, child_number(33))
    await register(cw, child_number(34), region=VILLAGE_2)
    sup = await cw.stub.AssignSupervisor(
        pb.AssignSupervisorRequest(region_code=TOWN, subject="supervisor-cx", name="周督导"),
        metadata=md(ADMIN),
    )
    assert sup.role == pb.NETWORK_ROLE_SUPERVISOR and sup.child_count == 2
    net = await cw.stub.ListNetwork(pb.ListNetworkRequest(), metadata=md(TOWN_OFFICER))
    assert [(s.subject, s.child_count) for s in net.supervisors] == [("supervisor-cx", 2)]
    error = await rpc_error(
        cw.stub.AssignSupervisor(
            pb.AssignSupervisorRequest(region_code=VILLAGE, subject="x", name="x"), metadata=md(ADMIN)
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "region_code" in violated_fields(error)


async def test_assignments_need_an_officer_of_the_region(cw: ChildWelfare) -> None:
    error = await rpc_error(assign_director(cw, VILLAGE, "someone", token=DIRECTOR))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(assign_director(cw, VILLAGE, "someone", token=OTHER_TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await cw.count("network_member") == 0


async def test_children_whose_village_has_no_director_are_listed(cw: ChildWelfare) -> None:
    covered = await register(cw, child_number(35))
    orphaned = [await register(cw, child_number(n), region=VILLAGE_2) for n in (36, 37, 38)]
    await assign_director(cw, VILLAGE, "director-xianghu")
    found = await children(cw, without_director=True)
    assert {c.id for c in found} == {c.id for c in orphaned} and covered.id not in {c.id for c in found}
    reply = await cw.stub.ListVillagesWithoutDirector(
        pb.ListVillagesWithoutDirectorRequest(), metadata=md(ADMIN)
    )
    assert [(v.region_code, v.child_count) for v in reply.villages] == [(VILLAGE_2, 3)]
    await assign_director(cw, VILLAGE_2, "director-yujiatan")
    assert await children(cw, without_director=True) == []
    assert (await children(cw, token=NEW_DIRECTOR)) == [
        await cw.stub.GetChild(pb.GetChildRequest(id=covered.id), metadata=md(NEW_DIRECTOR))
    ]
