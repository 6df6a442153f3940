"""Households over gRPC: registering, reading, listing by pages, region scoping and masking, members
joining, moving and leaving with their history kept, incomes and assets, and refusals that write nothing;
households with an open discovery flag, and a page of households read in one batch call."""

# The fixtures come from application_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date, timedelta

import grpc
import pytest
from minzheng.common.v1 import common_pb2
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import discovery_pb2 as dpb
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb

from services.kit.idcard import mask_id_number
from services.kit.iddigest import DEV_ID_DIGEST_KEY, id_number_digest
from services.relief import digests
from tests.contract.relief.application_support import (  # noqa: F401  (fixtures)
    Apps,
    apps,
    dibao_household,
    granted,
    reject,
    review,
    submit,
)
from tests.contract.relief.conftest import (
    ADMIN,
    NOW,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN,
    TOWN_OFFICER,
    TOWN_VIEWER,
    VIEWER,
    VILLAGE,
    VILLAGE_2,
    Relief,
    get,
    income,
    invalid_id,
    md,
    person,
    register,
    rpc_error,
    violated_fields,
)


async def test_a_registered_household_is_read_back_by_id_and_by_a_members_id_number(relief: Relief) -> None:
    head, spouse = person(11), person(12, relation=pb.RELATION_SPOUSE, name="李秀英", born=date(1982, 2, 3))
    made = await register(relief, spouse, head)  # the head comes first in replies whatever the order given
    assert made.region_code == VILLAGE
    assert [(m.name, m.relation, m.id_number) for m in made.members] == [
        ("王建国", pb.RELATION_HEAD, head.id_number),
        ("李秀英", pb.RELATION_SPOUSE, spouse.id_number),
    ]
    assert (made.members[1].birth_date, made.members[1].age, made.members[1].joined_on) == (
        "1982-02-03",
        42,
        "2020-01-01",
    )

    by_number = await relief.households.GetHousehold(
        pb.GetHouseholdRequest(id_number=spouse.id_number), metadata=md(TOWN_OFFICER)
    )
    assert by_number.id == made.id
    seen = await get(relief, made.id, token=VIEWER)
    assert [m.id_number for m in seen.members] == [
        mask_id_number(head.id_number),
        mask_id_number(spouse.id_number),
    ]
    assert {m.birth_date for m in seen.members} == {""}  # the birth date would give the hidden digits back


async def test_clear_reads_are_audited_and_masked_reads_are_not(relief: Relief) -> None:
    made = await register(relief, person(13), person(14, relation=pb.RELATION_CHILD, born=date(2010, 1, 1)))
    before = (await relief.counts())["audit_log"]
    await get(relief, made.id, token=VIEWER)
    assert (await relief.counts())["audit_log"] == before
    await get(relief, made.id, token=ADMIN)
    assert (await relief.counts())["audit_log"] == before + 2  # one per member shown in clear


async def test_each_person_is_stored_with_the_digest_events_will_name_them_by(relief: Relief) -> None:
    head = person(15)
    await register(relief, head)
    rows = await relief.rows(
        "SELECT d.digest FROM person_identity_digest d JOIN person p ON p.id = d.person_id"
    )
    assert rows == [(id_number_digest(head.id_number, DEV_ID_DIGEST_KEY.encode()),)]


async def test_the_digest_job_gives_everyone_a_digest_under_a_new_key(relief: Relief) -> None:
    await register(relief, person(16), person(17, relation=pb.RELATION_SPOUSE))
    new_key = b"k" * 40
    assert relief.process.ctx is not None
    job = digests.digest_job(relief.process.ctx.db, key=new_key)
    assert await job.run() == 2
    assert await job.run() == 0  # nothing missing any more
    rows = await relief.rows("SELECT key_id, count(*) FROM person_identity_digest GROUP BY key_id")
    assert sorted(n for _, n in rows) == [2, 2]  # the old key's rows are left alone


