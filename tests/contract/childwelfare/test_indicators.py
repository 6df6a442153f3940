"""Display-centre indicators over real gRPC, on SQLite and PostgreSQL.

The month figures are checked two ways: against the visit rule applied by hand to each child's history,
and, for the month under way, against the service's own compliance report (the two must agree, or the
cockpit and the worklists would contradict each other).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1 import indicators_pb2 as ipb
from minzheng.childwelfare.v1 import protection_pb2 as cpb
from minzheng.childwelfare.v1.indicators_pb2_grpc import ChildWelfareIndicatorServiceStub

from services.childwelfare import rules
from services.childwelfare.allowances import load_allowance_policy, run_allowances
from services.childwelfare.policy import load_visit_policy
from services.kit.periods import Month
from services.kit.regions import RegionTree
from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN,
    TOWN_OFFICER,
    VILLAGE,
    VILLAGE_2,
    ChildWelfare,
    assign_director,
    child_number,
    md,
    register,
    rpc_error,
    violated_fields,
    visit,
)
from tests.contract.childwelfare.test_cases import advance, report
from tests.contract.childwelfare.test_facilities import open_home

SINCE = "2025-05-02"
LEFT_BEHIND = pb.PROTECTION_CATEGORY_LEFT_BEHIND
ORPHAN_INSTITUTION = pb.PROTECTION_CATEGORY_ORPHAN_INSTITUTION
DIBAO = pb.PROTECTION_CATEGORY_DIBAO_FAMILY


def _by_hand(histories: list[tuple[date, list[date]]], day: date) -> tuple[int, int]:
    """(up to date, in programme) on ``day`` for monthly-visit children: (category start, visits)."""
    cadence = load_visit_policy().cadence(rules.ProtectionCategory.LEFT_BEHIND, day)
    assert cadence is not None
    in_programme = [(since, seen) for since, seen in histories if since <= day]
    current = 0
    for since, seen in in_programme:
        anchor = max([since, *(v for v in seen if v <= day)])
        current += not rules.is_overdue(anchor, cadence, day)
    return current, len(in_programme)


async def test_visit_rate_money_and_registry_per_region_and_year(cw: ChildWelfare) -> None:
    # Registered in June 2025 with categories from 2 May; the clock is 15 June 2025.
    stub = ChildWelfareIndicatorServiceStub(cw.channel)
    await assign_director(cw, VILLAGE, "director-xianghu")
    visited = await register(cw, child_number(1), category=LEFT_BEHIND, since=SINCE)
    lapsed = await register(cw, child_number(2), category=LEFT_BEHIND, since=SINCE)
    await register(cw, child_number(3), region=VILLAGE_2, category=ORPHAN_INSTITUTION, since=SINCE)
    await register(cw, child_number(4), region=OTHER_VILLAGE, category=DIBAO, since=SINCE)
    for child_id, day in ((visited.id, "2025-05-20"), (visited.id, "2025-06-10"), (lapsed.id, "2025-05-10")):
        await visit(cw, child_id, day, token=DIRECTOR)
    assert cw.process.ctx is not None
    june = Month(2025, 6)
    await run_allowances(
        cw.process.ctx.db, load_allowance_policy(), june, datetime(2025, 6, 15, 2, tzinfo=UTC)
    )

    reply = await stub.GetIndicators(
        ipb.GetIndicatorsRequest(region_code=TOWN, year=2025), metadata=md(ADMIN)
    )

    assert reply.year == 2025 and reply.as_of == "2025-06-15" and reply.region_code == TOWN
    months = {m.month: m for m in reply.visit_rate_by_month}
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 7)]
    assert all(months[f"2025-0{m}"].rate.denominator == 0 for m in range(1, 5))
    assert not months["2025-01"].rate.HasField("rate")  # nobody in the programme: no rate, not 100%
    histories = [
        (date(2025, 5, 2), [date(2025, 5, 20), date(2025, 6, 10)]),
        (date(2025, 5, 2), [date(2025, 5, 10)]),
        (date(2025, 5, 2), []),  # the institution orphan in the other village, never visited
    ]
    for key, day in (("2025-05", date(2025, 5, 31)), ("2025-06", date(2025, 6, 15))):
        current, total = _by_hand(histories, day)
        assert (months[key].rate.numerator, months[key].rate.denominator) == (current, total), key
        assert months[key].as_of == day.isoformat()
    assert (reply.visit_rate.numerator, reply.visit_rate.denominator) == (
        sum(m.rate.numerator for m in reply.visit_rate_by_month),
        sum(m.rate.denominator for m in reply.visit_rate_by_month),
    )
    assert reply.visit_rate.target == 1.0

    # The month under way agrees with the compliance report of the same day.
    compliance = await cw.stub.GetVisitCompliance(
        pb.GetVisitComplianceRequest(region_code=TOWN), metadata=md(ADMIN)
    )
    assert (months["2025-06"].rate.numerator, months["2025-06"].rate.denominator) == (
        compliance.total.up_to_date,
        compliance.total.in_programme,
    )

    categories = {c.category: c for c in reply.categories}
    assert set(categories) == {LEFT_BEHIND, ORPHAN_INSTITUTION}  # the 低保 child is in another town
    assert categories[LEFT_BEHIND].registered == 2 and categories[LEFT_BEHIND].paid_fen == 0
    paid = categories[ORPHAN_INSTITUTION]
    assert (paid.registered, paid.paid_children, paid.paid_fen, paid.paid_yuan) == (1, 1, 257100, "2571.00")
    assert (reply.registered_children, reply.paid_children, reply.paid_yuan) == (3, 1, "2571.00")

    # Another year: nothing yet, as of its last day.
    last_year = await stub.GetIndicators(ipb.GetIndicatorsRequest(year=2024), metadata=md(ADMIN))
    assert last_year.as_of == "2024-12-31" and last_year.visit_rate.denominator == 0
    assert (
        last_year.registered_children == 0
        and last_year.paid_fen == 0
        and len(last_year.visit_rate_by_month) == 12
    )


async def test_indicators_are_scoped_to_the_callers_regions(cw: ChildWelfare) -> None:
    stub = ChildWelfareIndicatorServiceStub(cw.channel)
    await register(cw, child_number(1), category=LEFT_BEHIND, since=SINCE)
    await register(cw, child_number(2), region=OTHER_VILLAGE, category=DIBAO, since=SINCE)

    mine = await stub.GetIndicators(ipb.GetIndicatorsRequest(), metadata=md(OTHER_TOWN_OFFICER))
    assert [(c.category, c.registered) for c in mine.categories] == [(DIBAO, 1)]
    narrowed = await stub.GetIndicators(
        ipb.GetIndicatorsRequest(region_code="330109"), metadata=md(TOWN_OFFICER)
    )
    assert narrowed.registered_children == 1  # the district asked for, cut down to the officer's town
    error = await rpc_error(
        stub.GetIndicators(ipb.GetIndicatorsRequest(region_code=TOWN), metadata=md(OTHER_TOWN_OFFICER))
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_bad_year_or_region_is_refused_naming_the_field(cw: ChildWelfare) -> None:
    stub = ChildWelfareIndicatorServiceStub(cw.channel)
    for request, field in (
        (ipb.GetIndicatorsRequest(year=2026), "year"),  # the clock is in 2025
        (ipb.GetIndicatorsRequest(year=1999), "year"),
        (ipb.GetIndicatorsRequest(region_code="33010x"), "region_code"),
    ):
        error = await rpc_error(stub.GetIndicators(request, metadata=md(ADMIN)))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in violated_fields(error)


async def test_temporary_guardianships_are_counted_in_the_year_their_placement_started(
    cw: ChildWelfare,
) -> None:
    stub = ChildWelfareIndicatorServiceStub(cw.channel)
    placement = cpb.Placement(
        kind=cpb.PLACEMENT_KIND_INSTITUTION, name="萧山区未成年人救助保护中心", start_on="2025-06-15"
    )
    for sequence in (301, 302):
        case = await report(cw, id_number=child_number(sequence))
        await advance(cw, case.id, cpb.CASE_STATE_ASSESSING)
        if sequence == 301:
            guardianship = cpb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP
            await advance(
                cw, case.id, cpb.CASE_STATE_INTERVENTION, intervention=guardianship, placement=placement
            )
    other = await report(cw, id_number=child_number(303), region=OTHER_VILLAGE, token=ADMIN)
    await advance(cw, other.id, cpb.CASE_STATE_ASSESSING, token=ADMIN)
    await advance(
        cw,
        other.id,
        cpb.CASE_STATE_INTERVENTION,
        token=ADMIN,
        intervention=cpb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP,
        placement=placement,
    )

    district = await stub.GetIndicators(ipb.GetIndicatorsRequest(year=2025), metadata=md(ADMIN))
    town = await stub.GetIndicators(ipb.GetIndicatorsRequest(region_code=TOWN), metadata=md(ADMIN))
    last_year = await stub.GetIndicators(ipb.GetIndicatorsRequest(year=2024), metadata=md(ADMIN))
    assert (district.temporary_guardianships, town.temporary_guardianships) == (2, 1)
    assert last_year.temporary_guardianships == 0


async def test_childrens_home_coverage_of_towns_and_villages(cw: ChildWelfare) -> None:
    stub = ChildWelfareIndicatorServiceStub(cw.channel)
    await open_home(cw, VILLAGE)
    await open_home(cw, VILLAGE_2)
    tree = RegionTree.xiaoshan()
    villages_of_town = len(tree.villages(TOWN))

    town = await stub.GetIndicators(ipb.GetIndicatorsRequest(region_code=TOWN), metadata=md(ADMIN))
    assert (town.children_home_town_coverage.numerator, town.children_home_town_coverage.denominator) == (
        1,
        1,
    )
    assert town.children_home_town_coverage.target == 1.0  # the plan's 2025 target
    assert (
        town.children_home_village_coverage.numerator,
        town.children_home_village_coverage.denominator,
    ) == (
        2,
        villages_of_town,
    )
    district = await stub.GetIndicators(ipb.GetIndicatorsRequest(), metadata=md(ADMIN))
    assert district.children_home_town_coverage.numerator == 1
    assert district.children_home_town_coverage.denominator == len(tree.towns())
    before = await stub.GetIndicators(ipb.GetIndicatorsRequest(year=2020), metadata=md(ADMIN))
    assert before.children_home_town_coverage.numerator == 0  # the homes opened in 2025
    assert before.children_home_town_coverage.target == 0.85
