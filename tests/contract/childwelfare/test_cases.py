"""Protection cases (五位一体) over gRPC: mandatory reports, steps, conferences, the 24 h escalation.

Real service, real socket, both databases, real NATS; the service's clock is moved by the tests.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, timedelta

import grpc
import pytest
from minzheng.childwelfare.v1 import protection_pb2 as pb
from minzheng.childwelfare.v1.protection_pb2_grpc import ProtectionCaseServiceStub

from services.childwelfare import demo_cases
from services.childwelfare.case_jobs import JOB_NAME, EscalationResult, escalation_event_id
from services.kit.auth import Role
from services.kit.idcard import make_id_number, mask_id_number
from tests.contract.childwelfare.conftest import (
    ADMIN,
    CODEC,
    DIRECTOR,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN,
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
from tests.event_watch import EventWatcher, watching

HOTLINE = CODEC.mint("hotline-operator", roles=[Role.HOTLINE], regions=["330109"])
OPENED = "civic.childwelfare.protection-case-opened.v1"
CLOSED = "civic.childwelfare.protection-case-closed.v1"
ESCALATED = "civic.childwelfare.protection-case-escalated.v1"


def stub(cw: ChildWelfare) -> ProtectionCaseServiceStub:
    return ProtectionCaseServiceStub(cw.channel)


async def report(
    cw: ChildWelfare,
    *,
    token: str = DIRECTOR,
    name: str = "小明",
    id_number: str = "",
    region: str = VILLAGE,
    child_id: str = "",
) -> pb.ProtectionCase:
    """File a mandatory report."""
    return await stub(cw).ReportConcern(
        pb.ReportConcernRequest(
            child_id=child_id,
            child_name="" if child_id else name,
            id_number=id_number,
            region_code="" if child_id else region,
            source=pb.REPORT_SOURCE_SCHOOL,
            concern=pb.CONCERN_KIND_NEGLECT,
            description="班主任发现孩子连续三天无人接送、衣着单薄",
            informant="湘湖小学 王老师",
        ),
        metadata=md(token),
    )


async def advance(
    cw: ChildWelfare, case_id: str, to: int, *, token: str = TOWN_OFFICER, **more: object
) -> pb.ProtectionCase:
    """Take one step."""
    request = pb.AdvanceCaseRequest(case_id=case_id, to_state=to, note=more.pop("note", "见面评估"), **more)  # type: ignore[arg-type]
    return await stub(cw).AdvanceCase(request, metadata=md(token))


GUARDIANSHIP = {
    "intervention": pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP,
    "placement": pb.Placement(
        kind=pb.PLACEMENT_KIND_INSTITUTION, name="萧山区未成年人救助保护中心", start_on="2025-06-16"
    ),
}


async def run_escalation(cw: ChildWelfare) -> EscalationResult:
    """Run the service's own escalation job once, as its scheduler would."""
    assert cw.process.ctx is not None
    [job] = [j for j in cw.process.spec.jobs(cw.process.ctx) if j.name == JOB_NAME]
    result = await job.run()
    assert isinstance(result, EscalationResult)
    return result


@pytest.fixture
async def watch(cw: ChildWelfare) -> AsyncIterator[EventWatcher]:
    """What the service publishes from now on."""
    async with watching(cw.nats_url, "civic.childwelfare.>") as watcher:
        yield watcher