async def test_a_person_already_in_a_household_is_refused_and_nothing_is_written(relief: Relief) -> None:
    await register(relief, person(21))
    other = await register(relief, person(22), region=VILLAGE_2)
    before = await relief.counts()
    error = await rpc_error(register(relief, person(23), person(21, relation=pb.RELATION_SPOUSE)))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "members[1].id_number" in (error.details() or "")
    error = await rpc_error(
        relief.households.AddMember(
            pb.AddMemberRequest(household_id=other.id, person=person(21, relation=pb.RELATION_CHILD)),
            metadata=md(ADMIN),
        )
    )
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert await relief.counts() == before


@pytest.mark.parametrize(
    ("members", "change", "field"),
    [
        (
            [pb.PersonInput(id_number=invalid_id(), name="王", relation=pb.RELATION_HEAD, labour_capacity=1)],
            {},
            "members[0].id_number",
        ),
        ([person(31), person(32)], {}, "members"),  # two heads
        ([person(31, relation=pb.RELATION_SPOUSE)], {}, "members"),  # no head
        ([], {}, "members"),
        ([person(31, disability=7)], {}, "members[0].disability_grade"),
        ([person(31, capacity=pb.LABOUR_CAPACITY_UNSPECIFIED)], {}, "members[0].labour_capacity"),
        ([person(31, name=" ")], {}, "members[0].name"),
        ([person(31), person(31, relation=pb.RELATION_CHILD)], {}, "members"),  # the same person twice
        ([person(31)], {"region_code": TOWN}, "region_code"),  # a town, not a village
        ([person(31)], {"since": "2024-09-16"}, "since"),  # tomorrow
        ([person(31)], {"since": "16/09/2024"}, "since"),
        ([person(31, born=date(2021, 3, 1))], {"since": "2020-01-01"}, "since"),  # before the birth
    ],
)
async def test_bad_registrations_name_the_field_and_write_nothing(
    relief: Relief, members: list[pb.PersonInput], change: dict[str, str], field: str
) -> None:
    request = pb.RegisterHouseholdRequest(members=members, **({"region_code": VILLAGE} | change))
    before = await relief.counts()
    error = await rpc_error(relief.households.RegisterHousehold(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in violated_fields(error)
    assert await relief.counts() == before


async def test_town_officers_write_in_their_town_and_viewers_only_read(relief: Relief) -> None:
    made = await register(relief, person(41), token=TOWN_OFFICER)
    denied = await rpc_error(register(relief, person(42), region=OTHER_VILLAGE, token=TOWN_OFFICER))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    denied = await rpc_error(register(relief, person(43), token=VIEWER))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await get(relief, made.id, token=TOWN_VIEWER)).id == made.id
    # Outside the caller's regions the household does not exist, for reads and writes alike.
    assert (
        await rpc_error(get(relief, made.id, token=OTHER_TOWN_OFFICER))
    ).code() == grpc.StatusCode.NOT_FOUND
    head_id = made.members[0].person_id
    missing = await rpc_error(income(relief, made.id, head_id, 100, token=OTHER_TOWN_OFFICER))
    assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_listing_pages_through_the_callers_regions_with_a_cursor_per_row(relief: Relief) -> None:
    made = [await register(relief, person(50 + i), region=VILLAGE if i % 2 else VILLAGE_2) for i in range(5)]
    await register(relief, person(60), region=OTHER_VILLAGE)
    seen, token, pages = [], "", 0
    while True:
        reply = await relief.households.ListHouseholds(
            pb.ListHouseholdsRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)),
            metadata=md(TOWN_OFFICER),
        )
        assert reply.page_info.total_count == 5 and len(reply.cursors) == len(reply.households)
        seen += [h.id for h in reply.households]
        pages += 1
        token = reply.page_info.next_page_token
        if not token:
            break
    assert pages == 3 and sorted(seen) == sorted(h.id for h in made)
    # Each row's cursor resumes right after that row; the members come along (masked or not).
    first = await relief.households.ListHouseholds(pb.ListHouseholdsRequest(), metadata=md(ADMIN))
    assert first.page_info.total_count == 6 and all(len(h.members) == 1 for h in first.households)
    resumed = await relief.households.ListHouseholds(
        pb.ListHouseholdsRequest(page=common_pb2.PageRequest(page_token=first.cursors[2])), metadata=md(ADMIN)
    )
    assert [h.id for h in resumed.households] == [h.id for h in first.households[3:]]
    narrowed = await relief.households.ListHouseholds(
        pb.ListHouseholdsRequest(region_code=VILLAGE), metadata=md(VIEWER)
    )
    assert {h.region_code for h in narrowed.households} == {VILLAGE} and narrowed.page_info.total_count == 2
    outside = await rpc_error(
        relief.households.ListHouseholds(
            pb.ListHouseholdsRequest(region_code=OTHER_TOWN), metadata=md(TOWN_OFFICER)
        )
    )
    assert outside.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_moving_a_member_keeps_the_history_in_both_households(relief: Relief) -> None:
    first = await register(relief, person(71), person(72, relation=pb.RELATION_SPOUSE, name="李秀英"))
    second = await register(relief, person(73), region=VILLAGE_2)
    mover = first.members[1].person_id
    moved = await relief.households.MoveMember(
        pb.MoveMemberRequest(
            person_id=mover, to_household_id=second.id, relation=pb.RELATION_SPOUSE, moved_on="2024-09-01"
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert moved.id == second.id
    assert [(m.person_id, m.joined_on) for m in moved.members][1] == (mover, "2024-09-01")
    left = await get(relief, first.id)
    assert [m.person_id for m in left.members] == [first.members[0].person_id]
    assert [(m.person_id, m.left_on, m.left_reason) for m in left.past_members] == [
        (mover, "2024-09-01", pb.LEAVE_REASON_MOVED)
    ]
    history = await relief.rows(
        "SELECT household_id, joined_on, left_on FROM membership"
        f" WHERE person_id = '{mover}' ORDER BY joined_on"
    )
    assert [(h, str(j), str(left_on) if left_on else None) for h, j, left_on in history] == [
        (first.id, "2020-01-01", "2024-09-01"),
        (second.id, "2024-09-01", None),
    ]
    # The person is in one household at a time: moving them into the one they are in is refused.
    again = await rpc_error(
        relief.households.MoveMember(
            pb.MoveMemberRequest(person_id=mover, to_household_id=second.id, relation=pb.RELATION_CHILD),
            metadata=md(ADMIN),
        )
    )
    assert again.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(again) == {"to_household_id"}


async def test_the_head_leaving_names_the_new_head_or_is_refused(relief: Relief) -> None:
    made = await register(relief, person(81), person(82, relation=pb.RELATION_CHILD, name="王小明"))
    head, child = made.members[0].person_id, made.members[1].person_id
    before = await relief.counts()
    refused = await rpc_error(
        relief.households.RemoveMember(
            pb.RemoveMemberRequest(household_id=made.id, person_id=head, reason=pb.LEAVE_REASON_DIED),
            metadata=md(ADMIN),
        )
    )
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(refused) == {"new_head_person_id"}
    assert await relief.counts() == before
    after = await relief.households.RemoveMember(
        pb.RemoveMemberRequest(
            household_id=made.id,
            person_id=head,
            reason=pb.LEAVE_REASON_DIED,
            left_on="2024-09-10",
            new_head_person_id=child,
        ),
        metadata=md(ADMIN),
    )
    assert [(m.person_id, m.relation) for m in after.members] == [(child, pb.RELATION_HEAD)]
    assert [(m.left_reason, m.left_on) for m in after.past_members] == [(pb.LEAVE_REASON_DIED, "2024-09-10")]
    # A person recorded dead cannot join a household again.
    dead = await rpc_error(register(relief, person(81), region=VILLAGE_2))
    assert dead.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_incomes_and_assets_of_members_are_recorded_and_shown_with_the_household(
    relief: Relief,
) -> None:
    made = await register(relief, person(91))
    head = made.members[0].person_id
    recorded = await income(relief, made.id, head, 1_200_000, kind=pb.INCOME_KIND_PENSION)
    assert (recorded.amount_fen, recorded.period_start, recorded.kind) == (
        1_200_000,
        "2023-09-01",
        pb.INCOME_KIND_PENSION,
    )
    asset = await relief.households.RecordAsset(
        pb.RecordAssetRequest(
            household_id=made.id, person_id=head, kind=pb.ASSET_KIND_DEPOSIT, value_fen=5_000_000
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert asset.as_of == "2024-09-15"  # today by default
    file = await get(relief, made.id, token=VIEWER)
    assert [i.id for i in file.incomes] == [recorded.id] and [a.id for a in file.assets] == [asset.id]
    assert (
        not (await relief.households.ListHouseholds(pb.ListHouseholdsRequest(), metadata=md(ADMIN)))
        .households[0]
        .incomes
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_fen": -1}, "amount_fen"),
        ({"person_id": "nobody"}, "person_id"),
        ({"kind": pb.INCOME_KIND_UNSPECIFIED}, "kind"),
        ({"period_end": "2023-08-31"}, "period_end"),  # before the start
        ({"period_start": "2024-09-16", "period_end": "2024-09-30"}, "period_start"),  # starts tomorrow
        ({"period_start": ""}, "period_start"),
    ],
)
async def test_bad_incomes_name_the_field_and_write_nothing(
    relief: Relief, change: dict[str, object], field: str
) -> None:
    made = await register(relief, person(101))
    other = await register(relief, person(102), region=VILLAGE_2)
    request = pb.RecordIncomeRequest(
        household_id=made.id,
        person_id=made.members[0].person_id,
        kind=pb.INCOME_KIND_WAGES,
        amount_fen=100,
        period_start="2023-09-01",
        period_end="2024-08-31",
    )
    for key, value in change.items():
        setattr(request, key, value)
    if field == "person_id" and change["person_id"] == "nobody":
        request.person_id = other.members[0].person_id  # a real person, in another household
    before = await relief.counts()
    error = await rpc_error(relief.households.RecordIncome(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in violated_fields(error)
    assert await relief.counts() == before


async def test_a_negative_asset_value_is_refused(relief: Relief) -> None:
    made = await register(relief, person(111))
    before = await relief.counts()
    error = await rpc_error(
        relief.households.RecordAsset(
            pb.RecordAssetRequest(
                household_id=made.id,
                person_id=made.members[0].person_id,
                kind=pb.ASSET_KIND_VEHICLE,
                value_fen=-5,
            ),
            metadata=md(ADMIN),
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"value_fen"}
    assert await relief.counts() == before


async def test_a_member_joins_once_and_a_second_head_is_refused(relief: Relief) -> None:
    made = await register(relief, person(121))
    grown = await relief.households.AddMember(
        pb.AddMemberRequest(
            household_id=made.id,
            person=person(122, relation=pb.RELATION_CHILD, born=date(2016, 6, 1), name="王小明"),
            joined_on="2024-09-01",
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert [(m.relation, m.joined_on) for m in grown.members] == [
        (pb.RELATION_HEAD, "2020-01-01"),
        (pb.RELATION_CHILD, "2024-09-01"),
    ]
    before = await relief.counts()
    second = await rpc_error(
        relief.households.AddMember(
            pb.AddMemberRequest(household_id=made.id, person=person(123)), metadata=md(ADMIN)
        )
    )
    assert second.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await relief.counts() == before


async def test_someone_who_left_a_household_may_form_a_new_one_and_keeps_one_person_record(
    relief: Relief,
) -> None:
    made = await register(relief, person(131), person(132, relation=pb.RELATION_CHILD, name="王小明"))
    child = made.members[1].person_id
    await relief.households.RemoveMember(
        pb.RemoveMemberRequest(
            household_id=made.id, person_id=child, reason=pb.LEAVE_REASON_LEFT, left_on="2024-06-30"
        ),
        metadata=md(ADMIN),
    )
    own = await register(relief, person(132, name="王小明"), region=VILLAGE_2, since="2024-07-01")
    assert own.members[0].person_id == child
    assert await relief.rows(f"SELECT count(*) FROM membership WHERE person_id = '{child}'") == [(2,)]


async def _flag(svc: Apps, n: int, household: pb.Household, *, status: str = "open", raised: str = "") -> str:
    """A discovery flag written straight into the database (as the event handler would)."""
    flag_id = f"00000000-0000-4000-8000-{n:012d}"
    raised_at = raised or f"2024-09-0{n % 9 + 1} 08:00:00"
    await svc.execute(
        "INSERT INTO household_flag (id, household_id, region_code, kind, fact, person_id, reason, "
        "source_event_id, source_type, raised_at, status, handled_note) VALUES "
        f"('{flag_id}', '{household.id}', '{household.region_code}', 'may_qualify', 'member_died', NULL, "
        f"'家庭成员去世', 'event-{n}', 'civic.funeral.death-registered', '{raised_at}', '{status}', '')"
    )
    return flag_id


async def test_households_filter_by_an_open_discovery_flag_with_the_programme_and_pages(apps: Apps) -> None:
    approved = await granted(apps)  # 低保, in VILLAGE
    flagged = [await dibao_household(apps, first_sequence=s, region=VILLAGE_2) for s in (401, 411, 421)]
    handled_only = await dibao_household(apps, first_sequence=431)
    elsewhere = await dibao_household(apps, first_sequence=441, region=OTHER_VILLAGE)
    grant_holder = await apps.households.GetHousehold(
        pb.GetHouseholdRequest(id=approved.household_id), metadata=md(ADMIN)
    )
    for n, household in enumerate([grant_holder, *flagged, elsewhere], start=1):
        await _flag(apps, n, household)
    await _flag(apps, 10, flagged[0])  # a second open flag lists the household once
    await _flag(apps, 11, handled_only, status="handled")

    async def listing(token: str = ADMIN, **filters: object) -> pb.ListHouseholdsResponse:
        return await apps.households.ListHouseholds(pb.ListHouseholdsRequest(**filters), metadata=md(token))

    everyone = await listing()
    assert everyone.page_info.total_count == 6
    ordered = sorted([grant_holder, *flagged, elsewhere], key=lambda h: (h.region_code, h.id))
    only_flagged = await listing(flagged=True)
    assert [h.id for h in only_flagged.households] == [h.id for h in ordered]
    assert only_flagged.page_info.total_count == 5
    # Scoped to the caller's regions: the other town's flagged household is not the town officer's.
    mine = await listing(TOWN_OFFICER, flagged=True)
    assert elsewhere.id not in [h.id for h in mine.households] and mine.page_info.total_count == 4
    # Combined with the programme: only the flagged household holding 低保.
    both = await listing(flagged=True, programme=epb.CLASSIFICATION_DIBAO)
    assert [h.id for h in both.households] == [approved.household_id]
    assert (await listing(flagged=True, region_code=VILLAGE_2)).page_info.total_count == 3
    # Keyset paging intact: two at a time, each page continuing after the last cursor.
    seen: list[str] = []
    token = ""
    while True:
        page = await listing(flagged=True, page=common_pb2.PageRequest(page_size=2, page_token=token))
        seen += [h.id for h in page.households]
        assert page.page_info.total_count == 5
        token = page.page_info.next_page_token
        if not token:
            break
    assert seen == [h.id for h in ordered]
    # Handling the last open flags takes a household off the list.
    await apps.execute(f"UPDATE household_flag SET status = 'handled' WHERE household_id = '{flagged[0].id}'")
    assert flagged[0].id not in [h.id for h in (await listing(flagged=True)).households]


async def test_a_batch_read_brings_a_page_of_households_with_their_files_grants_and_first_pages(
    apps: Apps,
) -> None:
    approved = await granted(apps)
    pending = await dibao_household(apps, first_sequence=501)
    first = await submit(apps, pending.id)
    await review(apps, first.id)
    await reject(apps, first.id)
    apps.clock.now = NOW + timedelta(hours=1)  # submitted later: newer
    second = await submit(apps, pending.id, "medical")  # a second application on the household
    elsewhere = await dibao_household(apps, first_sequence=511, region=OTHER_VILLAGE)
    flags = [await _flag(apps, n, pending, raised=f"2024-09-0{n} 08:00:00") for n in (1, 2, 3)]
    await _flag(apps, 4, pending, status="handled", raised="2024-09-04 08:00:00")
    ids = [pending.id, approved.household_id, elsewhere.id, "no-such-household", pending.id]
    request = pb.BatchGetHouseholdsRequest(
        ids=ids,
        with_file=True,
        with_grants=True,
        applications=pb.ApplicationsWanted(page_size=1),
        flags=pb.FlagsWanted(status=dpb.FLAG_STATUS_OPEN, page_size=2),
    )
    reply = await apps.households.BatchGetHouseholds(request, metadata=md(ADMIN))
    # In the order asked, each once, the unknown id left out.
    assert [b.household.id for b in reply.households] == [pending.id, approved.household_id, elsewhere.id]
    mine, holder, _ = reply.households
    assert len(mine.household.incomes) == 1 and mine.household.incomes[0].amount_fen == 1_200_000
    assert [m.name for m in mine.household.members] == ["李明", "李小红"]
    assert list(mine.grants) == [] and [g.id for g in holder.grants] == [approved.grants[0].id]
    # Applications newest first, one per page, with the household's total and a cursor to continue.
    assert [a.id for a in mine.applications.applications] == [second.id]
    assert mine.applications.page_info.total_count == 2 and mine.applications.page_info.next_page_token
    rest = await apps.applications.ListApplications(
        apb.ListApplicationsRequest(
            household_id=pending.id, page=common_pb2.PageRequest(page_token=mine.applications.cursors[-1])
        ),
        metadata=md(ADMIN),
    )
    assert [a.id for a in rest.applications] == [first.id]
    assert [a.id for a in holder.applications.applications] == [approved.id]
    assert (
        holder.applications.page_info.total_count == 1 and not holder.applications.page_info.next_page_token
    )
    # Open flags oldest first, two per page, three in all.
    assert [f.id for f in mine.flags.flags] == flags[:2]
    assert mine.flags.page_info.total_count == 3 and mine.flags.page_info.next_page_token
    assert list(holder.flags.flags) == [] and holder.flags.page_info.total_count == 0
    # Only what was asked for: without the file, no incomes and no past members; no grants.
    bare = await apps.households.BatchGetHouseholds(
        pb.BatchGetHouseholdsRequest(ids=[pending.id]), metadata=md(ADMIN)
    )
    [only] = bare.households
    assert list(only.household.incomes) == [] and list(only.grants) == [] and not only.HasField("flags")
    # Region scoping: the town officer does not get the other town's household.
    scoped = await apps.households.BatchGetHouseholds(request, metadata=md(TOWN_OFFICER))
    assert [b.household.id for b in scoped.households] == [pending.id, approved.household_id]


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (pb.BatchGetHouseholdsRequest(), {"ids"}),
        (pb.BatchGetHouseholdsRequest(ids=[" "]), {"ids"}),
        (pb.BatchGetHouseholdsRequest(ids=[f"h{i}" for i in range(101)]), {"ids"}),
        (
            pb.BatchGetHouseholdsRequest(
                ids=["h"],
                applications=pb.ApplicationsWanted(state=99, page_size=-1),
                flags=pb.FlagsWanted(status=99),
            ),
            {"applications.state", "applications.page_size", "flags.status"},
        ),
    ],
)
async def test_a_bad_batch_read_names_the_fields(
    relief: Relief, request_: pb.BatchGetHouseholdsRequest, fields: set[str]
) -> None:
    error = await rpc_error(relief.households.BatchGetHouseholds(request_, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == fields
