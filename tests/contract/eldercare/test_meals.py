"""Meal assistance over the real gRPC socket, on both backends: providers, meals served, coverage."""

from __future__ import annotations

from datetime import date, timedelta

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import meals_pb2 as pb

from tests.contract.eldercare.community_support import (
    OTHER_VILLAGE,
    VILLAGE,
    VILLAGE_2,
    VILLAGE_DIRECTOR,
    Community,
    community,
)
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
TABLES = ("meal_provider", "meal_provider_village", "meal_served")


async def provider(
    svc: Community,
    *,
    name: str = "湘湖社区老年食堂",
    region: str = VILLAGE,
    kind: pb.MealProviderKind.ValueType = pb.MEAL_PROVIDER_KIND_CANTEEN,
    serves: tuple[str, ...] = (),
    opened_on: str = "2025-01-01",
    token: str = ADMIN,
) -> pb.MealProvider:
    """Register a canteen or meal point."""
    return await svc.meals.RegisterMealProvider(
        pb.RegisterMealProviderRequest(
            kind=kind,
            name=name,
            region_code=region,
            operator="湘湖社区居委会",
            villages_served=list(serves),
            opened_on=opened_on,
        ),
        metadata=md(token),
    )


async def meal(
    svc: Community,
    provider_id: str,
    elder_id: str,
    *,
    on: str = "2025-06-15",
    kind: pb.MealKind.ValueType = pb.MEAL_KIND_LUNCH,
    price: int = 1500,
    subsidy: int = 500,
    token: str = ADMIN,
) -> pb.MealServed:
    """Record a meal served."""
    return await svc.meals.RecordMeal(
        pb.RecordMealRequest(
            provider_id=provider_id,
            elder_id=elder_id,
            served_on=on,
            meal=kind,
            price_fen=price,
            subsidy_fen=subsidy,
        ),
        metadata=md(token),
    )


async def test_a_canteen_is_registered_with_the_villages_it_delivers_to(community: Community) -> None:
    made = await provider(community, serves=(VILLAGE_2, VILLAGE))
    assert made.kind == pb.MEAL_PROVIDER_KIND_CANTEEN
    assert made.region_code == VILLAGE
    # The village it stands in is covered anyway, so only the other one is kept.
    assert list(made.villages_served) == [VILLAGE_2]
    listed = await community.meals.ListMealProviders(pb.ListMealProvidersRequest(), metadata=md(VIEWER))
    assert [p.id for p in listed.providers] == [made.id]
    assert await community.count("audit_log") >= 1


