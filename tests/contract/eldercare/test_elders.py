"""The elders registry and capability assessments over gRPC: registering, reading, changing, listing,
scoping, masking, refusals that write nothing, and which assessment counts."""

from __future__ import annotations

import json
from datetime import date

import grpc
import pytest
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as pb

from services.eldercare.events import ELDER_ASSESSED
from services.kit.idcard import mask_id_number
from services.kit.iddigest import DEV_ID_DIGEST_KEY, id_number_digest
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    invalid_id,
    md,
    rpc_error,
    violated_fields,
)
from tests.contract.eldercare.elder_support import (
    OTHER_VILLAGE,
    VILLAGE,
    VILLAGE_2,
    Elders,
    assess,
    contact,
    elder_number,
    es,
    events_about,
    get,
    list_all,
    register,
)

__all__ = ["es"]  # the fixture, imported so pytest finds it

REASONS = pb.VulnerabilityReason


async def test_a_registered_elder_is_read_back_by_id_and_by_id_number(es: Elders) -> None:
    number = elder_number(11, born=date(1950, 8, 9))
    made = await register(es, number, name="李桂英", widowed_childless=True)
    assert made.id_number == number  # the admin sees it in clear
    assert (made.sex, made.birth_date, made.age, made.region_code) == ("M", "1950-08-09", 74, VILLAGE)
    assert list(made.vulnerability) == [
        REASONS.VULNERABILITY_REASON_ALONE,
        REASONS.VULNERABILITY_REASON_WIDOWED_CHILDLESS,
    ]
    assert made.visit_due_on == "2025-07-31" and not made.visit_overdue  # first visit: next month's end
    assert [(c.name, c.relation, c.phone) for c in made.contacts] == [
        ("王小明", pb.CONTACT_RELATION_CHILD, "13800138000")
    ]

    by_number = await es.stub.GetElder(pb.GetElderRequest(id_number=number), metadata=md(TOWN_OFFICER))
    assert by_number.id == made.id and by_number.name == "李桂英"
    seen = await get(es, made.id, token=VIEWER)
    assert seen.id_number == mask_id_number(number)  # a viewer sees it masked
    assert (seen.birth_date, seen.age) == ("", 74)  # the birth date would give the hidden digits back
    assert seen.capability_level == pb.CAPABILITY_LEVEL_UNSPECIFIED


async def test_clear_reads_are_audited_and_masked_reads_are_not(es: Elders) -> None:
    made = await register(es, elder_number(12))
    before = await es.count("audit_log")
    await get(es, made.id, token=VIEWER)
    assert await es.count("audit_log") == before
    await get(es, made.id, token=ADMIN)
    assert await es.count("audit_log") == before + 1


