"""Registering, listing and reading institutions."""

from __future__ import annotations

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import eldercare_pb2 as pb

from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    Eldercare,
    add_beds,
    assign,
    elder_id,
    md,
    register,
    rpc_error,
    violated_fields,
)


async def list_page(
    svc: Eldercare,
    *,
    token: str = ADMIN,
    size: int = 0,
    page_token: str = "",
    region: str = "",
    kind: int = 0,
) -> pb.ListInstitutionsResponse:
    return await svc.stub.ListInstitutions(
        pb.ListInstitutionsRequest(
            region_code=region, kind=kind, page=common_pb2.PageRequest(page_size=size, page_token=page_token)
        ),
        metadata=md(token),
    )


async def test_a_registered_institution_comes_back_with_its_details_and_no_beds(eldercare: Eldercare) -> None:
    inst = await register(eldercare, name="萧山区社会福利中心", kind=pb.INSTITUTION_KIND_PUBLIC, stars=5)
    assert inst.id and inst.name == "萧山区社会福利中心"
    assert inst.kind == pb.INSTITUTION_KIND_PUBLIC and inst.region_code == TOWN and inst.star_rating == 5
    assert inst.bed_count == 0 and inst.occupied_count == 0
    assert inst.created_at.seconds > 0
    got = await eldercare.stub.GetInstitution(pb.GetInstitutionRequest(id=inst.id), metadata=md(ADMIN))
    assert got == inst


async def test_every_kind_can_be_registered_in_a_town_or_a_village(eldercare: Eldercare) -> None:
    kinds = [pb.INSTITUTION_KIND_PUBLIC, pb.INSTITUTION_KIND_PRIVATE, pb.INSTITUTION_KIND_RURAL_WUBAO]
    for i, kind in enumerate(kinds):
        region = TOWN if i % 2 == 0 else f"{TOWN}001"
        inst = await register(eldercare, name=f"机构{i}", kind=kind, region=region, stars=i)
        assert (inst.kind, inst.region_code) == (kind, region)


