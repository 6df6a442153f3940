"""Meal assistance, home renovation, inspections and caregivers through the gateway, over real HTTP.

The stack's eldercare runs on the system clock, so days are relative to China's today. Each area keeps
to its own town, so tests stay out of each other's way in the module's stack.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from tests.contract.gateway.conftest import VIEWER, Stack, error_codes, register
from tests.contract.gateway.elder_community_support import (
    DISTRICT_OFFICER,
    fields_of,
    register_elder,
    today,
    town_officer,
    villages,
)

MEAL_TOWN = "330109100"  # 楼塔镇, five villages
PLAN_TOWN = "330109103"
INSPECTION_TOWN = "330109104"
CAREGIVER_TOWN = "330109105"
OTHER_TOWN = "330109106"
_codes = itertools.count(1)

REGISTER_PROVIDER = """
mutation P($input: RegisterMealProviderInput!) {
  registerMealProvider(input: $input) { id kind name regionCode operator villagesServed openedOn }
}
"""
RECORD_MEAL = """
mutation M($input: RecordMealInput!) {
  recordMeal(input: $input) {
    id providerId elderId elderName servedOn meal priceFen subsidyFen paidByElderFen
  }
}
"""
MEALS = """
query Q($region: String, $elder: ID) {
  mealsServed(regionCode: $region, elderId: $elder) {
    totalCount totalPriceFen totalSubsidyFen edges { cursor node { id meal priceFen } }
  }
}
"""
PROVIDERS = """
query Q($region: String) { mealProviders(regionCode: $region) { totalCount edges { node { id name } } } }
"""
COVERAGE = """
query C($region: String) {
  mealCoverage(regionCode: $region) {
    villageCount villagesCovered coverageRate
    towns { townCode townName villageCount villagesCovered canteens mealPoints coverageRate }
  }
}
"""


async def test_meals_are_recorded_totalled_and_cover_the_villages_a_canteen_serves(stack: Stack) -> None:
    home, delivered, *_ = villages(MEAL_TOWN)
    officer = town_officer(MEAL_TOWN)
    provider = {
        "kind": "CANTEEN",
        "name": "楼塔镇老年食堂",
        "regionCode": home,
        "operator": "村委会",
        "villagesServed": [delivered],
        "openedOn": (today() - timedelta(days=30)).isoformat(),
    }
    canteen = (await stack.data(REGISTER_PROVIDER, {"input": provider}, token=officer))[
        "registerMealProvider"
    ]
    assert (canteen["kind"], canteen["villagesServed"]) == ("CANTEEN", [delivered])
    elder, _ = await register_elder(stack, home)
    meal = {
        "providerId": canteen["id"],
        "elderId": elder,
        "meal": "LUNCH",
        "priceFen": 1500,
        "subsidyFen": 500,
    }
    served = (await stack.data(RECORD_MEAL, {"input": meal}, token=officer))["recordMeal"]
    assert (served["elderId"], served["paidByElderFen"], served["servedOn"]) == (
        elder,
        1000,
        today().isoformat(),
    )
    dinner = {**meal, "meal": "DINNER", "priceFen": 1200, "subsidyFen": 0}
    await stack.data(RECORD_MEAL, {"input": dinner}, token=officer)

    listed = (await stack.data(MEALS, {"elder": elder}, token=VIEWER))["mealsServed"]
    assert (listed["totalCount"], listed["totalPriceFen"], listed["totalSubsidyFen"]) == (2, "2700", "500")
    coverage = (await stack.data(COVERAGE, {"region": MEAL_TOWN}))["mealCoverage"]
    [town] = coverage["towns"]
    assert (town["townCode"], town["townName"], town["canteens"]) == (MEAL_TOWN, "楼塔镇", 1)
    assert (town["villageCount"], town["villagesCovered"]) == (len(villages(MEAL_TOWN)), 2)
    assert town["coverageRate"] == 2 / len(villages(MEAL_TOWN))

    # Another town's officer sees none of it and cannot record a meal at this canteen.
    other = town_officer(OTHER_TOWN)
    assert (await stack.data(PROVIDERS, token=other))["mealProviders"]["totalCount"] == 0
    assert (await stack.data(MEALS, token=other))["mealsServed"]["totalCount"] == 0
    assert error_codes(
        await stack.gql(RECORD_MEAL, {"input": {**meal, "meal": "BREAKFAST"}}, token=other)
    ) == ["NOT_FOUND"]
    # A subsidy above the price is refused naming the field; the same meal twice is refused too.
    body = await stack.gql(
        RECORD_MEAL, {"input": {**meal, "meal": "BREAKFAST", "subsidyFen": 2000}}, token=officer
    )
    assert (error_codes(body), fields_of(body)) == (["INVALID_ARGUMENT"], {"subsidyFen"})
    assert error_codes(await stack.gql(RECORD_MEAL, {"input": meal}, token=officer)) == ["ALREADY_EXISTS"]
    assert (await stack.data(MEALS, {"elder": elder}))["mealsServed"]["totalCount"] == 2


ITEM_FIELDS = "id code name area unit referencePriceFen active"
ADD_ITEM = (
    f"mutation A($input: AddRenovationItemInput!) {{ addRenovationItem(input: $input) {{ {ITEM_FIELDS} }} }}"
)
DEACTIVATE = f"mutation D($id: ID!) {{ deactivateRenovationItem(itemId: $id) {{ {ITEM_FIELDS} }} }}"
ITEMS = f"query I($all: Boolean! = false) {{ renovationItems(includeInactive: $all) {{ {ITEM_FIELDS} }} }}"
PLAN_FIELDS = """
  id elderId status totalFen subsidyPercent subsidyFen selfPaidFen surveyedOn approvedOn startedOn completedOn
  lines { itemId itemCode quantity unitPriceFen lineTotalFen }
