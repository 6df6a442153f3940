"""Eldercare indicators over the real gRPC socket, on both backends: figures, targets, years, scoping.

The reference population comes from a file named by ``$ELDERCARE_INDICATOR_FILE`` (set before the
service starts, as ops would); its figures here are test figures, not statistics.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest
import yaml
from minzheng.eldercare.v1 import caregivers_pb2 as cpb
from minzheng.eldercare.v1 import eldercare_pb2 as epb
from minzheng.eldercare.v1 import indicators_pb2 as pb
from minzheng.eldercare.v1 import meals_pb2 as mpb
from minzheng.eldercare.v1.indicators_pb2_grpc import EldercareIndicatorServiceStub

from services.eldercare.indicators import REFERENCE_ENV
from services.kit.policy import default_policy_path
from tests.contract.eldercare.community_support import VILLAGE, VILLAGE_2, Community, community
from tests.contract.eldercare.conftest import (
    ADMIN,
    DISTRICT,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
S = pb.IndicatorStatus
THIS_YEAR = datetime.now(UTC).year


@pytest.fixture(autouse=True)
def reference_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged targets with test populations for the district and one town (this year and 2024)."""
    data = yaml.safe_load(Path(default_policy_path("eldercare_indicators")).read_text(encoding="utf-8"))
    data["population"] = [
        {"region": DISTRICT, "year": THIS_YEAR, "elders": 1000, "source": "test figure"},
        {"region": TOWN, "year": THIS_YEAR, "elders": 400, "source": "test figure (town)"},
        {"region": TOWN, "year": 2024, "elders": 500, "source": "test figure (town)"},
    ]
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(REFERENCE_ENV, str(path))


def stub(svc: Community) -> EldercareIndicatorServiceStub:
    return EldercareIndicatorServiceStub(svc.channel)


async def indicators(
    svc: Community, region: str = "", year: int = 0, *, token: str = ADMIN
) -> pb.EldercareIndicators:
    return await stub(svc).GetEldercareIndicators(
        pb.GetEldercareIndicatorsRequest(region_code=region, year=year), metadata=md(token)
    )


async def caregiver(
    svc: Community, certificate: str, certified_on: str, level: cpb.CaregiverLevel.ValueType
) -> cpb.Caregiver:
    return await svc.caregivers.RegisterCaregiver(
        cpb.RegisterCaregiverRequest(
            certificate_number=certificate,
            name="陈护理",
            level=level,
            certified_on=certified_on,
            employer_name="萧山区康护到家服务中心",
            region_code=VILLAGE,
        ),
        metadata=md(ADMIN),
    )


async def beds(svc: Community, institution: str, bed_type: epb.BedType.ValueType, count: int) -> None:
    await svc.eldercare.AddBeds(
        epb.AddBedsRequest(institution_id=institution, type=bed_type, count=count), metadata=md(ADMIN)
    )


async def stock_today(svc: Community) -> None:
    """Caregivers, beds of each type and a meal service, all in 城厢街道, dated today."""
    # Beds are stamped with the system clock, so the service's clock is moved to it.
    svc.clock.now = datetime.now(UTC)
    today = svc.clock.now.date().isoformat()
    for n, level in enumerate(
        [cpb.CAREGIVER_LEVEL_SENIOR, cpb.CAREGIVER_LEVEL_JUNIOR, cpb.CAREGIVER_LEVEL_INTERMEDIATE]
    ):
        await caregiver(svc, f"HL-IND-{n:04d}", today, level)
    home = await svc.add_institution()
    await beds(svc, home, epb.BED_TYPE_NURSING, 6)
    await beds(svc, home, epb.BED_TYPE_GENERAL, 2)
    await beds(svc, home, epb.BED_TYPE_DEMENTIA_CARE, 2)
    await beds(svc, home, epb.BED_TYPE_FAMILY_CARE, 3)
    await svc.meals.RegisterMealProvider(
        mpb.RegisterMealProviderRequest(
            kind=mpb.MEAL_PROVIDER_KIND_CANTEEN,
            name="湘湖社区老年食堂",
            region_code=VILLAGE,
            operator="湘湖社区居委会",
            villages_served=[VILLAGE_2],
            opened_on=today,
        ),
        metadata=md(ADMIN),
    )