async def test_the_same_name_twice_in_one_region_is_already_exists(eldercare: Eldercare) -> None:
    await register(eldercare, name="城厢敬老院")
    err = await rpc_error(register(eldercare, name="城厢敬老院"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    # The same name elsewhere is a different institution.
    await register(eldercare, name="城厢敬老院", region=OTHER_TOWN)


async def test_bad_registration_input_names_every_bad_field(eldercare: Eldercare) -> None:
    err = await rpc_error(
        eldercare.stub.RegisterInstitution(
            pb.RegisterInstitutionRequest(name=" ", kind=0, region_code="3301", star_rating=6),
            metadata=md(ADMIN),
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"name", "kind", "region_code", "star_rating"}
    page = await list_page(eldercare)
    assert page.page_info.total_count == 0


async def test_a_district_code_is_not_where_an_institution_stands(eldercare: Eldercare) -> None:
    err = await rpc_error(register(eldercare, region="330109"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"region_code"}


async def test_registering_outside_the_callers_regions_is_permission_denied(eldercare: Eldercare) -> None:
    err = await rpc_error(register(eldercare, region=OTHER_TOWN, token=TOWN_OFFICER))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await list_page(eldercare)).page_info.total_count == 0


async def test_listing_pages_through_every_institution_once_with_the_total_on_each_page(
    eldercare: Eldercare,
) -> None:
    registered = [(await register(eldercare, name=f"养老院{i:02d}")).id for i in range(7)]
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = await list_page(eldercare, size=3, page_token=token)
        pages += 1
        assert page.page_info.total_count == 7
        assert len(page.institutions) <= 3
        seen += [i.id for i in page.institutions]
        token = page.page_info.next_page_token
        if not token:
            break
    assert pages == 3
    assert seen == registered  # oldest first, none twice, none missing


async def test_each_listed_institution_has_a_cursor_resuming_right_after_it(eldercare: Eldercare) -> None:
    registered = [(await register(eldercare, name=f"养老院{i:02d}")).id for i in range(6)]
    page = await list_page(eldercare, size=4)
    assert len(page.cursors) == len(page.institutions) == 4
    assert page.cursors[-1] == page.page_info.next_page_token
    for i, cursor in enumerate(page.cursors):
        rest = await list_page(eldercare, size=50, page_token=cursor)
        assert [inst.id for inst in rest.institutions] == registered[i + 1 :]
        assert len(rest.cursors) == len(rest.institutions)
        assert rest.page_info.next_page_token == "" and rest.page_info.total_count == 6


async def test_the_default_page_is_50_and_larger_requests_are_capped_at_200(eldercare: Eldercare) -> None:
    for i in range(3):
        await register(eldercare, name=f"院{i}")
    page = await list_page(eldercare, size=10_000)
    assert len(page.institutions) == 3 and page.page_info.next_page_token == ""


async def test_a_forged_page_token_is_invalid_argument(eldercare: Eldercare) -> None:
    err = await rpc_error(list_page(eldercare, page_token="not-ours!"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(err) == {"page.page_token"}


async def test_listing_filters_by_region_and_kind(eldercare: Eldercare) -> None:
    await register(eldercare, name="A", region=TOWN, kind=pb.INSTITUTION_KIND_PUBLIC)
    await register(eldercare, name="B", region=f"{TOWN}001", kind=pb.INSTITUTION_KIND_PRIVATE)
    await register(eldercare, name="C", region=OTHER_TOWN, kind=pb.INSTITUTION_KIND_RURAL_WUBAO)
    in_town = await list_page(eldercare, region=TOWN)
    assert sorted(i.name for i in in_town.institutions) == ["A", "B"]
    assert in_town.page_info.total_count == 2
    private = await list_page(eldercare, kind=pb.INSTITUTION_KIND_PRIVATE)
    assert [i.name for i in private.institutions] == ["B"]
    assert private.page_info.total_count == 1


async def test_a_town_officer_sees_only_their_town_and_another_town_sees_none_of_it(
    eldercare: Eldercare,
) -> None:
    await register(eldercare, name="城厢1", region=TOWN)
    await register(eldercare, name="城厢2", region=f"{TOWN}002")
    mine = await list_page(eldercare, token=TOWN_OFFICER)
    assert {i.name for i in mine.institutions} == {"城厢1", "城厢2"}
    theirs = await list_page(eldercare, token=OTHER_TOWN_OFFICER)
    assert list(theirs.institutions) == [] and theirs.page_info.total_count == 0
    # Asking for the whole district is narrowed to the caller's town, not refused.
    narrowed = await list_page(eldercare, token=OTHER_TOWN_OFFICER, region="330109")
    assert narrowed.page_info.total_count == 0
    err = await rpc_error(list_page(eldercare, token=OTHER_TOWN_OFFICER, region=TOWN))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_another_regions_institution_is_not_found_for_a_town_officer(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    err = await rpc_error(
        eldercare.stub.GetInstitution(pb.GetInstitutionRequest(id=inst.id), metadata=md(OTHER_TOWN_OFFICER))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    unknown = await rpc_error(
        eldercare.stub.GetInstitution(pb.GetInstitutionRequest(id="no-such-id"), metadata=md(ADMIN))
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


async def test_an_institution_counts_its_beds_and_occupied_beds(eldercare: Eldercare) -> None:
    inst = await register(eldercare)
    beds = await add_beds(eldercare, inst.id, count=4)
    await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_FAMILY_CARE, count=2)
    await assign(eldercare, beds[0].id, elder_id(11))
    await assign(eldercare, beds[1].id, elder_id(13))
    got = await eldercare.stub.GetInstitution(pb.GetInstitutionRequest(id=inst.id), metadata=md(ADMIN))
    assert (got.bed_count, got.occupied_count) == (6, 2)
    listed = (await list_page(eldercare)).institutions[0]
    assert (listed.bed_count, listed.occupied_count) == (6, 2)