"""
CREATE_PLAN = f"""
mutation C($input: CreateRenovationPlanInput!) {{ createRenovationPlan(input: $input) {{ {PLAN_FIELDS} }} }}
"""
ADVANCE = f"""
mutation V($input: AdvanceRenovationPlanInput!) {{ advanceRenovationPlan(input: $input) {{ {PLAN_FIELDS} }} }}
"""
PLAN = f"query G($id: ID!) {{ renovationPlan(id: $id) {{ {PLAN_FIELDS} }} }}"
PLANS = """
query L($region: String, $status: RenovationPlanStatus) {
  renovationPlans(regionCode: $region, status: $status) { totalCount edges { node { id status } } }
}
"""


async def add_item(stack: Stack, price: int = 30000, *, token: str = DISTRICT_OFFICER) -> Any:
    """Add a catalogue item with a fresh code; the whole response body."""
    item = {"code": f"GW-{next(_codes):02d}", "name": "扶手", "area": "TOILET_BATHING", "unit": "米"}
    return await stack.gql(ADD_ITEM, {"input": {**item, "referencePriceFen": price}}, token=token)


async def test_a_household_plan_goes_from_survey_to_completion_and_one_open_plan_per_elder(
    stack: Stack,
) -> None:
    rail = (await add_item(stack))["data"]["addRenovationItem"]
    alarm = (await add_item(stack, 12000))["data"]["addRenovationItem"]
    elder, _ = await register_elder(stack, PLAN_TOWN)
    officer = town_officer(PLAN_TOWN)
    lines = [
        {"itemId": rail["id"], "quantity": 3},
        {"itemId": alarm["id"], "quantity": 1, "unitPriceFen": 10000},
    ]
    plan = (
        await stack.data(
            CREATE_PLAN, {"input": {"elderId": elder, "lines": lines, "subsidyPercent": 50}}, token=officer
        )
    )["createRenovationPlan"]
    assert (plan["status"], plan["totalFen"], plan["subsidyFen"], plan["selfPaidFen"]) == (
        "SURVEYED",
        "100000",
        "50000",
        "50000",
    )
    assert [line["lineTotalFen"] for line in plan["lines"]] == ["90000", "10000"]

    # One open plan per household: a second is refused and nothing is added.
    again = await stack.gql(CREATE_PLAN, {"input": {"elderId": elder, "lines": lines[:1]}}, token=officer)
    assert error_codes(again) == ["ALREADY_EXISTS"]
    assert (await stack.data(PLANS, {"region": PLAN_TOWN}))["renovationPlans"]["totalCount"] == 1

    for status in ("APPROVED", "IN_PROGRESS", "COMPLETED"):
        moved = await stack.data(
            ADVANCE, {"input": {"planId": plan["id"], "toStatus": status}}, token=officer
        )
        assert moved["advanceRenovationPlan"]["status"] == status
    done = (await stack.data(PLAN, {"id": plan["id"]}))["renovationPlan"]
    assert done["completedOn"] == today().isoformat()
    # A step that does not follow is refused and the plan stays completed.
    back = await stack.gql(
        ADVANCE,
        {"input": {"planId": plan["id"], "toStatus": "CANCELLED", "reason": "家属拒绝"}},
        token=officer,
    )
    assert error_codes(back) == ["FAILED_PRECONDITION"]
    assert (await stack.data(PLAN, {"id": plan["id"]}))["renovationPlan"]["status"] == "COMPLETED"
    # Another town sees no such plan.
    assert (await stack.data(PLAN, {"id": plan["id"]}, token=town_officer(OTHER_TOWN))) == {
        "renovationPlan": None
    }
    completed = (await stack.data(PLANS, {"status": "COMPLETED"}, token=VIEWER))["renovationPlans"]
    assert [e["node"]["id"] for e in completed["edges"]] == [plan["id"]]


async def test_the_catalogue_is_changed_by_district_roles_only_and_a_bad_item_names_its_fields(
    stack: Stack,
) -> None:
    before = (await stack.data(ITEMS, {"all": True}))["renovationItems"]
    assert error_codes(await add_item(stack, token=town_officer(PLAN_TOWN))) == ["PERMISSION_DENIED"]
    body = await add_item(stack, price=-1)
    assert (error_codes(body), fields_of(body)) == (["INVALID_ARGUMENT"], {"referencePriceFen"})
    assert (await stack.data(ITEMS, {"all": True}))["renovationItems"] == before

    item = (await add_item(stack))["data"]["addRenovationItem"]
    gone = (await stack.data(DEACTIVATE, {"id": item["id"]}))["deactivateRenovationItem"]
    assert gone["active"] is False
    assert item["id"] not in {i["id"] for i in (await stack.data(ITEMS))["renovationItems"]}
    assert item["id"] in {i["id"] for i in (await stack.data(ITEMS, {"all": True}))["renovationItems"]}
    assert error_codes(await stack.gql(DEACTIVATE, {"id": item["id"]})) == ["FAILED_PRECONDITION"]


INSPECTION_FIELDS = """
  id facilityKind facilityId facilityName regionCode inspectedOn status closedOn
  hazards {
    id severity rectifyBy status rectifiedOn rectificationNote verifiedOn verificationNote daysOverdue
  }