async def test_the_district_figures_are_counted_and_judged_against_the_plan(community: Community) -> None:
    await stock_today(community)
    got = await indicators(community, DISTRICT)
    assert (got.year, got.as_of, got.elderly_population) == (
        THIS_YEAR,
        community.clock.now.date().isoformat(),
        1000,
    )
    assert got.population_source == "test figure"
    carers = got.certified_caregivers_per_10k
    assert (carers.numerator, carers.denominator, carers.value, carers.target) == (3, 1000, 30, 28)
    assert carers.status == S.INDICATOR_STATUS_MET and "28" in carers.target_source
    senior = got.senior_caregiver_share
    assert (senior.numerator, senior.denominator, senior.status) == (1, 3, S.INDICATOR_STATUS_MET)
    assert senior.target == pytest.approx(0.2) and senior.baseline == pytest.approx(0.08)
    dementia = got.dementia_beds_per_10k
    assert (dementia.value, dementia.target, dementia.status) == (20, 20, S.INDICATOR_STATUS_MET)
    family = got.family_care_beds
    assert (family.value, family.target, family.status) == (3, 500, S.INDICATOR_STATUS_NOT_MET)
    nursing = got.nursing_bed_share
    assert (nursing.numerator, nursing.denominator, nursing.value) == (6, 10, pytest.approx(0.6))
    assert nursing.status == S.INDICATOR_STATUS_NOT_MET and nursing.baseline == pytest.approx(0.5593)
    meals = got.meal_village_coverage
    assert meals.numerator == 2 and meals.denominator >= 5
    assert (meals.target, meals.status) == (1, S.INDICATOR_STATUS_NOT_MET)


async def test_a_town_officer_sees_the_town_with_its_population_and_no_district_count_target(
    community: Community,
) -> None:
    await stock_today(community)
    got = await indicators(community, token=TOWN_OFFICER)
    assert (got.region_code, got.elderly_population) == ("", 400)
    assert got.certified_caregivers_per_10k.value == pytest.approx(75)
    family = got.family_care_beds
    assert (family.value, family.HasField("target"), family.status) == (
        3,
        False,
        S.INDICATOR_STATUS_NO_TARGET,
    )
    # The district asked for by a town officer is cut down to the town.
    assert (await indicators(community, DISTRICT, token=TOWN_OFFICER)).elderly_population == 400
    town = await indicators(community, TOWN, token=VIEWER)
    assert town.meal_village_coverage.numerator == 2 and town.meal_village_coverage.denominator == 5


async def test_a_region_without_a_reference_population_has_counts_but_no_rates(community: Community) -> None:
    await stock_today(community)
    got = await indicators(community, token=OTHER_TOWN_OFFICER)
    assert not got.HasField("elderly_population") and got.population_source == ""
    carers = got.certified_caregivers_per_10k
    assert (carers.numerator, carers.HasField("value")) == (0, False)
    assert carers.status == S.INDICATOR_STATUS_NO_REFERENCE_POPULATION
    assert got.dementia_beds_per_10k.status == S.INDICATOR_STATUS_NO_REFERENCE_POPULATION
    # No caregivers and no institution beds there: no share, not 100%.
    assert not got.senior_caregiver_share.HasField("value")
    assert got.nursing_bed_share.status == S.INDICATOR_STATUS_NO_DATA


async def test_a_past_year_is_counted_as_on_its_last_day(community: Community) -> None:
    # The clock stands at 15 June 2025: one caregiver from 2024, one who left in 2025, one new in 2025.
    await caregiver(community, "HL-2024-0001", "2024-03-01", cpb.CAREGIVER_LEVEL_TECHNICIAN)
    left = await caregiver(community, "HL-2024-0002", "2024-05-01", cpb.CAREGIVER_LEVEL_JUNIOR)
    await community.caregivers.RecordCaregiverLeft(
        cpb.RecordCaregiverLeftRequest(caregiver_id=left.id, left_on="2025-02-01", reason="moved"),
        metadata=md(ADMIN),
    )
    await caregiver(community, "HL-2025-0003", "2025-04-01", cpb.CAREGIVER_LEVEL_JUNIOR)
    last_year = await indicators(community, TOWN, 2024)
    assert (last_year.as_of, last_year.elderly_population) == ("2024-12-31", 500)
    carers = last_year.certified_caregivers_per_10k
    assert (carers.numerator, carers.value, carers.target) == (2, 40, 26)
    assert last_year.senior_caregiver_share.value == pytest.approx(0.5)
    this_year = await indicators(community, TOWN)
    assert (this_year.year, this_year.as_of) == (2025, "2025-06-15")
    assert this_year.certified_caregivers_per_10k.numerator == 2
    assert this_year.senior_caregiver_share.value == pytest.approx(0.5)


async def test_bad_years_and_regions_are_refused_naming_the_field(community: Community) -> None:
    error = await rpc_error(indicators(community, "33", 1999))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == {"year", "region_code"}
    error = await rpc_error(indicators(community, VILLAGE, 2026))
    assert violated_fields(error) == {"year", "region_code"}
    error = await rpc_error(indicators(community, "330109002", token=TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_a_call_without_a_token_is_refused(community: Community) -> None:
    error = await rpc_error(stub(community).GetEldercareIndicators(pb.GetEldercareIndicatorsRequest()))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
