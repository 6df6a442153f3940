"""Relief discovery flags, care and indicators over real HTTP: gateway (uvicorn) → relief (gRPC, SQLite).

A flag on the officers' worklist (raised here straight in relief's database, as discovery would from
another service's event) listed and handled; a care visit and a happiness-list item recorded and read
back by pages; the care rates; the relief indicators; a bad input as a typed field error with nothing
written; and region scoping (an officer of another town sees nothing and changes nothing).
relief runs on the stack's clock: today is 15 June 2025 (低保 1166.67 yuan a month).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import select
from strawberry.relay.utils import from_base64

from services.relief.models import AssistanceGrant, HouseholdFlag
from services.relief.models.payments import ReliefPayment
from tests.contract.gateway.conftest import Stack, error_codes, new_town, town_token
from tests.contract.gateway.elder_support import village
from tests.contract.gateway.test_relief import fields_of
from tests.contract.gateway.test_relief_applications import (
    APPROVE,
    DISTRICT_OFFICER,
    REVIEW,
    dibao_household,
    step,
    submit,
)

FLAGS = """
query Flags($region: String, $status: ReliefFlagStatus, $household: ID, $first: Int!, $after: String) {
  reliefFlags(regionCode: $region, status: $status, householdId: $household, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node { id householdId regionCode kind fact reason sourceType status handledBy handledNote }
    }
  }
}
"""
HANDLE = """
mutation Handle($input: HandleReliefFlagInput!) {
  handleReliefFlag(input: $input) { id status handledBy handledNote handledAt }
}
"""
VISIT = """
mutation Visit($input: RecordReliefVisitInput!) {
  recordReliefVisit(input: $input) {
    id householdId regionCode visitedOn visitor { name regionCode } needs recordedBy
  }
}
"""
VISITS = """
query Visits($household: ID!, $first: Int!, $after: String) {
  reliefVisits(householdId: $household, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id visitedOn } }
  }
}
"""
ITEM = """
mutation Item($input: RecordReliefListItemInput!) {
  recordReliefListItem(input: $input) { id householdId kind deliveredOn deliveredBy note }
}
"""
ITEMS = """
query Items($household: ID!) {
  reliefListItems(householdId: $household, first: 10) { totalCount edges { node { id kind deliveredOn } } }
}
"""
RATES = """
query Rates($region: String, $year: Int!) {
  reliefCareRates(regionCode: $region, year: $year) {
    year referenceDay target
    towns { townCode households visited listDelivered oneThing listDeliveredRate }
    total { households }
  }
}
"""
INDICATORS = """
query Indicators($region: String, $year: Int) {
  reliefIndicators(regionCode: $region, year: $year) {
    regionCode year asOf households persons
    dibaoStandards {
      regionCode monthlyFen annualYuan targetAnnualYuan baselineAnnualYuan status targetSource
    }
    programmes { programme households persons suspendedHouseholds }
    moneyPaid {
      paidFen paidYuan unavailableReason households
      programmes { programme households paidFen paidYuan payments }
    }
    visited { numerator denominator value target status }
    listDelivered { numerator denominator value status }
    oneThing { numerator denominator status }
  }
}
"""


async def granted(stack: Stack, town: str) -> dict[str, Any]:
    """A 低保 household of ``town`` granted on an application for 低保 and medical relief (one thing)."""
    household = await dibao_household(stack, town)
    officer = town_token(town)
    made = await submit(stack, household["id"], officer)
    await step(stack, REVIEW, officer, id=made["id"])
    approved = await step(stack, APPROVE, DISTRICT_OFFICER, id=made["id"])
    assert approved["data"]["approveReliefApplication"]["state"] == "APPROVED", approved
    return household


async def raise_flag(stack: Stack, household: dict[str, Any]) -> None:
    """A may-qualify flag on the household, written as discovery writes it."""
    assert stack.relief.ctx is not None
    _, household_id = from_base64(household["id"])
    async with stack.relief.ctx.db.unit_of_work() as session:
        session.add(
            HouseholdFlag(
                id=str(uuid.uuid4()),
                household_id=household_id,
                region_code=household["regionCode"],
                kind="may_qualify",
                fact="elder_severely_disabled",
                reason="成员经评估为重度失能,可能符合特困条件",
                source_event_id=str(uuid.uuid4()),
                source_type="civic.eldercare.elder-assessed",
                raised_at=datetime(2025, 6, 14, 2, 0, tzinfo=UTC),
                status="open",
            )
        )


HOUSEHOLD_FLAGS = """
query ($region: String!) {
  households(regionCode: $region, first: 5) {
    edges { node { flags(status: OPEN) { edges { node { id } } } } }
  }
}
"""


async def test_flags_are_listed_in_the_town_and_handled_once(stack: Stack) -> None:
    town = new_town()
    officer, stranger = town_token(town), town_token(new_town())
    household = await dibao_household(stack, town)
    await raise_flag(stack, household)

    page = (await stack.data(FLAGS, {"region": town, "status": "OPEN", "first": 10}, token=officer))[
        "reliefFlags"
    ]
    assert page["totalCount"] == 1
    [edge] = page["edges"]
    flag = edge["node"]
    assert (flag["householdId"], flag["kind"], flag["status"]) == (household["id"], "MAY_QUALIFY", "OPEN")
    assert (
        flag["fact"] == "elder_severely_disabled" and flag["sourceType"] == "civic.eldercare.elder-assessed"
    )
    mine = await stack.data(FLAGS, {"household": household["id"], "first": 10}, token=officer)
    assert [e["node"]["id"] for e in mine["reliefFlags"]["edges"]] == [flag["id"]]
    listed = await stack.data(HOUSEHOLD_FLAGS, {"region": town}, token=officer)
    [node] = [e["node"] for e in listed["households"]["edges"]]
    assert [e["node"]["id"] for e in node["flags"]["edges"]] == [flag["id"]]

    # Another town sees none and cannot handle it.
    elsewhere = await stack.data(FLAGS, {"first": 10}, token=stranger)
    assert elsewhere["reliefFlags"]["totalCount"] == 0
    refused = await stack.gql(HANDLE, {"input": {"id": flag["id"], "note": "已核实"}}, token=stranger)
    assert error_codes(refused) == ["NOT_FOUND"]

    handled = (
        await stack.data(HANDLE, {"input": {"id": flag["id"], "note": "已受理特困申请"}}, token=officer)
    )["handleReliefFlag"]
    assert (handled["status"], handled["handledBy"], handled["handledNote"]) == (
        "HANDLED",
        f"officer-{town}",
        "已受理特困申请",
    )
    again = await stack.gql(HANDLE, {"input": {"id": flag["id"], "note": "重复"}}, token=officer)
    assert error_codes(again) == ["FAILED_PRECONDITION"]
    still_open = await stack.data(FLAGS, {"region": town, "status": "OPEN", "first": 10}, token=officer)
    assert still_open["reliefFlags"]["totalCount"] == 0


async def test_a_visit_and_a_list_item_round_trip_and_bad_input_writes_nothing(stack: Stack) -> None:
    town = new_town()
    officer, stranger = town_token(town), town_token(new_town())
    household = await granted(stack, town)
    visit = {
        "householdId": household["id"],
        "visitedOn": "2025-06-10",
        "visitor": {"name": "陈网格", "regionCode": village(town)},
        "needs": "冬季衣物",
    }
    first = (await stack.data(VISIT, {"input": visit}, token=officer))["recordReliefVisit"]
    assert (first["householdId"], first["regionCode"], first["visitedOn"]) == (
        household["id"],
        village(town),
        "2025-06-10",
    )
    assert (
        first["visitor"] == {"name": "陈网格", "regionCode": village(town)} and first["needs"] == "冬季衣物"
    )
    second = (await stack.data(VISIT, {"input": {**visit, "visitedOn": "2025-06-14"}}, token=officer))[
        "recordReliefVisit"
    ]

    page = (await stack.data(VISITS, {"household": household["id"], "first": 1}, token=officer))[
        "reliefVisits"
    ]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in page["edges"]] == [second["id"]]
    rest = await stack.data(
        VISITS, {"household": household["id"], "first": 1, "after": page["edges"][0]["cursor"]}, token=officer
    )
    assert [e["node"]["id"] for e in rest["reliefVisits"]["edges"]] == [first["id"]]

    item = {
        "householdId": household["id"],
        "kind": "MATERIAL",
        "deliveredOn": "2025-06-12",
        "deliveredBy": "慈善工作站",
    }
    made = (await stack.data(ITEM, {"input": item}, token=officer))["recordReliefListItem"]
    assert (made["kind"], made["deliveredOn"], made["note"]) == ("MATERIAL", "2025-06-12", None)
    items = (await stack.data(ITEMS, {"household": household["id"]}, token=officer))["reliefListItems"]
    assert [e["node"]["id"] for e in items["edges"]] == [made["id"]]

    # A day in the future names the field; nothing is written.
    bad = await stack.gql(VISIT, {"input": {**visit, "visitedOn": "2025-06-16"}}, token=officer)
    assert error_codes(bad) == ["INVALID_ARGUMENT"] and fields_of(bad) == ["visitedOn"]
    again = (await stack.data(VISITS, {"household": household["id"], "first": 10}, token=officer))[
        "reliefVisits"
    ]
    assert again["totalCount"] == 2

    # Another town: the household looks absent, for reads and writes alike.
    hidden = await stack.gql(VISITS, {"household": household["id"], "first": 10}, token=stranger)
    assert error_codes(hidden) == ["NOT_FOUND"]
    refused = await stack.gql(ITEM, {"input": item}, token=stranger)
    assert error_codes(refused) == ["NOT_FOUND"]


async def test_care_rates_and_indicators_of_a_town_against_the_plan(stack: Stack) -> None:
    town = new_town()
    officer, stranger = town_token(town), town_token(new_town())
    household = await granted(stack, town)
    item = {
        "householdId": household["id"],
        "kind": "CARE",
        "deliveredOn": "2025-06-15",
        "deliveredBy": "社工",
    }
    await stack.data(ITEM, {"input": item}, token=officer)

    rates = (await stack.data(RATES, {"region": town, "year": 2025}, token=officer))["reliefCareRates"]
    assert (rates["year"], rates["referenceDay"], rates["target"]) == (2025, "2025-06-15", 1.0)
    assert rates["towns"] == [
        {
            "townCode": town,
            "households": 1,
            "visited": 1,
            "listDelivered": 1,
            "oneThing": 1,
            "listDeliveredRate": 1.0,
        }
    ]

    found = (await stack.data(INDICATORS, {"region": town}, token=officer))["reliefIndicators"]
    assert (found["regionCode"], found["year"], found["asOf"]) == (town, 2025, "2025-06-15")
    assert (found["households"], found["persons"]) == (1, 2)
    assert {p["programme"]: p["households"] for p in found["programmes"]} == {
        "TEKUN": 0,
        "DIBAO": 1,
        "DIBIAN": 0,
    }
    [standard] = found["dibaoStandards"]
    assert (standard["regionCode"], standard["monthlyFen"], standard["annualYuan"]) == (
        town,
        "116667",
        "14000.04",
    )
    assert (standard["targetAnnualYuan"], standard["baselineAnnualYuan"], standard["status"]) == (
        "14000.00",
        "13224.00",
        "MET",
    )
    paid = found["moneyPaid"]
    assert (paid["paidFen"], paid["paidYuan"], paid["unavailableReason"], paid["households"]) == (
        "0",
        "0.00",
        None,
        0,
    )
    assert found["visited"] == {
        "numerator": 1,
        "denominator": 1,
        "value": 1.0,
        "target": 1.0,
        "status": "MET",
    }
    assert found["oneThing"]["status"] == "MET"

    # Another town: nothing counted, nothing to divide by; asking for this town is refused.
    elsewhere = (await stack.data(INDICATORS, {}, token=stranger))["reliefIndicators"]
    assert (elsewhere["households"], elsewhere["visited"]["value"], elsewhere["visited"]["status"]) == (
        0,
        None,
        "NO_DATA",
    )
    refused = await stack.gql(INDICATORS, {"region": town}, token=stranger)
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    bad = await stack.gql(INDICATORS, {"region": town, "year": 2020}, token=officer)
    assert error_codes(bad) == ["INVALID_ARGUMENT"] and fields_of(bad) == ["year"]


async def pay(stack: Stack, household: dict[str, Any], period: str, amount_fen: int) -> None:
    """A monthly payment on the household's grant, written straight into relief's database as a run would."""
    assert stack.relief.ctx is not None
    _, household_id = from_base64(household["id"])
    async with stack.relief.ctx.db.unit_of_work() as session:
        [grant] = (
            await session.exec(select(AssistanceGrant).where(AssistanceGrant.household_id == household_id))
        ).all()
        session.add(
            ReliefPayment(
                household_id=household_id,
                grant_id=grant.id,
                programme=grant.programme,
                period=period,
                region_code=household["regionCode"],
                amount_fen=amount_fen,
                basis="grant",
                run_id=f"run-{period}",
                reported_in=f"run-{period}",
                paid_at=datetime(2025, 6, 5, 1, 0, tzinfo=UTC),
            )
        )


async def test_money_paid_counts_the_years_payments_of_the_town_per_programme(stack: Stack) -> None:
    town = new_town()
    officer = town_token(town)
    first, second = await granted(stack, town), await granted(stack, town)
    for period in ("2025-04", "2025-05", "2025-06"):
        await pay(stack, first, period, 66_667)
    await pay(stack, second, "2025-06", 50_000)
    await pay(stack, second, "2024-12", 40_000)  # last year's

    found = (await stack.data(INDICATORS, {"region": town}, token=officer))["reliefIndicators"]
    paid = found["moneyPaid"]
    assert (paid["paidFen"], paid["paidYuan"], paid["households"]) == ("250001", "2500.01", 2)
    assert {p["programme"]: (p["households"], p["paidFen"], p["payments"]) for p in paid["programmes"]} == {
        "TEKUN": (0, "0", 0),
        "DIBAO": (2, "250001", 4),
        "DIBIAN": (0, "0", 0),
    }
    last_year = (await stack.data(INDICATORS, {"region": town, "year": 2024}, token=officer))[
        "reliefIndicators"
    ]
    assert (last_year["moneyPaid"]["paidYuan"], last_year["moneyPaid"]["households"]) == ("400.00", 1)
    # Another town's officer sees none of this town's money.
    elsewhere = (await stack.data(INDICATORS, {}, token=town_token(new_town())))["reliefIndicators"]
    assert elsewhere["moneyPaid"]["paidFen"] == "0"


PAGE_NODE = """
  id
  members { name }
  pastMembers { name }
  incomes { amountFen }
  assets { valueFen }
  grants { id programme status }
  applications(first: 5) { totalCount pageInfo { hasNextPage } edges { node { id state } } }
  flags(status: OPEN, first: 5) { totalCount edges { node { id fact } } }
