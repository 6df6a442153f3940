"""The relief indicators over gRPC on both databases: the 低保 standard against the plan, households and
persons per programme on the year's day, money paid for the year's months per programme, the care rates
as GetCareRates gives them, region scoping and bad input."""

# The fixtures come from care_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import grpc
import pytest
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import care_pb2 as cpb
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import indicators_pb2 as ipb
from minzheng.relief.v1.indicators_pb2_grpc import ReliefIndicatorServiceStub

from tests.contract.relief.application_support import (
    DISTRICT_OFFICER,
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    approve,
    dibao_household,
    review,
    submit,
)
from tests.contract.relief.care_support import (  # noqa: F401  (fixtures)
    Care,
    at,
    care,
    granted_household,
    list_item,
)
from tests.contract.relief.conftest import ADMIN, DISTRICT, OTHER_TOWN, TOWN, md, rpc_error, violated_fields

MET, NOT_MET = ipb.RELIEF_INDICATOR_STATUS_MET, ipb.RELIEF_INDICATOR_STATUS_NOT_MET


async def indicators(svc: Care, token: str = ADMIN, **fields: object) -> ipb.ReliefIndicators:
    """GetReliefIndicators with the given request fields."""
    stub = ReliefIndicatorServiceStub(svc.channel)
    return await stub.GetReliefIndicators(ipb.GetReliefIndicatorsRequest(**fields), metadata=md(token))


def by_programme(reply: ipb.ReliefIndicators) -> dict[int, tuple[int, int, int]]:
    """(households, persons, suspended) per programme."""
    return {p.programme: (p.households, p.persons, p.suspended_households) for p in reply.programmes}


async def test_the_dibao_standard_is_judged_against_the_plans_floor_for_the_year(care: Care) -> None:
    reply = await indicators(care, year=2024)
    assert reply.as_of == "2024-09-15" and reply.year == 2024 and reply.region_code == ""
    [standard] = reply.dibao_standards
    assert standard.region_code == DISTRICT
    assert (standard.monthly_fen, standard.annual_fen) == (110_200, 1_322_400)
    # The plan asks for more than 13500 in 2024 (seed 004 line 169): 13224 falls short.
    assert (standard.target_annual_fen, standard.baseline_annual_fen) == (1_350_000, 1_322_400)
    assert standard.status == NOT_MET and "line 169" in standard.target_source
    assert "dibao_monthly 330109" in standard.standard_source

    care.clock.now = at(date(2025, 3, 1))
    [later] = (await indicators(care, year=2025)).dibao_standards
    assert (later.annual_fen, later.target_annual_fen, later.status) == (1_400_004, 1_400_000, MET)
    [town] = (await indicators(care, token=TOWN_REVIEWER, year=2023)).dibao_standards
    assert (town.region_code, town.status, town.target_annual_fen) == (TOWN, MET, 1_320_000)


async def test_households_and_persons_per_programme_are_counted_on_the_years_day(care: Care) -> None:
    joint = await granted_household(care, 101, "dibao", "medical")
    single = await granted_household(care, 201)
    await list_item(care, joint, "2024-09-15")

    reply = await indicators(care, year=2024)
    counts = by_programme(reply)
    assert counts[epb.CLASSIFICATION_DIBAO] == (2, 4, 0)  # two households of a parent and a child
    assert counts[epb.CLASSIFICATION_TEKUN] == (0, 0, 0) and counts[epb.CLASSIFICATION_DIBIAN] == (0, 0, 0)
    assert [p.programme for p in reply.programmes] == [
        epb.CLASSIFICATION_TEKUN,
        epb.CLASSIFICATION_DIBAO,
        epb.CLASSIFICATION_DIBIAN,
    ]
    assert (reply.households, reply.persons) == (2, 4)
    # No payment run yet: nothing paid is a true zero, not a missing figure.
    assert reply.money_paid.HasField("paid_fen") and reply.money_paid.paid_fen == 0
    assert reply.money_paid.households == 0 and not reply.money_paid.unavailable_reason

    # The care rates are GetCareRates' own figures, against the same 2024 target (90%).
    rates = await care.care.GetCareRates(cpb.GetCareRatesRequest(year=2024), metadata=md(ADMIN))
    visited, delivered, one_thing = reply.visited, reply.list_delivered, reply.one_thing
    assert (visited.numerator, visited.denominator) == (rates.total.visited, rates.total.households)
    assert (delivered.numerator, one_thing.numerator) == (1, 1)
    assert delivered.value == pytest.approx(0.5) and delivered.target == pytest.approx(0.9)
    assert (visited.status, delivered.status, one_thing.status) == (MET, NOT_MET, NOT_MET)
    assert "line 194" in delivered.target_source

    # Suspended from 1 October: still held (and counted apart); terminated from 1 November: gone.
    [grant] = (
        await care.applications.ListGrants(apb.ListGrantsRequest(household_id=single), metadata=md(ADMIN))
    ).grants
    await care.applications.SuspendGrant(
        apb.SuspendGrantRequest(id=grant.id, reason="外出务工核查", effective_from="2024-10-01"),
        metadata=md(DISTRICT_OFFICER),
    )
    care.clock.now = at(date(2024, 10, 15))
    assert by_programme(await indicators(care, year=2024))[epb.CLASSIFICATION_DIBAO] == (2, 4, 1)
    await care.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=grant.id, reason="收入超标", effective_from="2024-11-01"),
        metadata=md(DISTRICT_OFFICER),
    )
    care.clock.now = at(date(2025, 1, 5))
    last_year = await indicators(care, year=2024)
    assert last_year.as_of == "2024-12-31" and (last_year.households, last_year.persons) == (1, 2)


