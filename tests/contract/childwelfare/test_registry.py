"""The registry: one file per child, validated on the way in, with category history and guardians."""

from __future__ import annotations

from datetime import UTC, date, datetime

import grpc
import pytest
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.kit.idcard import mask_id_number
from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR,
    OTHER_VILLAGE,
    TOWN_OFFICER,
    VIEWER,
    VILLAGE,
    ChildWelfare,
    child_number,
    md,
    register,
    rpc_error,
    violated_fields,
)

GRANDMA = pb.Guardian(
    name="王阿婆", relation=pb.GUARDIAN_RELATION_GRANDPARENT, contact="13900001111", is_primary=True
)
TABLES = ("child", "category_period", "guardian", "outbox", "audit_log")


async def _row_counts(cw: ChildWelfare) -> dict[str, int]:
    return {t: await cw.count(t) for t in TABLES}


async def test_registering_a_child_opens_a_file_with_age_from_the_id_number(cw: ChildWelfare) -> None:
    number = child_number(11, born=date(2015, 5, 1))
    child = await register(cw, number, guardians=[GRANDMA])
    assert child.id and child.name == "萧小芽" and child.region_code == VILLAGE
    assert child.birth_date == "2015-05-01" and child.age == 10 and child.sex == "M" and not child.adult
    assert child.id_number == number  # admins see the number (and the read is audited)
    assert child.category == pb.PROTECTION_CATEGORY_LEFT_BEHIND and child.category_since == "2025-06-15"
    assert [(p.category, p.effective_from, p.effective_to) for p in child.category_history] == [
        (pb.PROTECTION_CATEGORY_LEFT_BEHIND, "2025-06-15", "")
    ]
    assert [(g.name, g.relation, g.contact, g.is_primary) for g in child.guardians] == [
        ("王阿婆", pb.GUARDIAN_RELATION_GRANDPARENT, "13900001111", True)
    ]
    assert child.in_visit_programme and child.visit_due_on == "2025-07-31" and not child.visit_overdue
    viewed = await cw.stub.GetChild(pb.GetChildRequest(id_number=number), metadata=md(VIEWER))
    assert viewed.id == child.id and viewed.id_number == mask_id_number(number)
    # No birth date beside a masked number: it is the masked middle, the two together the whole number.
    assert viewed.birth_date == "" and viewed.age == 10


async def test_registering_the_same_id_number_twice_is_already_exists(cw: ChildWelfare) -> None:
    await register(cw, child_number(12))
    before = await _row_counts(cw)
    error = await rpc_error(register(cw, child_number(12), name="另一个名字", region=OTHER_VILLAGE))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await _row_counts(cw) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": child_number(13)[:-1] + ("0" if child_number(13)[-1] != "0" else "1")}, "id_number"),
        ({"id_number": "33010920150501"}, "id_number"),
        ({"id_number": child_number(14, born=date(2005, 1, 1))}, "id_number"),
        ({"category": 99}, "category"),
        ({"category": pb.PROTECTION_CATEGORY_UNSPECIFIED}, "category"),
        ({"region_code": "330109001"}, "region_code"),
        ({"name": " "}, "name"),
        ({"category_since": "2025-06-16"}, "category_since"),
        ({"category_since": "15/06/2025"}, "category_since"),
        ({"guardians": [pb.Guardian(name="", relation=pb.GUARDIAN_RELATION_MOTHER)]}, "guardians[0].name"),
        ({"guardians": [pb.Guardian(name="母亲")]}, "guardians[0].relation"),
    ],
    ids=[
        "bad check digit", "too short", "adult", "unknown category", "no category", "town not village",
        "no name", "future category start", "bad date", "guardian without name", "guardian without relation",
    ],
)  # fmt: skip
async def test_bad_registrations_name_the_field_and_write_nothing(
    cw: ChildWelfare, change: dict[str, object], field: str
) -> None:
    request = {
        "id_number": child_number(15),
        "name": "萧小芽",
        "region_code": VILLAGE,
        "category": pb.PROTECTION_CATEGORY_LEFT_BEHIND,
    } | change
    error = await rpc_error(cw.stub.RegisterChild(pb.RegisterChildRequest(**request), metadata=md(ADMIN)))  # type: ignore[arg-type]
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in violated_fields(error)
    assert child_number(15) not in (error.details() or "")  # never echo an ID number
    assert await _row_counts(cw) == dict.fromkeys(TABLES, 0)


