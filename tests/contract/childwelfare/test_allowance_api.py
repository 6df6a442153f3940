"""The allowance RPCs over gRPC: RunAllowances, ListAllowanceRuns, ListAllowancePayments (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import grpc
import pytest
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.childwelfare.allowances import PROGRAMME
from services.kit.auth import Role
from services.kit.payments import run_id
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

SINCE = "2025-05-02"
SCATTERED = pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED
INSTITUTION = pb.PROTECTION_CATEGORY_ORPHAN_INSTITUTION
DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=["330109"])


def _at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def _run(cw: ChildWelfare, period: str = "", token: str = ADMIN) -> pb.AllowanceRun:
    return await cw.stub.RunAllowances(pb.RunAllowancesRequest(period=period), metadata=md(token))


async def _payments(cw: ChildWelfare, token: str, **request: object) -> list[pb.AllowancePayment]:
    """Every payment the token sees with the filters, a page of one at a time (the cursors resume)."""
    found: list[pb.AllowancePayment] = []
    page_token = ""
    while True:
        reply = await cw.stub.ListAllowancePayments(
            pb.ListAllowancePaymentsRequest(**request, page={"page_size": 1, "page_token": page_token}),  # type: ignore[arg-type]
            metadata=md(token),
        )
        found.extend(reply.payments)
        assert len(reply.cursors) == len(reply.payments)
        page_token = reply.page_info.next_page_token
        if not page_token:
            return found


async def test_running_a_month_pays_and_reports_it_and_a_rerun_pays_nobody_twice(cw: ChildWelfare) -> None:
    await register(cw, child_number(1), category=SCATTERED, since=SINCE)
    await register(cw, child_number(2), category=INSTITUTION, since=SINCE)
    await register(cw, child_number(3), since=SINCE)  # left-behind: no standard, counted as skipped
    cw.clock.now = _at(date(2025, 7, 10))

    run = await _run(cw)  # the current month by default
    assert run.period == "2025-07" and run.sequence == 1 and run.id == run_id(PROGRAMME, "2025-07", 1)
    assert run.paid_count == 2 and run.paid_fen == 462800 and run.paid_yuan == "4628.00"
    assert run.HasField("finished_at") and run.event_published and run.reported_count == 2
    assert [(c.category, c.children, c.amount_yuan) for c in run.paid_by_category] == [
        (INSTITUTION, 1, "2571.00"),
        (SCATTERED, 1, "2057.00"),
    ]
    assert [(s.category, s.children) for s in run.skipped_by_category] == [
        (pb.PROTECTION_CATEGORY_LEFT_BEHIND, 1)
    ]

    again = await _run(cw, "2025-07", token=DISTRICT_OFFICER)
    assert again.sequence == 2 and again.paid_count == 0 and not again.event_published
    june = await _run(cw, "2025-06")  # a past month may be paid late
    assert june.paid_count == 2
    assert await cw.count("allowance_payment") == 4

    listed = await cw.stub.ListAllowanceRuns(pb.ListAllowanceRunsRequest(), metadata=md(VIEWER))
    assert [(r.period, r.sequence) for r in listed.runs] == [("2025-07", 2), ("2025-07", 1), ("2025-06", 1)]
    assert listed.page_info.total_count == 3 and listed.runs[0].paid_yuan == "0.00"
    first = await cw.stub.ListAllowanceRuns(
        pb.ListAllowanceRunsRequest(period="2025-07", page={"page_size": 1}), metadata=md(ADMIN)
    )
    rest = await cw.stub.ListAllowanceRuns(
        pb.ListAllowanceRunsRequest(period="2025-07", page={"page_token": first.page_info.next_page_token}),
        metadata=md(ADMIN),
    )
    assert [r.sequence for r in first.runs] + [r.sequence for r in rest.runs] == [2, 1]
    assert not rest.page_info.next_page_token and first.cursors[0] == first.page_info.next_page_token


@pytest.mark.parametrize(
    ("period", "why"),
    [("2025-08", "must not be after the current month"), ("2025-7", "YYYY-MM"), ("2025-13", "YYYY-MM")],
)
async def test_a_future_or_malformed_month_is_refused_naming_period_and_nothing_is_written(
    cw: ChildWelfare, period: str, why: str
) -> None:
    await register(cw, child_number(5), category=SCATTERED, since=SINCE)
    cw.clock.now = _at(date(2025, 7, 31))
    error = await rpc_error(_run(cw, period))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"period"}
    assert why in (error.details() or "")
    assert await cw.count("allowance_run") == 0 and await cw.count("allowance_payment") == 0


async def test_only_the_bureau_runs_allowances_and_reads_the_runs(cw: ChildWelfare) -> None:
    await register(cw, child_number(6), category=SCATTERED, since=SINCE)
    for token in (TOWN_OFFICER, DIRECTOR, VIEWER):
        error = await rpc_error(_run(cw, "2025-06", token=token))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(cw.stub.ListAllowanceRuns(pb.ListAllowanceRunsRequest(), metadata=md(DIRECTOR)))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    # A run pays the whole district and its totals are district-wide: a town-scoped admin may do neither.
    town_admin = CODEC.mint("town-admin", roles=[Role.ADMIN], regions=[TOWN])
    town_viewer = CODEC.mint("town-cockpit", roles=[Role.VIEWER], regions=[TOWN])
    error = await rpc_error(_run(cw, "2025-06", token=town_admin))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED and "330109" in (error.details() or "")
    error = await rpc_error(
        cw.stub.ListAllowanceRuns(pb.ListAllowanceRunsRequest(), metadata=md(town_viewer))
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await cw.count("allowance_run") == 0 and await cw.count("allowance_payment") == 0


async def test_payments_are_listed_with_their_standard_only_inside_the_callers_regions(
    cw: ChildWelfare,
) -> None:
    here = await register(cw, child_number(7), category=SCATTERED, since=SINCE)
    there = await register(cw, child_number(8), category=INSTITUTION, since=SINCE, region=OTHER_VILLAGE)
    cw.clock.now = _at(date(2025, 8, 5))
    await _run(cw, "2025-07")
    await _run(cw, "2025-08")

    mine = await _payments(cw, TOWN_OFFICER)
    assert [(p.child_id, p.period) for p in mine] == [(here.id, "2025-08"), (here.id, "2025-07")]
    assert mine[0].amount_fen == 205700 and mine[0].amount_yuan == "2057.00"
    assert mine[0].category == SCATTERED and mine[0].region_code == VILLAGE
    assert (mine[0].standard_key, mine[0].standard_effective_from) == ("orphan_scattered", "2020-01-01")
    assert mine[0].run_id == run_id(PROGRAMME, "2025-08", 1) and mine[0].HasField("paid_at")
    assert [p.child_id for p in await _payments(cw, OTHER_TOWN_OFFICER)] == [there.id, there.id]
    assert len(await _payments(cw, ADMIN)) == 4
    assert len(await _payments(cw, ADMIN, period="2025-07")) == 2
    assert [p.period for p in await _payments(cw, ADMIN, child_id=there.id, period="2025-08")] == ["2025-08"]
    assert [p.child_id for p in await _payments(cw, ADMIN, region_code=OTHER_VILLAGE)] == [there.id, there.id]

    # Another town's child does not exist for this caller; neither does an unknown one.
    for child_id in (there.id, "no-such-child"):
        error = await rpc_error(_payments(cw, TOWN_OFFICER, child_id=child_id))
        assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(_payments(cw, TOWN_OFFICER, region_code=OTHER_VILLAGE))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED

    batch = await cw.stub.ListAllowancePayments(
        pb.ListAllowancePaymentsRequest(child_ids=[here.id, there.id], page={"page_size": 1}),
        metadata=md(TOWN_OFFICER),
    )
    [mine_page, theirs] = batch.pages
    assert mine_page.child_id == here.id and [p.period for p in mine_page.payments] == ["2025-08"]
    assert (
        mine_page.page_info.total_count == 2 and mine_page.page_info.next_page_token == mine_page.cursors[0]
    )
    assert theirs.child_id == there.id and not theirs.payments  # outside the caller's regions: nothing


@pytest.mark.parametrize(
    ("request_fields", "fields"),
    [
        ({"period": "July"}, {"period"}),
        ({"region_code": "33010900100"}, {"region_code"}),
        ({"child_id": "a", "child_ids": ["b"]}, {"child_ids"}),
        ({"child_ids": ["a"], "page": {"page_token": "x"}}, {"page.page_token"}),
        ({"page": {"page_token": "not-ours"}}, {"page.page_token"}),
        ({"child_id": "a", "region_code": VILLAGE, "period": "2025-13"}, {"region_code", "period"}),
    ],
)
async def test_bad_payment_listings_name_every_bad_field(
    cw: ChildWelfare, request_fields: dict[str, object], fields: set[str]
) -> None:
    error = await rpc_error(
        cw.stub.ListAllowancePayments(pb.ListAllowancePaymentsRequest(**request_fields), metadata=md(ADMIN))  # type: ignore[arg-type]
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == fields