"""
HOUSEHOLD_PAGE = f"""
query Page($region: String!, $first: Int!, $flagged: Boolean) {{
  households(regionCode: $region, first: $first, flagged: $flagged) {{
    totalCount edges {{ node {{ {PAGE_NODE} }} }}
  }}
}}
"""
ONE_HOUSEHOLD = f"query One($id: ID!) {{ household(id: $id) {{ {PAGE_NODE} }} }}"


async def test_a_page_of_households_costs_the_same_calls_whatever_its_size(stack: Stack) -> None:
    town = new_town()
    officer = town_token(town)
    holders = [await granted(stack, town) for _ in range(2)]
    others = [await dibao_household(stack, town, number) for number in (2, 2, 3, 3)]
    await raise_flag(stack, holders[0])
    await raise_flag(stack, others[0])
    await raise_flag(stack, others[0])

    sizes = {}
    for first in (2, 6):
        stack.gateway.counter.calls.clear()
        page = (await stack.data(HOUSEHOLD_PAGE, {"region": town, "first": first}, token=officer))[
            "households"
        ]
        sizes[first] = dict(stack.gateway.counter.calls)
        assert len(page["edges"]) == first and page["totalCount"] == 6
    # One list call and one batch call per field (file, grants, applications, flags), for 2 or 6 rows.
    assert sizes[2] == sizes[6] == {"ListHouseholds": 1, "BatchGetHouseholds": 4}

    nodes = {e["node"]["id"]: e["node"] for e in page["edges"]}
    for holder in holders:
        node = nodes[holder["id"]]
        assert [(g["programme"], g["status"]) for g in node["grants"]] == [("DIBAO", "ACTIVE")]
        assert node["applications"]["totalCount"] == 1
        assert node["applications"]["edges"][0]["node"]["state"] == "APPROVED"
        assert [i["amountFen"] for i in node["incomes"]] == ["1200000"]
    assert nodes[holders[0]["id"]]["flags"]["totalCount"] == 1
    assert nodes[others[0]["id"]]["flags"]["totalCount"] == 2
    assert nodes[others[1]["id"]]["flags"] == {"totalCount": 0, "edges": []}
    assert (
        nodes[others[1]["id"]]["grants"] == [] and nodes[others[1]["id"]]["applications"]["totalCount"] == 0
    )

    # The same figures as reading each household alone.
    for household in (holders[0], others[0]):
        alone = await stack.data(ONE_HOUSEHOLD, {"id": household["id"]}, token=officer)
        assert alone["household"] == nodes[household["id"]]

    # Only the flagged households, in the same shape.
    flagged = (
        await stack.data(HOUSEHOLD_PAGE, {"region": town, "first": 10, "flagged": True}, token=officer)
    )["households"]
    assert flagged["totalCount"] == 2
    assert {e["node"]["id"] for e in flagged["edges"]} == {holders[0]["id"], others[0]["id"]}