async def test_registering_outside_the_callers_regions_is_permission_denied_naming_region_code(
    cw: ChildWelfare,
) -> None:
    error = await rpc_error(register(cw, child_number(16), region=OTHER_VILLAGE, token=TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and "region_code" in (error.details() or "")
    error = await rpc_error(register(cw, child_number(16), region="330109001002", token=DIRECTOR))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await _row_counts(cw) == dict.fromkeys(TABLES, 0)


async def test_a_village_director_registers_children_of_their_own_village(cw: ChildWelfare) -> None:
    child = await register(cw, child_number(17), token=DIRECTOR)
    assert child.region_code == VILLAGE and child.id_number == mask_id_number(child_number(17))


async def test_a_child_leaves_the_programme_on_the_18th_birthday(cw: ChildWelfare) -> None:
    number = child_number(18, born=date(2007, 6, 20))
    child = await register(cw, number)
    assert child.age == 17 and child.in_visit_programme
    cw.clock.now = datetime(2025, 6, 19, 15, 59, tzinfo=UTC)  # 23:59 on 19 June in Shanghai
    assert (await cw.stub.GetChild(pb.GetChildRequest(id=child.id), metadata=md(ADMIN))).in_visit_programme
    cw.clock.now = datetime(2025, 6, 19, 16, 0, tzinfo=UTC)  # midnight: the 18th birthday
    turned = await cw.stub.GetChild(pb.GetChildRequest(id=child.id), metadata=md(ADMIN))
    assert turned.adult and turned.age == 18 and not turned.in_visit_programme and not turned.visit_overdue
    listed = {
        c.id for c in (await cw.stub.ListChildren(pb.ListChildrenRequest(), metadata=md(ADMIN))).children
    }
    assert child.id not in listed
    everyone = await cw.stub.ListChildren(pb.ListChildrenRequest(include_adults=True), metadata=md(ADMIN))
    assert child.id in {c.id for c in everyone.children}


async def test_category_changes_keep_the_history(cw: ChildWelfare) -> None:
    child = await register(cw, child_number(19), since="2025-01-10")
    cw.clock.now = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)
    moved = await cw.stub.ChangeCategory(
        pb.ChangeCategoryRequest(
            child_id=child.id,
            category=pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED,
            effective_from="2025-08-20",
            reason="父亲服刑, 母亲失联",
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert (
        moved.category == pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED and moved.category_since == "2025-08-20"
    )
    assert [(p.category, p.effective_from, p.effective_to) for p in moved.category_history] == [
        (pb.PROTECTION_CATEGORY_LEFT_BEHIND, "2025-01-10", "2025-08-20"),
        (pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED, "2025-08-20", ""),
    ]
    assert moved.category_history[1].reason == "父亲服刑, 母亲失联"
    for start, field in (("2025-01-01", "effective_from"), ("2025-09-02", "effective_from")):
        error = await rpc_error(
            cw.stub.ChangeCategory(
                pb.ChangeCategoryRequest(
                    child_id=child.id, category=pb.PROTECTION_CATEGORY_OTHER, effective_from=start
                ),
                metadata=md(ADMIN),
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and field in violated_fields(error)
    error = await rpc_error(
        cw.stub.ChangeCategory(
            pb.ChangeCategoryRequest(child_id=child.id, category=pb.PROTECTION_CATEGORY_OTHER),
            metadata=md(DIRECTOR),
        )
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await cw.count("category_period") == 2


async def test_guardians_are_replaced_as_a_whole(cw: ChildWelfare) -> None:
    child = await register(cw, child_number(20), guardians=[GRANDMA])
    mother = pb.Guardian(
        name="陈丽", relation=pb.GUARDIAN_RELATION_MOTHER, contact="微信 chenli", is_primary=True
    )
    uncle = pb.Guardian(name="陈强", relation=pb.GUARDIAN_RELATION_OTHER_RELATIVE, contact="13700002222")
    updated = await cw.stub.SetGuardians(
        pb.SetGuardiansRequest(child_id=child.id, guardians=[mother, uncle]), metadata=md(DIRECTOR)
    )
    assert [(g.name, g.relation, g.is_primary) for g in updated.guardians] == [
        ("陈丽", pb.GUARDIAN_RELATION_MOTHER, True),
        ("陈强", pb.GUARDIAN_RELATION_OTHER_RELATIVE, False),
    ]
    assert await cw.count("guardian") == 2


async def test_children_elsewhere_do_not_exist_for_the_caller(cw: ChildWelfare) -> None:
    mine = await register(cw, child_number(21))
    theirs = await register(cw, child_number(22), region=OTHER_VILLAGE)
    seen = {
        c.id for c in (await cw.stub.ListChildren(pb.ListChildrenRequest(), metadata=md(DIRECTOR))).children
    }
    assert seen == {mine.id}
    error = await rpc_error(cw.stub.GetChild(pb.GetChildRequest(id=theirs.id), metadata=md(TOWN_OFFICER)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(
        cw.stub.ListChildren(pb.ListChildrenRequest(region_code="330109002"), metadata=md(TOWN_OFFICER))
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
