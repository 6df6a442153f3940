"""Standards and assessments over gRPC: the standards in force with their sources (a town falling back to
the district), and households assessed from their recorded facts exactly as the pure engine decides."""

from __future__ import annotations

import json
from datetime import date

import grpc
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb

from services.kit.periods import Month
from services.relief.eligibility import assess
from services.relief.eligibility_models import Assessment, Household, Income, LabourCapacity, Member, Relation
from services.relief.standards import load_standards
from tests.contract.relief.conftest import (
    ADMIN,
    DISTRICT,
    OTHER_TOWN_OFFICER,
    TOWN,
    VIEWER,
    VILLAGE,
    Relief,
    income,
    md,
    person,
    register,
    rpc_error,
    violated_fields,
)

SEPT = Month(2024, 9)  # income window 2023-09-01..2024-08-31; 低保 1102.00 yuan a month
DIBAO_FEN = 110_200
YEAR_AT_STANDARD = 12 * DIBAO_FEN  # one person earning exactly the 低保 standard over the window


async def assess_over_grpc(
    relief: Relief, household_id: str, *, month: str = "2024-09", token: str = ADMIN
) -> epb.Assessment:
    return await relief.eligibility.AssessHousehold(
        epb.AssessHouseholdRequest(household_id=household_id, month=month), metadata=md(token)
    )


async def test_a_towns_standards_come_from_the_district_with_their_sources(relief: Relief) -> None:
    s = await relief.eligibility.GetStandards(epb.GetStandardsRequest(region_code=TOWN), metadata=md(VIEWER))
    assert (s.region_code, s.day) == (TOWN, "2024-09-15")  # today by default
    assert (s.dibao_monthly_fen, s.dibian_multiplier, s.dibian_line_monthly_fen) == (DIBAO_FEN, "2", 220_400)
    assert s.tekun_monthly_fen == 190_489  # 1102.00 × 1210/700, rounded up to the fen
    assert s.tekun_minor_age_limit == 18 and (s.income_window_months, s.asset_limit_months) == (12, 24)
    assert not s.HasField("dibian_allowance_monthly_fen") and not s.HasField("price_subsidy_monthly_fen")
    assert {f.region_key for f in s.sources} == {DISTRICT}
    assert {f.table for f in s.sources} == {
        "assessment",
        "dibao_monthly",
        "dibian",
        "price_subsidy",
        "tekun",
        "tekun_minor_age_limit",
    }
    dibao = next(f for f in s.sources if f.table == "dibao_monthly")
    assert "seed 004 line 163" in dibao.source
    later = await relief.eligibility.GetStandards(
        epb.GetStandardsRequest(region_code=VILLAGE, day="2025-01-01"), metadata=md(VIEWER)
    )
    assert later.dibao_monthly_fen == 116_667 and later.tekun_monthly_fen == 201_668