async def test_a_second_registration_of_an_id_number_is_refused_and_writes_nothing(es: Elders) -> None:
    number = elder_number(13)
    await register(es, number)
    before = await es.counts()
    error = await rpc_error(register(es, number, region=VILLAGE_2, name="别人"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await es.counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": invalid_id()}, "id_number"),
        # Turns 60 tomorrow (16 June 2025): not an elder yet on the day of registration.
        ({"id_number": elder_number(14, born=date(1965, 6, 16))}, "id_number"),
        ({"living_arrangement": 99}, "living_arrangement"),
        ({"living_arrangement": pb.LIVING_ARRANGEMENT_UNSPECIFIED}, "living_arrangement"),
        ({"name": " "}, "name"),
        ({"region_code": "330109"}, "region_code"),
        ({"phone": "call me"}, "phone"),
        ({"contacts": [pb.ElderContact(name="王小明", phone="13800138000")]}, "contacts[0].relation"),
        ({"contacts": [contact(phone="x")]}, "contacts[0].phone"),
        ({"contacts": [contact()] * 6}, "contacts"),
        ({"situation_since": "2025-06-16"}, "situation_since"),
        ({"situation_since": "15/06/2025"}, "situation_since"),
    ],
)
async def test_bad_registrations_name_the_field_and_write_nothing(
    es: Elders, change: dict[str, object], field: str
) -> None:
    request = pb.RegisterElderRequest(
        id_number=elder_number(15),
        name="王秀英",
        region_code=VILLAGE,
        living_arrangement=pb.LIVING_ARRANGEMENT_ALONE,
    )
    for key, value in change.items():
        if key == "contacts":
            request.contacts.extend(value)  # type: ignore[arg-type]
        else:
            setattr(request, key, value)
    before = await es.counts()
    error = await rpc_error(es.stub.RegisterElder(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in violated_fields(error)
    assert await es.counts() == before


async def test_someone_turning_sixty_today_can_be_registered(es: Elders) -> None:
    made = await register(es, elder_number(16, born=date(1965, 6, 15)))
    assert made.age == 60


async def test_a_file_moved_from_paper_starts_the_visit_clock_on_its_own_day(es: Elders) -> None:
    request = pb.RegisterElderRequest(
        id_number=elder_number(22),
        name="赵阿毛",
        region_code=VILLAGE,
        living_arrangement=pb.LIVING_ARRANGEMENT_WITH_FAMILY,
        special_family=True,
        situation_since="2025-04-10",
    )
    made = await es.stub.RegisterElder(request, metadata=md(ADMIN))
    assert list(made.vulnerability) == [REASONS.VULNERABILITY_REASON_SPECIAL_FAMILY]
    assert (made.visit_due_on, made.visit_overdue, made.days_overdue) == ("2025-05-31", True, 15)


async def test_regions_scope_every_call(es: Elders) -> None:
    mine = await register(es, elder_number(17), token=TOWN_OFFICER)
    theirs = await register(es, elder_number(18), region=OTHER_VILLAGE, token=OTHER_TOWN_OFFICER)
    outside = await rpc_error(register(es, elder_number(19), region=OTHER_TOWN, token=TOWN_OFFICER))
    assert outside.code() == grpc.StatusCode.PERMISSION_DENIED
    read_only = await rpc_error(register(es, elder_number(20), token=VIEWER))
    assert read_only.code() == grpc.StatusCode.PERMISSION_DENIED

    hidden = await rpc_error(get(es, theirs.id, token=TOWN_OFFICER))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    by_number = await rpc_error(
        es.stub.GetElder(pb.GetElderRequest(id_number=elder_number(18)), metadata=md(TOWN_OFFICER))
    )
    assert by_number.code() == grpc.StatusCode.NOT_FOUND
    assert [e.id for e in await list_all(es, token=TOWN_OFFICER)] == [mine.id]
    assert {e.id for e in await list_all(es, token=ADMIN)} == {mine.id, theirs.id}
    narrowed = await rpc_error(
        es.stub.ListElders(pb.ListEldersRequest(region_code=OTHER_TOWN), metadata=md(TOWN_OFFICER))
    )
    assert narrowed.code() == grpc.StatusCode.PERMISSION_DENIED
    change = pb.UpdateElderRequest(id=theirs.id, living_arrangement=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
    not_theirs = await rpc_error(es.stub.UpdateElder(change, metadata=md(TOWN_OFFICER)))
    assert not_theirs.code() == grpc.StatusCode.NOT_FOUND


async def test_an_update_replaces_the_living_situation_and_contacts_and_is_audited(es: Elders) -> None:
    made = await register(es, elder_number(21), living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
    assert list(made.vulnerability) == [] and made.visit_due_on == ""
    audited = await es.count("audit_log")
    es.clock.now = es.clock.now.replace(month=8, day=3)  # moves in alone on 3 August
    changed = await es.stub.UpdateElder(
        pb.UpdateElderRequest(
            id=made.id,
            living_arrangement=pb.LIVING_ARRANGEMENT_ALONE,
            left_behind=True,
            address="新街 8 号",
            contacts=[contact("张邻居", "13900139000"), contact()],
        ),
        metadata=md(ADMIN),
    )
    assert changed.living_arrangement == pb.LIVING_ARRANGEMENT_ALONE and changed.address == "新街 8 号"
    assert changed.phone == ""  # replaced: an update sends the whole living situation
    assert [c.name for c in changed.contacts] == ["张邻居", "王小明"]
    assert list(changed.vulnerability) == [
        REASONS.VULNERABILITY_REASON_ALONE,
        REASONS.VULNERABILITY_REASON_LEFT_BEHIND,
    ]
    assert changed.visit_due_on == "2025-09-30"  # the clock starts on the day they became vulnerable
    # The update and the clear read of the reply.
    assert await es.count("audit_log") == audited + 2
    back = await es.stub.UpdateElder(
        pb.UpdateElderRequest(
            id=made.id, living_arrangement=pb.LIVING_ARRANGEMENT_IN_INSTITUTION, left_behind=True
        ),
        metadata=md(ADMIN),
    )
    assert list(back.vulnerability) == [] and back.visit_due_on == "" and list(back.contacts) == []
    bad = await rpc_error(es.stub.UpdateElder(pb.UpdateElderRequest(id=made.id), metadata=md(ADMIN)))
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {"living_arrangement"}


async def test_listing_filters_by_region_and_vulnerability_and_pages_with_a_total(es: Elders) -> None:
    alone = [await register(es, elder_number(30 + i)) for i in range(3)]
    family = [
        await register(es, elder_number(40 + i), region=VILLAGE_2, living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
        for i in range(2)
    ]
    assert len(await list_all(es, page_size=2)) == 5
    first = await es.stub.ListElders(
        pb.ListEldersRequest(page=common_pb2.PageRequest(page_size=2)), metadata=md(ADMIN)
    )
    assert first.page_info.total_count == 5 and first.page_info.next_page_token
    assert {e.id for e in await list_all(es, vulnerable_only=True, page_size=1)} == {e.id for e in alone}
    assert {e.id for e in await list_all(es, region_code=VILLAGE_2)} == {e.id for e in family}
    assert {e.id for e in await list_all(es, region_code=TOWN)} == {e.id for e in alone + family}
    bad = await rpc_error(
        es.stub.ListElders(
            pb.ListEldersRequest(page=common_pb2.PageRequest(page_token="not-ours")), metadata=md(ADMIN)
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {"page.page_token"}


async def test_the_latest_assessment_sets_the_level_and_an_older_one_does_not(es: Elders) -> None:
    number = elder_number(50)
    made = await register(es, number, living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
    mild = await assess(es, made.id, pb.CAPABILITY_LEVEL_MILD, "2025-03-01")
    assert mild.current
    moderate = await assess(es, made.id, pb.CAPABILITY_LEVEL_MODERATE, "2025-06-01")
    older = await assess(es, made.id, pb.CAPABILITY_LEVEL_COMPLETE, "2025-01-10")  # entered late
    assert moderate.current and not older.current
    elder = await get(es, made.id)
    assert (elder.capability_level, elder.capability_assessed_on) == (
        pb.CAPABILITY_LEVEL_MODERATE,
        "2025-06-01",
    )
    assert list(elder.vulnerability) == [REASONS.VULNERABILITY_REASON_DISABLED]
    assert elder.visit_due_on == "2025-07-31"  # became vulnerable when recorded (15 June)

    listed = await es.stub.ListAssessments(
        pb.ListAssessmentsRequest(elder_id=made.id, page=common_pb2.PageRequest(page_size=2)),
        metadata=md(VIEWER),
    )
    assert [a.assessed_on for a in listed.assessments] == ["2025-06-01", "2025-03-01"]
    assert [a.current for a in listed.assessments] == [True, False]
    assert listed.page_info.total_count == 3
    rest = await es.stub.ListAssessments(
        pb.ListAssessmentsRequest(
            elder_id=made.id,
            page=common_pb2.PageRequest(page_size=2, page_token=listed.page_info.next_page_token),
        ),
        metadata=md(VIEWER),
    )
    assert [a.assessed_on for a in rest.assessments] == ["2025-01-10"] and not rest.page_info.next_page_token

    events = (await events_about(es, ELDER_ASSESSED, [made.id]))[made.id]
    data = sorted((e["data"] for e in events), key=lambda d: d["assessed_on"])  # type: ignore[index]
    assert [(d["assessed_on"], d["level"], d["current"], d["disabled"]) for d in data] == [  # type: ignore[index]
        ("2025-01-10", "complete", False, True),
        ("2025-03-01", "mild", True, False),
        ("2025-06-01", "moderate", True, True),
    ]
    assert {d["elder_id_masked"] for d in data} == {mask_id_number(number)}  # type: ignore[index]
    # Relief finds the elder by this keyed digest (proactive discovery); the number never travels.
    assert {d["id_digest"] for d in data} == {id_number_digest(number, DEV_ID_DIGEST_KEY.encode())}  # type: ignore[index]
    assert number not in json.dumps(events)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"assessed_on": "2025-06-16"}, "assessed_on"),  # tomorrow
        ({"assessed_on": "2025-13-01"}, "assessed_on"),
        ({"level": 42}, "level"),
        ({"level": pb.CAPABILITY_LEVEL_UNSPECIFIED}, "level"),
        ({"assessor": ""}, "assessor"),
    ],
)
async def test_bad_assessments_name_the_field_and_write_nothing(
    es: Elders, change: dict[str, object], field: str
) -> None:
    made = await register(es, elder_number(51))
    request = pb.RecordAssessmentRequest(
        elder_id=made.id, level=pb.CAPABILITY_LEVEL_SEVERE, assessed_on="2025-06-15", assessor="李评估"
    )
    for key, value in change.items():
        setattr(request, key, value)
    before = await es.counts()
    error = await rpc_error(es.stub.RecordAssessment(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and field in violated_fields(error)
    assert await es.counts() == before
    assert (await get(es, made.id, token=VIEWER)).capability_level == pb.CAPABILITY_LEVEL_UNSPECIFIED