async def test_indicators_are_limited_to_the_callers_regions_and_bad_input_is_named(care: Care) -> None:
    await granted_household(care, 101)
    elsewhere = await indicators(care, token=OTHER_TOWN_OFFICER, year=2024)
    assert (elsewhere.households, elsewhere.persons) == (0, 0)
    assert not elsewhere.visited.HasField("value")
    assert elsewhere.visited.status == ipb.RELIEF_INDICATOR_STATUS_NO_DATA
    assert [s.region_code for s in elsewhere.dibao_standards] == [OTHER_TOWN]
    town = await indicators(care, region_code=TOWN)
    assert town.region_code == TOWN and town.households == 1 and town.year == 2024

    denied = await rpc_error(indicators(care, token=OTHER_TOWN_OFFICER, region_code=TOWN))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    for fields in ({"year": 2020}, {"year": 2025}, {"region_code": "33010900"}):
        error = await rpc_error(indicators(care, **fields))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert violated_fields(error) == {next(iter(fields))}


async def _pay(
    svc: Care, household_id: str, period: str, amount_fen: int, *, programme: str = "dibao"
) -> None:
    """A payment row written straight into relief_payment, on the household's grant (as a run would)."""
    [(grant_id, region)] = await svc.rows(
        f"SELECT id, region_code FROM assistance_grant WHERE household_id = '{household_id}'"
    )
    await svc.execute(
        "INSERT INTO relief_payment (household_id, grant_id, programme, period, region_code, amount_fen, "
        "basis, assessment_id, run_id, reported_in, paid_at) VALUES "
        f"('{household_id}', '{grant_id}', '{programme}', '{period}', '{region}', {amount_fen}, 'grant', "
        f"NULL, 'run-{period}', 'run-{period}', '{period}-05 01:00:00')"
    )


def paid_by_programme(reply: ipb.ReliefIndicators) -> dict[int, tuple[int, int, int]]:
    """(households, fen, payments) per programme of the money paid."""
    return {p.programme: (p.households, p.paid_fen, p.payments) for p in reply.money_paid.programmes}


async def test_money_paid_sums_the_years_payments_per_programme_in_the_callers_regions(care: Care) -> None:
    first = await granted_household(care, 101)
    second = await granted_household(care, 201)
    other = await dibao_household(care, first_sequence=301, region="330109002001")
    made = await submit(care, other.id, "dibao", token=OTHER_TOWN_OFFICER)
    await review(care, made.id, token=OTHER_TOWN_OFFICER)
    await approve(care, made.id)
    for period, fen in (("2024-07", 20_200), ("2024-08", 20_200), ("2024-09", 20_200)):
        await _pay(care, first, period, fen)
    await _pay(care, second, "2024-09", 10_000)
    await _pay(care, second, "2023-12", 9_999)  # last year's December: not this year's money
    await _pay(care, other.id, "2024-09", 30_000)

    reply = await indicators(care, year=2024)
    paid = reply.money_paid
    assert (paid.paid_fen, paid.households) == (20_200 * 3 + 10_000 + 30_000, 3)
    assert [p.programme for p in paid.programmes] == [
        epb.CLASSIFICATION_TEKUN,
        epb.CLASSIFICATION_DIBAO,
        epb.CLASSIFICATION_DIBIAN,
    ]
    assert paid_by_programme(reply) == {
        epb.CLASSIFICATION_TEKUN: (0, 0, 0),
        epb.CLASSIFICATION_DIBAO: (3, 100_600, 5),
        epb.CLASSIFICATION_DIBIAN: (0, 0, 0),
    }
    # Region-scoped: the town's officer sees the town's payments, the other town's its own.
    town = (await indicators(care, token=TOWN_REVIEWER, year=2024)).money_paid
    assert (town.paid_fen, town.households) == (70_600, 2)
    elsewhere = (await indicators(care, token=OTHER_TOWN_OFFICER, year=2024)).money_paid
    assert (elsewhere.paid_fen, elsewhere.households) == (30_000, 1)
    assert (await indicators(care, region_code=OTHER_TOWN, year=2024)).money_paid.paid_fen == 30_000
    # A past year counts its own months only.
    last_year = await indicators(care, year=2023)
    assert (last_year.money_paid.paid_fen, last_year.money_paid.households) == (9_999, 1)
    assert paid_by_programme(last_year)[epb.CLASSIFICATION_DIBAO] == (1, 9_999, 1)
