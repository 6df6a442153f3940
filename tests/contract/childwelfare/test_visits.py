"""Monthly home visits: who may record them, overdue computed from the data, and compliance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR,
    DIRECTOR_2,
    NEW_DIRECTOR,
    SUPERVISOR,
    TOWN,
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
    visit,
)


def _at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def _network(cw: ChildWelfare) -> None:
    await assign_director(cw, VILLAGE, "director-xianghu")
    await assign_director(cw, VILLAGE_2, "director-yujiatan")
    await cw.stub.AssignSupervisor(
        pb.AssignSupervisorRequest(region_code=TOWN, subject="supervisor-cx", name="周督导"),
        metadata=md(ADMIN),
    )


async def test_the_director_records_a_visit_and_the_childs_clock_moves(cw: ChildWelfare) -> None:
    await _network(cw)
    child = await register(cw, child_number(41), since="2025-05-02")
    recorded = await visit(cw, child.id, "2025-06-14", risk=pb.RISK_LEVEL_MEDIUM)
    assert recorded.visited_by == "director-xianghu" and recorded.region_code == VILLAGE
    assert recorded.risk_level == pb.RISK_LEVEL_MEDIUM and recorded.schooling == "attends grade 4"
    got = await cw.stub.GetChild(pb.GetChildRequest(id=child.id), metadata=md(ADMIN))
    assert got.last_visit_on == "2025-06-14" and got.visit_due_on == "2025-07-31" and not got.visit_overdue
    # A visit entered late for an earlier day never moves the clock back.
    await visit(cw, child.id, "2025-05-20", token=SUPERVISOR)
    got = await cw.stub.GetChild(pb.GetChildRequest(id=child.id), metadata=md(ADMIN))
    assert got.last_visit_on == "2025-06-14"
    listed = await cw.stub.ListVisits(pb.ListVisitsRequest(child_id=child.id), metadata=md(DIRECTOR))
    assert [v.visited_on for v in listed.visits] == ["2025-06-14", "2025-05-20"]


async def test_a_visit_in_the_future_is_invalid_naming_visited_on(cw: ChildWelfare) -> None:
    await _network(cw)
    child = await register(cw, child_number(42))
    for bad in ("2025-06-16", "not a date", ""):
        error = await rpc_error(visit(cw, child.id, bad))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"visited_on"}
    error = await rpc_error(visit(cw, child.id, "2025-06-15", risk=pb.RISK_LEVEL_UNSPECIFIED))
    assert violated_fields(error) == {"risk_level"}
    assert await cw.count("visit") == 0 and await cw.count("outbox") == 1  # only child-registered


async def test_only_the_responsible_director_or_supervisor_records_visits(cw: ChildWelfare) -> None:
    await _network(cw)
    child = await register(cw, child_number(43))
    for token in (DIRECTOR_2, ADMIN, NEW_DIRECTOR):
        error = await rpc_error(visit(cw, child.id, "2025-06-15", token=token))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "responsible" in (error.details() or "")
    await visit(cw, child.id, "2025-06-15", token=SUPERVISOR)
    # After reassignment the former director is no longer responsible; the new one is.
    await assign_director(cw, VILLAGE, "director-xianghu-2")
    error = await rpc_error(visit(cw, child.id, "2025-06-15", token=DIRECTOR))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    await visit(cw, child.id, "2025-06-15", token=NEW_DIRECTOR)
    assert await cw.count("visit") == 2


async def test_overdue_is_computed_from_the_last_visit_and_the_cadence(cw: ChildWelfare) -> None:
    await _network(cw)
    visited = await register(cw, child_number(44), since="2025-05-02")
    never = await register(cw, child_number(45), since="2025-05-02")
    no_visits_needed = await register(
        cw, child_number(46), since="2025-01-02", category=pb.PROTECTION_CATEGORY_DIBAO_FAMILY
    )
    await visit(cw, visited.id, "2025-06-10")
    # Monthly by calendar month: a May start is due by 30 June; on 1 July it is overdue.
    cw.clock.now = _at(date(2025, 6, 30))
    assert await children(cw, visit_overdue=True) == []
    cw.clock.now = _at(date(2025, 7, 1))
    assert [c.id for c in await children(cw, visit_overdue=True)] == [never.id]
    cw.clock.now = _at(date(2025, 8, 1))
    late = {c.id: c for c in await children(cw, visit_overdue=True)}
    assert set(late) == {visited.id, never.id} and late[visited.id].visit_due_on == "2025-07-31"
    assert no_visits_needed.id not in late
    # Visiting brings the child back on time at once: nothing was stored as "overdue".
    await visit(cw, never.id, "2025-08-01")
    assert [c.id for c in await children(cw, visit_overdue=True)] == [visited.id]
    assert [c.id for c in await children(cw, visit_overdue=True, token=DIRECTOR_2)] == []


async def test_compliance_per_village_town_and_director(cw: ChildWelfare) -> None:
    await _network(cw)
    a = await register(cw, child_number(51), since="2025-05-02")
    await register(cw, child_number(52), since="2025-05-02")
    c = await register(cw, child_number(53), region=VILLAGE_2, since="2025-05-02")
    await register(cw, child_number(54), region="330109001003", since="2025-05-02")  # no director
    cw.clock.now = _at(date(2025, 7, 5))
    await visit(cw, a.id, "2025-07-01")
    await visit(cw, c.id, "2025-07-01", token=DIRECTOR_2)

    async def rows(group: pb.ComplianceGrouping.ValueType) -> dict[str, tuple[int, int, float | None]]:
        reply = await cw.stub.GetVisitCompliance(
            pb.GetVisitComplianceRequest(group_by=group), metadata=md(ADMIN)
        )
        assert reply.as_of == "2025-07-05"
        return {
            r.key: (r.in_programme, r.overdue, r.rate if r.HasField("rate") else None) for r in reply.rows
        }

    assert await rows(pb.COMPLIANCE_GROUPING_VILLAGE) == {
        VILLAGE: (2, 1, 0.5),
        VILLAGE_2: (1, 0, 1.0),
        "330109001003": (1, 1, 0.0),
    }
    assert await rows(pb.COMPLIANCE_GROUPING_TOWN) == {TOWN: (4, 2, 0.5)}
    assert await rows(pb.COMPLIANCE_GROUPING_DIRECTOR) == {
        "director-xianghu": (2, 1, 0.5),
        "director-yujiatan": (1, 0, 1.0),
        "": (1, 1, 0.0),
    }
    mine = await cw.stub.GetVisitCompliance(pb.GetVisitComplianceRequest(), metadata=md(DIRECTOR))
    assert [(r.key, r.in_programme) for r in mine.rows] == [(VILLAGE, 2)] and mine.total.rate == 0.5


async def test_visits_are_paged_newest_first_and_each_visit_has_its_own_cursor(cw: ChildWelfare) -> None:
    await _network(cw)
    child = await register(cw, child_number(61), since="2025-01-02")
    days = ["2025-03-01", "2025-06-01", "2025-04-01", "2025-06-01", "2025-05-01"]
    for day in days:
        await visit(cw, child.id, day)

    async def page(token: str = "", size: int = 2) -> pb.ListVisitsResponse:
        return await cw.stub.ListVisits(
            pb.ListVisitsRequest(child_id=child.id, page={"page_size": size, "page_token": token}),
            metadata=md(DIRECTOR),
        )

    first = await page()
    assert [v.visited_on for v in first.visits] == ["2025-06-01", "2025-06-01"]
    assert first.visits[0].id < first.visits[1].id and len(first.cursors) == 2
    assert first.page_info.total_count == 5 and first.page_info.next_page_token == first.cursors[-1]
    seen = list(first.visits)
    token = first.page_info.next_page_token
    while token:
        reply = await page(token)
        seen.extend(reply.visits)
        token = reply.page_info.next_page_token
    assert [v.visited_on for v in seen] == sorted(days, reverse=True)
    # Any row's cursor resumes right after that row, even in the middle of a page.
    after_first = await page(first.cursors[0], size=10)
    assert [v.id for v in after_first.visits] == [v.id for v in seen[1:]]
    # A visit recorded meanwhile does not shift what follows a cursor (keyset, not offset).
    await visit(cw, child.id, "2025-06-15")
    assert len((await page(first.cursors[-1], size=10)).visits) == 3


async def test_the_first_visits_of_many_children_come_in_one_call_scoped_to_the_caller(
    cw: ChildWelfare,
) -> None:
    await _network(cw)
    mine = await register(cw, child_number(62), since="2025-01-02")
    quiet = await register(cw, child_number(63), since="2025-01-02")
    theirs = await register(cw, child_number(64), region=VILLAGE_2, since="2025-01-02")
    for day in ("2025-04-01", "2025-05-01", "2025-06-01"):
        await visit(cw, mine.id, day)
    await visit(cw, theirs.id, "2025-06-02", token=DIRECTOR_2)

    reply = await cw.stub.ListVisits(
        pb.ListVisitsRequest(child_ids=[theirs.id, mine.id, quiet.id], page={"page_size": 2}),
        metadata=md(DIRECTOR),
    )
    assert [p.child_id for p in reply.pages] == [theirs.id, mine.id, quiet.id]
    outside, paged, empty = reply.pages
    assert not outside.visits and outside.page_info.total_count == 0  # another village: nothing shown
    assert [v.visited_on for v in paged.visits] == ["2025-06-01", "2025-05-01"]
    assert paged.page_info.total_count == 3 and paged.page_info.next_page_token == paged.cursors[-1]
    rest = await cw.stub.ListVisits(
        pb.ListVisitsRequest(child_id=mine.id, page={"page_token": paged.cursors[-1]}), metadata=md(DIRECTOR)
    )
    assert [v.visited_on for v in rest.visits] == ["2025-04-01"]
    assert not empty.visits and not empty.page_info.next_page_token
    supervisor = await cw.stub.ListVisits(
        pb.ListVisitsRequest(child_ids=[theirs.id]), metadata=md(SUPERVISOR)
    )
    assert [v.visited_on for v in supervisor.pages[0].visits] == ["2025-06-02"]


async def test_bad_visit_listings_name_the_field(cw: ChildWelfare) -> None:
    cases = [
        (pb.ListVisitsRequest(), {"child_id"}),
        (pb.ListVisitsRequest(child_id="a", child_ids=["b"]), {"child_ids"}),
        (pb.ListVisitsRequest(child_ids=["a"], page={"page_token": "x"}), {"page.page_token"}),
        (pb.ListVisitsRequest(child_ids=["a"] * 2 + [""]), {"child_ids"}),
        (pb.ListVisitsRequest(child_ids=[str(i) for i in range(501)]), {"child_ids"}),
        (pb.ListVisitsRequest(child_id="a", page={"page_token": "bm90LW91cnM"}), {"page.page_token"}),
    ]
    for request, fields in cases:
        error = await rpc_error(cw.stub.ListVisits(request, metadata=md(ADMIN)))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == fields
    error = await rpc_error(cw.stub.ListVisits(pb.ListVisitsRequest(child_id="nobody"), metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