async def test_a_provider_with_bad_fields_is_refused_naming_each_and_nothing_is_written(
    community: Community,
) -> None:
    before = await community.counts(*TABLES)
    error = await rpc_error(
        community.meals.RegisterMealProvider(
            pb.RegisterMealProviderRequest(
                name="",
                region_code="3301",
                operator="",
                villages_served=[OTHER_VILLAGE],
                opened_on="2099-01-01",
            ),
            metadata=md(ADMIN),
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {"kind", "name", "region_code", "operator", "opened_on"} <= violated_fields(error)
    error = await rpc_error(
        community.meals.RegisterMealProvider(
            pb.RegisterMealProviderRequest(
                kind=pb.MEAL_PROVIDER_KIND_MEAL_POINT,
                name="助餐点",
                region_code=VILLAGE,
                operator="x",
                villages_served=[OTHER_VILLAGE],
            ),
            metadata=md(ADMIN),
        )
    )
    assert violated_fields(error) == {"villages_served[0]"}
    assert await community.counts(*TABLES) == before


async def test_the_same_name_twice_in_a_region_is_already_exists(community: Community) -> None:
    await provider(community)
    error = await rpc_error(provider(community))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_town_officers_register_only_in_their_town_and_viewers_not_at_all(community: Community) -> None:
    await provider(community, token=TOWN_OFFICER)
    error = await rpc_error(provider(community, region=OTHER_VILLAGE, token=TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(provider(community, name="另一食堂", token=VIEWER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = await community.meals.ListMealProviders(
        pb.ListMealProvidersRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert list(listed.providers) == []


async def test_a_meal_is_recorded_with_price_and_subsidy(community: Community) -> None:
    canteen = await provider(community)
    elder = await community.add_elder()
    served = await meal(community, canteen.id, elder, price=1500, subsidy=500)
    assert (served.price_fen, served.subsidy_fen, served.paid_by_elder_fen) == (1500, 500, 1000)
    assert served.region_code == VILLAGE
    assert served.elder_name == "王秀英"
    listed = await community.meals.ListMeals(pb.ListMealsRequest(elder_id=elder), metadata=md(VIEWER))
    assert [m.id for m in listed.meals] == [served.id]
    assert (listed.total_price_fen, listed.total_subsidy_fen) == (1500, 500)


async def test_the_same_meal_twice_for_an_elder_on_a_day_is_already_exists(community: Community) -> None:
    canteen = await provider(community)
    point = await provider(
        community, name="俞家潭助餐点", region=VILLAGE_2, kind=pb.MEAL_PROVIDER_KIND_MEAL_POINT
    )
    elder = await community.add_elder()
    await meal(community, canteen.id, elder)
    error = await rpc_error(meal(community, point.id, elder))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    await meal(community, canteen.id, elder, kind=pb.MEAL_KIND_DINNER)
    assert await community.count("meal_served") == 2


async def test_a_meal_for_an_unknown_elder_or_in_the_future_is_refused_and_nothing_is_written(
    community: Community,
) -> None:
    canteen = await provider(community)
    elder = await community.add_elder()
    before = await community.counts(*TABLES)
    error = await rpc_error(meal(community, canteen.id, "no-such-elder"))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "elder_id" in (error.details() or "")
    tomorrow = (community.clock.now + timedelta(days=1)).date().isoformat()
    error = await rpc_error(meal(community, canteen.id, elder, on=tomorrow))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == {"served_on"}
    error = await rpc_error(
        meal(community, canteen.id, elder, price=0, subsidy=-1, kind=pb.MEAL_KIND_UNSPECIFIED)
    )
    assert violated_fields(error) == {"price_fen", "subsidy_fen", "meal"}
    error = await rpc_error(meal(community, canteen.id, elder, price=1000, subsidy=1200))
    assert violated_fields(error) == {"subsidy_fen"}
    error = await rpc_error(meal(community, canteen.id, elder, on="2024-12-31"))
    assert violated_fields(error) == {"served_on"}  # before the canteen opened
    assert await community.counts(*TABLES) == before


async def test_a_meal_for_an_elder_after_their_death_is_a_failed_precondition(community: Community) -> None:
    canteen = await provider(community)
    elder = await community.add_elder(deceased_on=date(2025, 6, 1))
    error = await rpc_error(meal(community, canteen.id, elder))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_meals_are_scoped_to_the_callers_regions(community: Community) -> None:
    canteen = await provider(community)
    elder = await community.add_elder()
    await meal(community, canteen.id, elder, token=TOWN_OFFICER)
    error = await rpc_error(
        meal(community, canteen.id, elder, kind=pb.MEAL_KIND_DINNER, token=OTHER_TOWN_OFFICER)
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    mine = await community.meals.ListMeals(pb.ListMealsRequest(), metadata=md(TOWN_OFFICER))
    theirs = await community.meals.ListMeals(pb.ListMealsRequest(), metadata=md(OTHER_TOWN_OFFICER))
    assert (mine.page_info.total_count, theirs.page_info.total_count) == (1, 0)
    error = await rpc_error(
        community.meals.ListMeals(pb.ListMealsRequest(region_code=OTHER_TOWN), metadata=md(TOWN_OFFICER))
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_meals_page_by_keyset_without_gaps_or_repeats(community: Community) -> None:
    canteen = await provider(community)
    elders = [await community.add_elder(sequence=n) for n in range(1, 6)]
    for elder in elders:
        await meal(community, canteen.id, elder)
    seen: list[str] = []
    token = ""
    while True:
        page = await community.meals.ListMeals(
            pb.ListMealsRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)),
            metadata=md(ADMIN),
        )
        assert page.page_info.total_count == 5
        seen.extend(m.id for m in page.meals)
        token = page.page_info.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == 5
    error = await rpc_error(
        community.meals.ListMeals(
            pb.ListMealsRequest(page=common_pb2.PageRequest(page_token="junk")), metadata=md(ADMIN)
        )
    )
    assert violated_fields(error) == {"page.page_token"}


async def test_coverage_counts_villages_a_provider_stands_in_or_delivers_to(community: Community) -> None:
    before = await community.meals.GetMealCoverage(
        pb.GetMealCoverageRequest(region_code=TOWN), metadata=md(ADMIN)
    )
    (town,) = before.towns
    assert town.town_code == TOWN and town.village_count > 2 and town.villages_covered == 0
    await provider(community, serves=(VILLAGE_2,))
    # A meal point at the town itself covers only the villages it lists (none here).
    await provider(community, name="城厢街道助餐点", region=TOWN, kind=pb.MEAL_PROVIDER_KIND_MEAL_POINT)
    # Not open yet: does not count today.
    await provider(community, name="新食堂", region="330109001003", opened_on="2025-06-15")
    community.clock.now -= timedelta(days=1)
    after = await community.meals.GetMealCoverage(
        pb.GetMealCoverageRequest(region_code=TOWN), metadata=md(ADMIN)
    )
    (town,) = after.towns
    assert (town.villages_covered, town.canteens, town.meal_points) == (2, 1, 1)
    assert town.coverage_rate == 2 / town.village_count
    assert after.villages_covered == 2
    community.clock.now += timedelta(days=1)
    today = await community.meals.GetMealCoverage(
        pb.GetMealCoverageRequest(region_code=TOWN), metadata=md(ADMIN)
    )
    assert today.towns[0].villages_covered == 3


async def test_a_village_directors_coverage_is_their_village(community: Community) -> None:
    await provider(community, name="俞家潭食堂", region=VILLAGE_2, serves=(VILLAGE,))
    reply = await community.meals.GetMealCoverage(pb.GetMealCoverageRequest(), metadata=md(VILLAGE_DIRECTOR))
    (town,) = reply.towns
    assert (town.village_count, town.villages_covered, reply.coverage_rate) == (1, 1, 1.0)


async def test_the_community_demo_converges_and_a_second_run_adds_nothing(community: Community) -> None:
    from services.eldercare import demo_community
    from tests.contract.eldercare.conftest import CODEC

    await community.add_institution()
    for n, region in enumerate((VILLAGE, VILLAGE, VILLAGE_2, TOWN)):
        await community.add_elder(sequence=n + 1, region=region)
    tables = (*TABLES, "renovation_item", "renovation_plan", "inspection", "hazard", "caregiver")
    await demo_community.load(community.channel, CODEC, today=community.clock.now.date())
    # Not the audit log: reading the elder registry (ListElders) audits each ID number shown in clear.
    first = {t: await community.count(t) for t in (*tables, "outbox")}
    assert all(first[t] > 0 for t in tables)
    await demo_community.load(community.channel, CODEC, today=community.clock.now.date())
    assert {t: await community.count(t) for t in first} == first
    coverage = await community.meals.GetMealCoverage(pb.GetMealCoverageRequest(), metadata=md(ADMIN))
    assert 0 < coverage.villages_covered < coverage.village_count