async def test_standards_for_a_bad_region_or_a_day_before_any_standard_are_refused(relief: Relief) -> None:
    bad = await rpc_error(
        relief.eligibility.GetStandards(epb.GetStandardsRequest(region_code="3301"), metadata=md(VIEWER))
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {"region_code"}
    early = await rpc_error(
        relief.eligibility.GetStandards(
            epb.GetStandardsRequest(region_code=TOWN, day="2020-12-31"), metadata=md(VIEWER)
        )
    )
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION


def engine_answer(
    household_id: str, person_id: str, born: date, capacity: LabourCapacity, fen: int
) -> Assessment:
    """What the pure engine says for a one-person household with one income over the window."""
    incomes = (Income("wages", date(2023, 9, 1), date(2024, 8, 31), fen),) if fen else ()
    member = Member(person_id, born, Relation.HEAD, capacity, incomes=incomes)
    facts = Household(household_id, VILLAGE, (member,))
    return assess(facts, load_standards().for_month(VILLAGE, SEPT), SEPT)


async def test_at_the_dibao_standard_a_household_is_dibian_and_one_fen_below_it_is_dibao(
    relief: Relief,
) -> None:
    at = await register(relief, person(1))
    below = await register(relief, person(2))
    for household, fen in ((at, YEAR_AT_STANDARD), (below, YEAR_AT_STANDARD - 1)):
        await income(relief, household.id, household.members[0].person_id, fen)
    before = await relief.counts()

    on_the_line = await assess_over_grpc(relief, at.id)
    assert on_the_line.classification == epb.CLASSIFICATION_DIBIAN and on_the_line.amount_fen == 0
    under = await assess_over_grpc(relief, below.id, token=VIEWER)
    assert under.classification == epb.CLASSIFICATION_DIBAO
    assert [(x.item, x.amount_fen) for x in under.lines] == [
        ("dibao_gap", 1)
    ]  # the gap, rounded up to the fen
    assert under.standards.dibao_monthly_fen == DIBAO_FEN and under.month == "2024-09"
    assert await relief.counts() == before  # a preview writes nothing

    for reply, household, fen in ((on_the_line, at, YEAR_AT_STANDARD), (under, below, YEAR_AT_STANDARD - 1)):
        pid = household.members[0].person_id
        expected = engine_answer(household.id, pid, date(1980, 5, 1), LabourCapacity.FULL, fen)
        assert [(r.rule, r.text, json.loads(r.figures_json)) for r in reply.reasons] == [
            (r.rule, r.text, r.figures) for r in expected.reasons
        ]
        assert reply.amount_fen == expected.amount_fen and reply.engine_version == "relief-eligibility/1"


async def test_an_elder_without_labour_capacity_or_income_is_tekun(relief: Relief) -> None:
    elder = person(3, born=date(1950, 3, 1), capacity=pb.LABOUR_CAPACITY_NONE, name="王阿毛")
    made = await register(relief, elder)
    pid = made.members[0].person_id
    reply = await assess_over_grpc(relief, made.id)
    assert reply.classification == epb.CLASSIFICATION_TEKUN
    assert [(x.item, x.amount_fen, x.person_id) for x in reply.lines] == [("tekun_support", 190_489, pid)]
    expected = engine_answer(made.id, pid, date(1950, 3, 1), LabourCapacity.NONE, 0)
    assert [r.rule for r in reply.reasons] == [r.rule for r in expected.reasons]
    assert "tekun.household" in [r.rule for r in reply.reasons]


async def test_incomes_of_several_members_add_up_and_assets_over_the_limit_rule_it_out(
    relief: Relief,
) -> None:
    made = await register(relief, person(4), person(5, relation=pb.RELATION_SPOUSE, name="李秀英"))
    head, spouse = (m.person_id for m in made.members)
    await income(relief, made.id, head, 6 * DIBAO_FEN)
    # Half of this one lies before the window: only the other half counts.
    await income(relief, made.id, spouse, 4 * DIBAO_FEN, start="2023-03-01", end="2024-02-29")
    reply = await assess_over_grpc(relief, made.id)
    assert reply.classification == epb.CLASSIFICATION_DIBAO
    per_capita = next(r for r in reply.reasons if r.rule == "income.per_capita")
    assert json.loads(per_capita.figures_json)["members"] == 2

    await relief.households.RecordAsset(
        pb.RecordAssetRequest(
            household_id=made.id,
            person_id=spouse,
            kind=pb.ASSET_KIND_DEPOSIT,
            value_fen=2 * 24 * DIBAO_FEN + 1,
        ),
        metadata=md(ADMIN),
    )
    over = await assess_over_grpc(relief, made.id)
    assert over.classification == epb.CLASSIFICATION_NONE and over.amount_fen == 0
    assert "assets.over_limit" in [r.rule for r in over.reasons]
    # The asset was valued today (15 September): an assessment of August does not count it.
    august = await assess_over_grpc(relief, made.id, month="2024-08")
    assert "assets.within_limit" in [r.rule for r in august.reasons]


async def test_assessing_outside_the_callers_regions_or_for_a_bad_month_is_refused(relief: Relief) -> None:
    made = await register(relief, person(6))
    hidden = await rpc_error(assess_over_grpc(relief, made.id, token=OTHER_TOWN_OFFICER))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    bad = await rpc_error(assess_over_grpc(relief, made.id, month="2024-13"))
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(bad) == {"month"}
    unknown = await rpc_error(assess_over_grpc(relief, "no-such-household"))
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