"""
RECORD_INSPECTION = f"""
mutation R($input: RecordInspectionInput!) {{ recordInspection(input: $input) {{ {INSPECTION_FIELDS} }} }}
"""
RECTIFY = f"""
mutation F($input: RecordRectificationInput!) {{
  recordRectification(input: $input) {{ {INSPECTION_FIELDS} }}
}}
"""
VERIFY = f"""
mutation V($input: VerifyRectificationInput!) {{
  verifyRectification(input: $input) {{ {INSPECTION_FIELDS} }}
}}
"""
INSPECTION = f"query G($id: ID!) {{ inspection(id: $id) {{ {INSPECTION_FIELDS} }} }}"
INSPECTIONS = """
query L($region: String) { inspections(regionCode: $region) { totalCount edges { node { id status } } } }
"""
OVERDUE = """
query O($region: String) {
  overdueRectifications(regionCode: $region) {
    totalCount asOf edges { node { id description facilityName regionCode daysOverdue status } }
  }
}
"""


async def test_an_inspection_closes_when_each_hazard_is_rectified_and_verified(stack: Stack) -> None:
    institution = await register(stack, INSPECTION_TOWN, "进化镇敬老院")
    day = today()
    inspection = {
        "facilityKind": "INSTITUTION",
        "facilityId": institution["id"],
        "inspector": "区民政局 张工",
        "inspectedOn": (day - timedelta(days=20)).isoformat(),
        "hazards": [
            {
                "description": "灭火器过期",
                "severity": "MAJOR",
                "rectifyBy": (day - timedelta(days=5)).isoformat(),
            },
            {
                "description": "走廊堆物",
                "severity": "MINOR",
                "rectifyBy": (day + timedelta(days=5)).isoformat(),
            },
        ],
    }
    officer = town_officer(INSPECTION_TOWN)
    made = (await stack.data(RECORD_INSPECTION, {"input": inspection}, token=officer))["recordInspection"]
    assert (made["facilityId"], made["facilityName"], made["regionCode"]) == (
        institution["id"],
        "进化镇敬老院",
        INSPECTION_TOWN,
    )
    assert made["status"] == "OPEN"
    late, fine = made["hazards"]
    assert (late["daysOverdue"], fine["daysOverdue"]) == (5, 0)

    overdue = (await stack.data(OVERDUE, {"region": INSPECTION_TOWN}))["overdueRectifications"]
    assert overdue["asOf"] == day.isoformat()
    assert [(e["node"]["id"], e["node"]["daysOverdue"]) for e in overdue["edges"]] == [(late["id"], 5)]
    assert (await stack.data(OVERDUE, token=town_officer(OTHER_TOWN)))["overdueRectifications"][
        "totalCount"
    ] == 0

    # Rectified, rejected (back to open), rectified again, accepted: the loop closes.
    await stack.data(RECTIFY, {"input": {"hazardId": late["id"], "evidence": "照片 001"}}, token=officer)
    rejected = await stack.gql(
        VERIFY, {"input": {"hazardId": late["id"], "accepted": False, "verifiedBy": "李"}}
    )
    assert (error_codes(rejected), fields_of(rejected)) == (["INVALID_ARGUMENT"], {"note"})
    still = (await stack.data(INSPECTION, {"id": made["id"]}))["inspection"]["hazards"][0]
    assert (still["status"], still["verifiedOn"]) == ("RECTIFIED", None)
    verify = {"hazardId": late["id"], "accepted": False, "verifiedBy": "李", "note": "仍有一只过期"}
    back = (await stack.data(VERIFY, {"input": verify}))["verifyRectification"]["hazards"][0]
    assert (back["status"], back["verificationNote"]) == ("OPEN", "仍有一只过期")
    for hazard in (late, fine):
        await stack.data(RECTIFY, {"input": {"hazardId": hazard["id"], "evidence": "已整改"}}, token=officer)
        closed = await stack.data(
            VERIFY, {"input": {"hazardId": hazard["id"], "accepted": True, "verifiedBy": "李"}}
        )
    final = closed["verifyRectification"]
    assert (final["status"], final["closedOn"]) == ("CLOSED", day.isoformat())
    assert {h["status"] for h in final["hazards"]} == {"CLOSED"}
    assert (await stack.data(OVERDUE, {"region": INSPECTION_TOWN}))["overdueRectifications"][
        "totalCount"
    ] == 0
    # A closed hazard cannot be rectified again.
    again = await stack.gql(RECTIFY, {"input": {"hazardId": late["id"], "evidence": "x"}}, token=officer)
    assert error_codes(again) == ["FAILED_PRECONDITION"]


async def test_a_canteen_or_care_centre_is_named_by_kind_and_an_id_of_the_wrong_type_names_the_field(
    stack: Stack,
) -> None:
    village = villages(INSPECTION_TOWN)[0]
    provider = {"kind": "MEAL_POINT", "name": "进化镇助餐点", "regionCode": village, "operator": "村委会"}
    point = (await stack.data(REGISTER_PROVIDER, {"input": provider}))["registerMealProvider"]
    clean = {"facilityKind": "CANTEEN", "facilityId": point["id"], "inspector": "张工"}
    made = (await stack.data(RECORD_INSPECTION, {"input": clean}))["recordInspection"]
    # Nothing found: the inspection is closed on the day, and names the meal point by its global ID.
    assert (made["facilityId"], made["facilityName"], made["status"]) == (
        point["id"],
        "进化镇助餐点",
        "CLOSED",
    )
    assert made["closedOn"] == today().isoformat()
    centre = {
        "facilityKind": "CARE_CENTRE",
        "facilityId": "JH-01",
        "facilityName": "进化镇居家养老服务照料中心",
        "regionCode": INSPECTION_TOWN,
        "inspector": "张工",
    }
    made = (await stack.data(RECORD_INSPECTION, {"input": centre}))["recordInspection"]
    assert (made["facilityId"], made["regionCode"]) == ("JH-01", INSPECTION_TOWN)

    before = (await stack.data(INSPECTIONS, {"region": INSPECTION_TOWN}))["inspections"]["totalCount"]
    wrong = {**clean, "facilityKind": "INSTITUTION"}
    body = await stack.gql(RECORD_INSPECTION, {"input": wrong})
    assert (error_codes(body), fields_of(body)) == (["INVALID_ARGUMENT"], {"facilityId"})
    late = {**centre, "hazards": [{"description": "x", "severity": "MINOR", "rectifyBy": "2000-01-01"}]}
    body = await stack.gql(RECORD_INSPECTION, {"input": late})
    assert (error_codes(body), fields_of(body)) == (["INVALID_ARGUMENT"], {"hazards[0].rectifyBy"})
    after = (await stack.data(INSPECTIONS, {"region": INSPECTION_TOWN}))["inspections"]["totalCount"]
    assert after == before


CAREGIVER_FIELDS = (
    "id certificateNumber name level certifiedOn employerName regionCode active leftOn leftReason"
)
REGISTER_CAREGIVER = f"""
mutation R($input: RegisterCaregiverInput!) {{ registerCaregiver(input: $input) {{ {CAREGIVER_FIELDS} }} }}
"""
LEFT = f"""
mutation L($input: RecordCaregiverLeftInput!) {{
  recordCaregiverLeft(input: $input) {{ {CAREGIVER_FIELDS} }}
}}
"""
PAGE = """
query P($region: String, $after: String) {
  caregivers(regionCode: $region, first: 1, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
  }
}
"""

CAREGIVERS = """
query C($region: String, $left: Boolean! = false) {
  caregivers(regionCode: $region, includeLeft: $left) { totalCount edges { node { id level active } } }
  caregiverCounts(regionCode: $region) { active seniorOrAbove seniorShare levels { level count } }
}
"""


async def test_caregivers_are_counted_per_level_until_they_leave(stack: Stack) -> None:
    officer = town_officer(CAREGIVER_TOWN)
    base = {"name": "陈护理", "certifiedOn": "2020-05-01", "employerName": "临浦镇居家养老服务中心"}
    made = []
    for number, level in (("ZJ-2020-0001", "SENIOR"), ("ZJ-2020-0002", "JUNIOR")):
        variables = {
            "input": {**base, "certificateNumber": number, "level": level, "regionCode": CAREGIVER_TOWN}
        }
        made.append((await stack.data(REGISTER_CAREGIVER, variables, token=officer))["registerCaregiver"])
    read = await stack.data(CAREGIVERS, {"region": CAREGIVER_TOWN}, token=officer)
    assert read["caregivers"]["totalCount"] == 2
    counts = read["caregiverCounts"]
    assert (counts["active"], counts["seniorOrAbove"], counts["seniorShare"]) == (2, 1, 0.5)
    assert [c["level"] for c in counts["levels"]] == [
        "JUNIOR",
        "INTERMEDIATE",
        "SENIOR",
        "TECHNICIAN",
        "SENIOR_TECHNICIAN",
    ]
    # A page at a time: the first page's cursor resumes right after its caregiver.
    page = (await stack.data(PAGE, {"region": CAREGIVER_TOWN}))["caregivers"]
    assert (page["totalCount"], page["pageInfo"]["hasNextPage"]) == (2, True)
    rest = await stack.data(PAGE, {"region": CAREGIVER_TOWN, "after": page["pageInfo"]["endCursor"]})
    ids = [e["node"]["id"] for e in page["edges"] + rest["caregivers"]["edges"]]
    assert sorted(ids) == sorted(c["id"] for c in made)
    assert rest["caregivers"]["pageInfo"]["hasNextPage"] is False

    # The same certificate twice, or a certificate from the future, is refused; nothing is added.
    duplicate = {
        "input": {
            **base,
            "certificateNumber": "ZJ-2020-0001",
            "level": "JUNIOR",
            "regionCode": CAREGIVER_TOWN,
        }
    }
    assert error_codes(await stack.gql(REGISTER_CAREGIVER, duplicate, token=officer)) == ["ALREADY_EXISTS"]
    future = {"input": {**duplicate["input"], "certificateNumber": "ZJ-2099-1", "certifiedOn": "2999-01-01"}}
    body = await stack.gql(REGISTER_CAREGIVER, future, token=officer)
    assert (error_codes(body), fields_of(body)) == (["INVALID_ARGUMENT"], {"certifiedOn"})
    # Another town may not register one here, and sees none of these.
    elsewhere = {"input": {**duplicate["input"], "certificateNumber": "ZJ-2020-0003"}}
    assert error_codes(await stack.gql(REGISTER_CAREGIVER, elsewhere, token=town_officer(OTHER_TOWN))) == [
        "PERMISSION_DENIED"
    ]
    assert (await stack.data(CAREGIVERS, token=town_officer(OTHER_TOWN)))["caregivers"]["totalCount"] == 0
    assert (await stack.data(CAREGIVERS, {"region": CAREGIVER_TOWN}))["caregivers"]["totalCount"] == 2

    senior = made[0]
    gone = (
        await stack.data(LEFT, {"input": {"caregiverId": senior["id"], "reason": "退休"}}, token=officer)
    )["recordCaregiverLeft"]
    assert (gone["active"], gone["leftOn"], gone["leftReason"]) == (False, today().isoformat(), "退休")
    after = await stack.data(CAREGIVERS, {"region": CAREGIVER_TOWN, "left": True})
    assert after["caregivers"]["totalCount"] == 2
    assert (after["caregiverCounts"]["active"], after["caregiverCounts"]["seniorShare"]) == (1, 0.0)
    assert error_codes(await stack.gql(LEFT, {"input": {"caregiverId": senior["id"]}}, token=officer)) == [
        "FAILED_PRECONDITION"
    ]