async def test_a_report_is_assessed_put_in_temporary_guardianship_monitored_and_closed_with_events(
    cw: ChildWelfare, watch: EventWatcher
) -> None:
    number = child_number(201)
    opened = await report(cw, id_number=number)
    assert opened.state == pb.CASE_STATE_REPORTED and opened.reported_by == "director-xianghu"
    assert opened.id_number == mask_id_number(number)  # a village director sees it masked
    assert list(opened.allowed_next) == [pb.CASE_STATE_ASSESSING]
    msg = await watch.message(OPENED, opened.id)
    event = json.loads(msg.data)
    assert event["data"]["child_id_masked"] == mask_id_number(number) and number not in msg.data.decode()
    assert event["data"]["source"] == "school" and event["data"]["region_code"] == VILLAGE

    cw.clock.now += timedelta(hours=3)
    assessing = await advance(cw, opened.id, pb.CASE_STATE_ASSESSING, note="镇未保站上门核实")
    assert assessing.responded_at.ToDatetime() == cw.clock.now.replace(tzinfo=None)
    conference = await stub(cw).RecordConference(
        pb.RecordConferenceRequest(
            case_id=opened.id,
            held_on="2025-06-15",
            participants=["王警官 (城厢派出所)", "李主任 (湘湖社区)", "张老师 (湘湖小学)"],
            decisions="父母外出失联，由区救助保护中心临时监护",
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert [c.participants[0] for c in conference.conferences] == ["王警官 (城厢派出所)"]
    cw.clock.now += timedelta(days=1)
    placed = await advance(cw, opened.id, pb.CASE_STATE_INTERVENTION, note="启动临时监护", **GUARDIANSHIP)
    assert placed.intervention == pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP
    assert placed.placement.name == "萧山区未成年人救助保护中心" and placed.placement.start_on == "2025-06-16"
    await advance(cw, opened.id, pb.CASE_STATE_MONITORING, note="安置稳定，每周回访")
    closed = await advance(
        cw, opened.id, pb.CASE_STATE_CLOSED, note="父亲返乡，监护恢复", close_reason=pb.CLOSE_REASON_RESOLVED
    )
    assert closed.state == pb.CASE_STATE_CLOSED and closed.close_reason == pb.CLOSE_REASON_RESOLVED
    assert [s.to_state for s in closed.steps] == [
        pb.CASE_STATE_REPORTED,
        pb.CASE_STATE_ASSESSING,
        pb.CASE_STATE_INTERVENTION,
        pb.CASE_STATE_MONITORING,
        pb.CASE_STATE_CLOSED,
    ]
    assert [s.actor for s in closed.steps][1:] == ["chengxiang-officer"] * 4
    assert list(closed.allowed_next) == []
    msg = await watch.message(CLOSED, opened.id)
    data = json.loads(msg.data)["data"]
    assert data["closed_from"] == "monitoring" and data["close_reason"] == "resolved"
    assert data["interventions"] == ["temporary_guardianship"] and data["temporary_guardianship"] is True
    assert data["conferences"] == 1 and number not in msg.data.decode()
    # Admins see the number in clear; a closed case takes no more steps or conferences.
    full = await stub(cw).GetCase(pb.GetCaseRequest(id=opened.id), metadata=md(ADMIN))
    assert full.id_number == number
    error = await rpc_error(advance(cw, opened.id, pb.CASE_STATE_MONITORING))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_an_assessment_finding_no_need_closes_the_case_with_that_reason_only(
    cw: ChildWelfare,
) -> None:
    case = await report(cw, token=HOTLINE)
    await advance(cw, case.id, pb.CASE_STATE_ASSESSING)
    error = await rpc_error(advance(cw, case.id, pb.CASE_STATE_CLOSED, close_reason=pb.CLOSE_REASON_RESOLVED))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION and "close_reason" in (error.details() or "")
    closed = await advance(
        cw, case.id, pb.CASE_STATE_CLOSED, note="核实为误报", close_reason=pb.CLOSE_REASON_NO_PROTECTION_NEED
    )
    assert closed.state == pb.CASE_STATE_CLOSED and len(closed.steps) == 3


async def test_a_registered_child_is_linked_by_id_or_by_id_number(cw: ChildWelfare) -> None:
    number = child_number(202)
    child = await register(cw, number, name="萧小芽")
    by_id = await report(cw, token=TOWN_OFFICER, child_id=child.id)
    assert by_id.child_id == child.id and by_id.child_name == "萧小芽" and by_id.region_code == VILLAGE
    by_number = await report(cw, token=HOTLINE, name="萧小芽", id_number=number)
    assert by_number.child_id == child.id
    unknown = await report(cw, name="流浪儿童 (姓名不详)")
    assert unknown.child_id == "" and unknown.id_number == ""


async def test_a_link_to_a_child_registered_elsewhere_is_shown_only_to_who_may_see_that_file(
    cw: ChildWelfare,
) -> None:
    number = child_number(203)
    elsewhere = await register(cw, number, region=OTHER_VILLAGE, name="萧小禾")
    reported = await report(cw, token=DIRECTOR, name="萧小禾", id_number=number)
    assert reported.region_code == VILLAGE and reported.child_id == ""  # not "registered elsewhere"
    seen_by_district = await stub(cw).GetCase(pb.GetCaseRequest(id=reported.id), metadata=md(ADMIN))
    assert seen_by_district.child_id == elsewhere.id


async def test_a_child_registered_after_a_report_is_linked_to_it(cw: ChildWelfare) -> None:
    number = child_number(204)
    before = await report(cw, token=HOTLINE, name="流浪儿童 小石", id_number=number)
    assert before.child_id == ""
    child = await register(cw, number, name="萧小石")
    after = await stub(cw).GetCase(pb.GetCaseRequest(id=before.id), metadata=md(ADMIN))
    assert after.child_id == child.id
    assert await cw.count(f"audit_log WHERE action = 'case.link-child' AND target = '{before.id}'") == 1


async def test_an_unanswered_report_is_escalated_once_after_24_hours(
    cw: ChildWelfare, watch: EventWatcher
) -> None:
    late = await report(cw)
    answered = await report(cw, name="小红")
    await advance(cw, answered.id, pb.CASE_STATE_ASSESSING)
    cw.clock.now += timedelta(hours=23, minutes=59)
    assert await run_escalation(cw) == EscalationResult(0, 0)
    cw.clock.now += timedelta(hours=2)
    overdue = await stub(cw).ListCases(pb.ListCasesRequest(response_overdue=True), metadata=md(VIEWER))
    assert [c.id for c in overdue.cases] == [late.id] and overdue.cases[0].response_overdue
    assert await run_escalation(cw) == EscalationResult(1, 1)
    msg = await watch.message(ESCALATED, late.id)
    body = json.loads(msg.data)
    assert body["id"] == escalation_event_id(late.id)
    assert body["data"]["hours_overdue"] == 1 and body["data"]["town_code"] == TOWN
    # Re-runs, and two runs at once (as two replicas would), escalate nothing more.
    assert await run_escalation(cw) == EscalationResult(0, 0)
    assert sum(r.escalated for r in await asyncio.gather(run_escalation(cw), run_escalation(cw))) == 0
    assert await watch.all_of(ESCALATED) == []
    assert await cw.count("case_escalation") == 1
    shown = await stub(cw).GetCase(pb.GetCaseRequest(id=late.id), metadata=md(DIRECTOR))
    assert shown.HasField("escalated_at") and shown.response_overdue
    # Responding late ends "overdue" but the escalation stays on record.
    responded = await advance(cw, late.id, pb.CASE_STATE_ASSESSING)
    assert not responded.response_overdue and responded.HasField("escalated_at")


async def test_two_scans_at_once_escalate_a_new_report_exactly_once(
    cw: ChildWelfare, watch: EventWatcher
) -> None:
    case = await report(cw)
    cw.clock.now += timedelta(hours=30)
    results = await asyncio.gather(run_escalation(cw), run_escalation(cw), run_escalation(cw))
    assert sum(r.escalated for r in results) == 1
    await watch.message(ESCALATED, case.id)
    assert await watch.all_of(ESCALATED) == []
    assert (
        await cw.count("case_escalation") == 1 and await cw.count(f"outbox WHERE type = '{ESCALATED}'") == 1
    )


async def test_bad_steps_are_refused_naming_the_field_and_nothing_is_written(cw: ChildWelfare) -> None:
    case = await report(cw)
    steps = await cw.count("case_step")
    error = await rpc_error(
        advance(cw, case.id, pb.CASE_STATE_CLOSED, close_reason=pb.CLOSE_REASON_NO_PROTECTION_NEED)
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert (error.details() or "").startswith("to_state:") and "allowed: assessing" in (error.details() or "")
    await advance(cw, case.id, pb.CASE_STATE_ASSESSING)
    steps += 1
    no_placement = await rpc_error(
        advance(
            cw, case.id, pb.CASE_STATE_INTERVENTION, intervention=pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP
        )
    )
    assert no_placement.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(no_placement) == {"placement"}
    half = await rpc_error(
        advance(
            cw,
            case.id,
            pb.CASE_STATE_INTERVENTION,
            note="",
            intervention=pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP,
            placement=pb.Placement(kind=pb.PLACEMENT_KIND_PERSON, start_on="2025-07-01"),
        )
    )
    assert violated_fields(half) == {"note", "placement.name", "placement.start_on"}
    stray = await rpc_error(
        advance(cw, case.id, pb.CASE_STATE_MONITORING, intervention=pb.INTERVENTION_KIND_FAMILY_SUPPORT)
    )
    assert violated_fields(stray) == {"intervention"}
    unknown = await rpc_error(advance(cw, case.id, 99))
    assert violated_fields(unknown) == {"to_state"}
    before_report = await rpc_error(
        advance(
            cw,
            case.id,
            pb.CASE_STATE_INTERVENTION,
            intervention=pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP,
            placement=pb.Placement(kind=pb.PLACEMENT_KIND_PERSON, name="外婆 陈某", start_on="2025-06-01"),
        )
    )
    assert violated_fields(before_report) == {"placement.start_on"}
    assert await cw.count("case_step") == steps
    shown = await stub(cw).GetCase(pb.GetCaseRequest(id=case.id), metadata=md(TOWN_OFFICER))
    assert shown.state == pb.CASE_STATE_ASSESSING and shown.intervention == pb.INTERVENTION_KIND_UNSPECIFIED


async def test_bad_reports_are_refused_naming_the_field_and_nothing_is_written(cw: ChildWelfare) -> None:
    wrong_check = child_number(203)[:-1] + ("0" if child_number(203)[-1] != "0" else "1")
    invalid = await rpc_error(report(cw, id_number=wrong_check))
    assert invalid.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(invalid) == {"id_number"}
    adult = make_id_number(area_code="330109", birth_date=cw.clock.now.date().replace(year=2000), sequence=5)
    assert violated_fields(await rpc_error(report(cw, id_number=adult))) == {"id_number"}
    empty = await rpc_error(stub(cw).ReportConcern(pb.ReportConcernRequest(), metadata=md(DIRECTOR)))
    assert violated_fields(empty) == {"child_name", "region_code", "source", "concern", "description"}
    outside = await rpc_error(report(cw, region=OTHER_VILLAGE))
    assert outside.code() == grpc.StatusCode.PERMISSION_DENIED and "region_code" in (outside.details() or "")
    viewer = await rpc_error(report(cw, token=VIEWER))
    assert viewer.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await cw.count("protection_case") == 0 and await cw.count("case_step") == 0
    assert await cw.count("outbox") == 0


async def test_cases_are_scoped_to_the_callers_regions_and_steps_to_officers(cw: ChildWelfare) -> None:
    case = await report(cw, name="小刚")
    elsewhere = await report(cw, token=ADMIN, name="小强", region=OTHER_VILLAGE)
    for call in (
        stub(cw).GetCase(pb.GetCaseRequest(id=case.id), metadata=md(OTHER_TOWN_OFFICER)),
        advance(cw, case.id, pb.CASE_STATE_ASSESSING, token=OTHER_TOWN_OFFICER),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    for token in (DIRECTOR, VIEWER, HOTLINE):
        error = await rpc_error(advance(cw, case.id, pb.CASE_STATE_ASSESSING, token=token))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    mine = await stub(cw).ListCases(pb.ListCasesRequest(), metadata=md(TOWN_OFFICER))
    assert [c.id for c in mine.cases] == [case.id] and mine.page_info.total_count == 1
    theirs = await stub(cw).ListCases(pb.ListCasesRequest(), metadata=md(OTHER_TOWN_OFFICER))
    assert [c.id for c in theirs.cases] == [elsewhere.id]
    refused = await rpc_error(
        stub(cw).ListCases(pb.ListCasesRequest(region_code=OTHER_VILLAGE), metadata=md(TOWN_OFFICER))
    )
    assert refused.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_cases_list_newest_first_by_pages_and_filter_by_state(cw: ChildWelfare) -> None:
    ids = []
    for i in range(3):
        ids.append((await report(cw, name=f"孩子{i}")).id)
        cw.clock.now += timedelta(minutes=5)
    await advance(cw, ids[0], pb.CASE_STATE_ASSESSING)
    seen, token = [], ""
    while True:
        page = await stub(cw).ListCases(
            pb.ListCasesRequest(region_code=TOWN, page={"page_size": 2, "page_token": token}),
            metadata=md(VIEWER),
        )
        seen += [c.id for c in page.cases]
        token = page.page_info.next_page_token
        if not token:
            break
    assert seen == ids[::-1]
    assessing = await stub(cw).ListCases(
        pb.ListCasesRequest(state=pb.CASE_STATE_ASSESSING), metadata=md(VIEWER)
    )
    assert [c.id for c in assessing.cases] == [ids[0]]
    bad = await rpc_error(
        stub(cw).ListCases(pb.ListCasesRequest(page={"page_token": "nope"}), metadata=md(VIEWER))
    )
    assert violated_fields(bad) == {"page.page_token"}


async def test_a_conference_needs_two_participants_a_past_day_and_decisions(cw: ChildWelfare) -> None:
    case = await report(cw)
    error = await rpc_error(
        stub(cw).RecordConference(
            pb.RecordConferenceRequest(case_id=case.id, held_on="2025-07-01", participants=["王警官"]),
            metadata=md(TOWN_OFFICER),
        )
    )
    assert violated_fields(error) == {"held_on", "participants", "decisions"}
    assert await cw.count("case_conference") == 0


async def test_a_report_logged_late_keeps_its_own_time_and_deadline(cw: ChildWelfare) -> None:
    called = cw.clock.now - timedelta(hours=30)
    request = pb.ReportConcernRequest(
        child_name="小军",
        region_code=VILLAGE,
        source=pb.REPORT_SOURCE_HOTLINE,
        concern=pb.CONCERN_KIND_UNATTENDED,
        description="夜间热线来电，次日补录",
    )
    request.reported_at.FromDatetime(called)
    case = await stub(cw).ReportConcern(request, metadata=md(HOTLINE))
    assert case.reported_at.ToDatetime(tzinfo=UTC) == called and case.response_overdue
    assert await run_escalation(cw) == EscalationResult(1, 1)
    request.reported_at.FromDatetime(cw.clock.now + timedelta(minutes=5))
    future = await rpc_error(stub(cw).ReportConcern(request, metadata=md(HOTLINE)))
    assert violated_fields(future) == {"reported_at"}
    assert await cw.count("protection_case") == 1


async def test_the_demo_cases_load_once_and_show_one_escalation(cw: ChildWelfare) -> None:
    await demo_cases.load(cw.channel, CODEC, today=cw.clock.now.date())
    await demo_cases.load(cw.channel, CODEC, today=cw.clock.now.date())
    listed = await stub(cw).ListCases(pb.ListCasesRequest(), metadata=md(ADMIN))
    states = sorted(pb.CaseState.Name(c.state) for c in listed.cases)
    assert len(states) == 6 and "CASE_STATE_CLOSED" in states and "CASE_STATE_MONITORING" in states
    assert [c.child_name for c in listed.cases if c.response_overdue] == ["周小雨"]
    assert await run_escalation(cw) == EscalationResult(1, 1)
    assert await run_escalation(cw) == EscalationResult(0, 0)
    assert await cw.count("case_escalation") == 1
