"""Relief over real HTTP: gateway (uvicorn) → HouseholdService and EligibilityService (gRPC, SQLite).

Households registered, read by id and by a member's ID number, listed by pages; members added, moved
and removed with their history; incomes and assets; the standards in force with their sources; a
household's eligibility with reasons and amount lines; bad input as typed field errors with nothing
written; and region scoping (a town officer of another town sees nothing and changes nothing).
relief runs on the stack's clock: "today" is 15 June 2025, so the 2025 standards are in force
(低保 1166.67 yuan a month) and June's income window is 2024-06-01..2025-05-31.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from services.kit.idcard import make_id_number
from tests.contract.gateway.conftest import VIEWER, Stack, error_codes, new_town, town_token
from tests.contract.gateway.elder_support import village

DIBAO_2025_FEN = 116_667
_people = itertools.count(1)

MEMBER_FIELDS = (
    "personId idNumber name sex birthDate age relation labourCapacity disabilityGrade employed joinedOn"
)
HOUSEHOLD_FIELDS = f"""
  id regionCode address registeredAt
  members {{ {MEMBER_FIELDS} }}
  pastMembers {{ personId name leftOn leftReason leftNote }}
  incomes {{ id personId kind amountFen amountYuan periodStart periodEnd }}
  assets {{ id personId kind valueFen valueYuan asOf }}
"""
REGISTER = f"""
mutation Register($input: RegisterHouseholdInput!) {{
  registerHousehold(input: $input) {{ {HOUSEHOLD_FIELDS} }}
}}
"""
HOUSEHOLD = f"query Household($id: ID!) {{ household(id: $id) {{ {HOUSEHOLD_FIELDS} }} }}"
BY_MEMBER = f"""
query ByMember($idNumber: String!) {{ householdByMember(idNumber: $idNumber) {{ {HOUSEHOLD_FIELDS} }} }}
"""
HOUSEHOLDS = """
query Households($region: String, $first: Int!, $after: String) {
  households(regionCode: $region, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id regionCode members { name } } }
  }
}
"""
INCOME = """
mutation Income($input: RecordHouseholdIncomeInput!) {
  recordHouseholdIncome(input: $input) {
    id householdId personId kind amountFen amountYuan periodStart periodEnd
  }
}
"""
ASSET = """
mutation Asset($input: RecordHouseholdAssetInput!) {
  recordHouseholdAsset(input: $input) { id householdId personId kind valueFen valueYuan asOf }
}
"""
ADD = f"""
mutation Add($input: AddHouseholdMemberInput!) {{
  addHouseholdMember(input: $input) {{ {HOUSEHOLD_FIELDS} }}
}}
"""
MOVE = f"""
mutation Move($input: MoveHouseholdMemberInput!) {{
  moveHouseholdMember(input: $input) {{ {HOUSEHOLD_FIELDS} }}
}}
"""
REMOVE = f"""
mutation Remove($input: RemoveHouseholdMemberInput!) {{
  removeHouseholdMember(input: $input) {{ {HOUSEHOLD_FIELDS} }}
}}
"""
STANDARDS = """
query Standards($region: String!, $day: Date) {
  reliefStandards(regionCode: $region, day: $day) {
    regionCode day dibaoMonthlyFen dibaoMonthlyYuan dibianMultiplier dibianLineMonthlyFen
    dibianAllowanceMonthlyFen tekunMonthlyFen tekunBasis tekunMinorAgeLimit priceSubsidyMonthlyFen
    incomeWindowMonths assetLimitMonths sources { table regionKey span source }
  }
}
"""
ASSESSMENT_FIELDS = """
  householdId month classification amountFen amountYuan engineVersion
  lines { item amountFen amountYuan personId } reasons { rule text figures }
  standards { dibaoMonthlyFen day }
"""
ELIGIBILITY = f"""
query Eligibility($id: ID!, $month: String) {{
  householdEligibility(householdId: $id, month: $month) {{ {ASSESSMENT_FIELDS} }}
}}
"""
NESTED_ELIGIBILITY = f"""
query Nested($id: ID!) {{ household(id: $id) {{ eligibility(month: "2025-06") {{ {ASSESSMENT_FIELDS} }} }} }}
"""


def id_number(born: date = date(1985, 3, 2)) -> str:
    """A valid ID number no other test in this module uses."""
    return make_id_number(area_code="330109", birth_date=born, sequence=next(_people))


def person(
    relation: str = "HEAD", *, name: str = "王建国", born: date = date(1985, 3, 2), number: str | None = None
) -> dict[str, Any]:
    """A HouseholdPersonInput."""
    return {
        "idNumber": number or id_number(born),
        "name": name,
        "relation": relation,
        "labourCapacity": "FULL",
    }


async def register(
    stack: Stack, region: str, *members: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    """Register a household (a lone head unless members are given); its GraphQL fields."""
    variables = {
        "input": {
            "regionCode": region,
            "address": "湘湖路1号",
            "members": list(members) or [person()],
            "since": "2020-01-01",
        }
    }
    kwargs = {"token": token} if token else {}
    return (await stack.data(REGISTER, variables, **kwargs))["registerHousehold"]


def fields_of(body: dict[str, Any]) -> list[str]:
    """The GraphQL fields an INVALID_ARGUMENT error names."""
    return sorted(f["field"] for f in body["errors"][0]["extensions"]["fields"])


async def test_a_household_is_registered_and_read_back_by_id_and_by_a_members_id_number(stack: Stack) -> None:
    town = new_town()
    head, child = person(), person("CHILD", name="王小明", born=date(2015, 7, 1))
    made = await register(stack, village(town), head, child)
    assert made["regionCode"] == village(town) and made["address"] == "湘湖路1号"
    assert [(m["name"], m["relation"], m["idNumber"]) for m in made["members"]] == [
        ("王建国", "HEAD", head["idNumber"]),
        ("王小明", "CHILD", child["idNumber"]),
    ]
    assert made["members"][1]["age"] == 9 and made["members"][1]["birthDate"] == "2015-07-01"
    assert made["incomes"] == [] and made["assets"] == [] and made["pastMembers"] == []

    by_id = (await stack.data(HOUSEHOLD, {"id": made["id"]}))["household"]
    assert by_id == made
    seen = (await stack.data(BY_MEMBER, {"idNumber": child["idNumber"]}, token=VIEWER))["householdByMember"]
    assert seen["id"] == made["id"]
    masked = seen["members"][1]["idNumber"]
    assert masked != child["idNumber"] and "*" in masked and masked[-4:] == child["idNumber"][-4:]
    assert {m["birthDate"] for m in seen["members"]} == {None}  # it would give the hidden digits back
    nobody = (await stack.data(BY_MEMBER, {"idNumber": id_number()}))["householdByMember"]
    assert nobody is None


async def test_incomes_and_assets_round_trip_and_show_on_the_household(stack: Stack) -> None:
    made = await register(stack, village(new_town()))
    head = made["members"][0]["personId"]
    income = {
        "householdId": made["id"],
        "personId": head,
        "kind": "WAGES",
        "amountFen": "600000",
        "periodStart": "2024-06-01",
        "periodEnd": "2025-05-31",
    }
    recorded = (await stack.data(INCOME, {"input": income}))["recordHouseholdIncome"]
    assert recorded["householdId"] == made["id"] and recorded["personId"] == head
    assert (recorded["amountFen"], recorded["amountYuan"], recorded["kind"]) == ("600000", "6000.00", "WAGES")
    asset = {"householdId": made["id"], "personId": head, "kind": "DEPOSIT", "valueFen": "3000000000"}
    valued = (await stack.data(ASSET, {"input": asset}))["recordHouseholdAsset"]
    # Beyond GraphQL's 32-bit Int: money stays an exact decimal string.
    assert (valued["valueFen"], valued["valueYuan"], valued["asOf"]) == (
        "3000000000",
        "30000000.00",
        "2025-06-15",
    )

    file = (await stack.data(HOUSEHOLD, {"id": made["id"]}))["household"]
    assert [i["id"] for i in file["incomes"]] == [recorded["id"]]
    assert [a["id"] for a in file["assets"]] == [valued["id"]]


async def test_households_paginate_and_a_page_loads_its_households_files_in_one_call(stack: Stack) -> None:
    town = new_town()
    made = [await register(stack, village(town, n)) for n in (1, 2, 3)]
    variables: dict[str, Any] = {"region": town, "first": 2, "after": None}
    first = (await stack.data(HOUSEHOLDS, variables))["households"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] and len(first["edges"]) == 2
    rest = (await stack.data(HOUSEHOLDS, {**variables, "after": first["pageInfo"]["endCursor"]}))[
        "households"
    ]
    assert not rest["pageInfo"]["hasNextPage"] and rest["pageInfo"]["hasPreviousPage"]
    assert [e["node"]["id"] for e in first["edges"] + rest["edges"]] == [h["id"] for h in made]
    assert [e["node"]["regionCode"] for e in first["edges"]] == [village(town, 1), village(town, 2)]

    stack.gateway.counter.calls.clear()
    nested = """
    query Nested($region: String!) {
      households(regionCode: $region, first: 10) {
        edges { node { pastMembers { name } incomes { id } again: incomes { id } assets { id } } }
      }
    }
    """
    await stack.data(nested, {"region": town})
    # One batch call for the whole page's files, not one per household (nor per field).
    assert stack.gateway.counter.calls == {"ListHouseholds": 1, "BatchGetHouseholds": 1}


async def test_members_join_move_and_leave_with_their_history_kept(stack: Stack) -> None:
    town = new_town()
    home = await register(stack, village(town))
    other = await register(stack, village(town, 2))
    spouse = person("SPOUSE", name="李秀英")
    joined = (
        await stack.data(
            ADD, {"input": {"householdId": home["id"], "person": spouse, "joinedOn": "2024-01-01"}}
        )
    )["addHouseholdMember"]
    assert [m["name"] for m in joined["members"]] == ["王建国", "李秀英"]
    mover = joined["members"][1]["personId"]

    moved = (
        await stack.data(
            MOVE,
            {
                "input": {
                    "personId": mover,
                    "toHouseholdId": other["id"],
                    "relation": "SPOUSE",
                    "movedOn": "2025-03-01",
                }
            },
        )
    )["moveHouseholdMember"]
    assert moved["id"] == other["id"] and [m["personId"] for m in moved["members"]][1] == mover
    left_home = (await stack.data(HOUSEHOLD, {"id": home["id"]}))["household"]
    assert [(p["personId"], p["leftOn"], p["leftReason"]) for p in left_home["pastMembers"]] == [
        (mover, "2025-03-01", "MOVED")
    ]

    removed = (
        await stack.data(
            REMOVE,
            {
                "input": {
                    "householdId": other["id"],
                    "personId": mover,
                    "reason": "DIED",
                    "leftOn": "2025-06-01",
                    "note": "病故",
                }
            },
        )
    )["removeHouseholdMember"]
    assert [m["name"] for m in removed["members"]] == ["王建国"]
    assert [(p["leftReason"], p["leftNote"]) for p in removed["pastMembers"]] == [("DIED", "病故")]
    # A listed household has no past members in the list reply: the gateway reads its file for them.
    past = """
    query Past($region: String!) {
      households(regionCode: $region) { edges { node { pastMembers { leftReason } } } }
    }
    """
    listed = (await stack.data(past, {"region": town}))["households"]["edges"]
    assert [[p["leftReason"] for p in e["node"]["pastMembers"]] for e in listed] == [["MOVED"], ["DIED"]]

    again = await stack.gql(
        ADD,
        {
            "input": {
                "householdId": other["id"],
                "person": {**person(), "relation": "CHILD", "idNumber": home["members"][0]["idNumber"]},
            }
        },
    )
    assert error_codes(again) == ["ALREADY_EXISTS"] and again["data"] is None


async def test_the_standards_in_force_come_with_their_sources(stack: Stack) -> None:
    town = new_town()
    now = (await stack.data(STANDARDS, {"region": town, "day": None}, token=town_token(new_town())))[
        "reliefStandards"
    ]
    assert (now["regionCode"], now["day"]) == (town, "2025-06-15")
    assert (now["dibaoMonthlyFen"], now["dibaoMonthlyYuan"]) == (str(DIBAO_2025_FEN), "1166.67")
    assert now["dibianMultiplier"] == "2" and now["tekunMinorAgeLimit"] == 18
    assert {"dibao_monthly", "dibian", "tekun"} <= {s["table"] for s in now["sources"]}
    assert all(s["regionKey"] == "330109" and s["span"] for s in now["sources"])

    earlier = (await stack.data(STANDARDS, {"region": town, "day": "2024-09-15"}))["reliefStandards"]
    assert earlier["dibaoMonthlyFen"] == "110200"
    before_any = await stack.gql(STANDARDS, {"region": town, "day": "2020-12-31"})
    assert error_codes(before_any) == ["FAILED_PRECONDITION"]


async def test_a_household_below_the_standard_is_dibao_with_the_gap_as_its_amount(stack: Stack) -> None:
    made = await register(stack, village(new_town()))
    head = made["members"][0]["personId"]
    income = {
        "householdId": made["id"],
        "personId": head,
        "kind": "WAGES",
        "amountFen": "600000",  # 500.00 yuan a month over June's 12-month window
        "periodStart": "2024-06-01",
        "periodEnd": "2025-05-31",
    }
    await stack.data(INCOME, {"input": income})

    result = (await stack.data(ELIGIBILITY, {"id": made["id"], "month": "2025-06"}))["householdEligibility"]
    assert (result["householdId"], result["month"], result["classification"]) == (
        made["id"],
        "2025-06",
        "DIBAO",
    )
    assert result["amountFen"] == str(DIBAO_2025_FEN - 50_000) and result["amountYuan"] == "666.67"
    assert sum(int(line["amountFen"]) for line in result["lines"]) == int(result["amountFen"])
    assert "dibao_gap" in {line["item"] for line in result["lines"]}
    assert result["reasons"] and all(r["rule"] and r["text"] for r in result["reasons"])
    assert all(isinstance(r["figures"], dict) for r in result["reasons"])
    assert result["standards"] == {"dibaoMonthlyFen": str(DIBAO_2025_FEN), "day": "2025-06-01"}
    assert result["engineVersion"]

    nested = (await stack.data(NESTED_ELIGIBILITY, {"id": made["id"]}))["household"]["eligibility"]
    assert nested == result
    default_month = (await stack.data(ELIGIBILITY, {"id": made["id"], "month": None}))["householdEligibility"]
    assert default_month["month"] == "2025-06"


async def test_bad_input_is_refused_field_by_field_and_writes_nothing(stack: Stack) -> None:
    town = new_town()
    bad_number = id_number()
    bad_number = bad_number[:-1] + ("0" if bad_number[-1] != "0" else "1")
    variables = {
        "input": {
            "regionCode": town,  # a town, not a village
            "members": [person(number=bad_number), person("SPOUSE", name="")],
        }
    }
    body = await stack.gql(REGISTER, variables)
    assert error_codes(body) == ["INVALID_ARGUMENT"] and body["data"] is None
    assert fields_of(body) == ["members[0].idNumber", "members[1].name", "regionCode"]
    assert bad_number not in str(body)  # the reason never echoes the number
    listed = (await stack.data(HOUSEHOLDS, {"region": town, "first": 5}))["households"]
    assert listed["totalCount"] == 0

    made = await register(stack, village(town))
    head = made["members"][0]["personId"]
    base = {"householdId": made["id"], "personId": head, "kind": "WAGES", "periodStart": "2025-01-01"}
    negative = await stack.gql(INCOME, {"input": {**base, "amountFen": "-1", "periodEnd": "2024-12-31"}})
    assert error_codes(negative) == ["INVALID_ARGUMENT"]
    assert fields_of(negative) == ["amountFen", "periodEnd"]
    fraction = await stack.gql(INCOME, {"input": {**base, "amountFen": "12.5", "periodEnd": "2025-01-31"}})
    assert error_codes(fraction) == ["INVALID_ARGUMENT"] and fields_of(fraction) == ["amountFen"]
    wrong_kind = await stack.gql(HOUSEHOLD, {"id": head})  # a person's id is not a household's
    assert error_codes(wrong_kind) == ["INVALID_ARGUMENT"] and fields_of(wrong_kind) == ["id"]
    bad_month = await stack.gql(ELIGIBILITY, {"id": made["id"], "month": "2025-13"})
    assert error_codes(bad_month) == ["INVALID_ARGUMENT"] and fields_of(bad_month) == ["month"]
    assert (await stack.data(HOUSEHOLD, {"id": made["id"]}))["household"]["incomes"] == []


async def test_a_town_officer_of_another_town_sees_nothing_and_changes_nothing(stack: Stack) -> None:
    mine, theirs = new_town(), new_town()
    own = await register(stack, village(mine), token=town_token(mine))
    other = await register(stack, village(theirs), token=town_token(theirs))
    officer = town_token(mine)

    assert (await stack.data(HOUSEHOLD, {"id": other["id"]}, token=officer))["household"] is None
    by_member = await stack.data(BY_MEMBER, {"idNumber": other["members"][0]["idNumber"]}, token=officer)
    assert by_member["householdByMember"] is None
    eligibility = await stack.data(ELIGIBILITY, {"id": other["id"], "month": "2025-06"}, token=officer)
    assert eligibility["householdEligibility"] is None
    listed = (await stack.data(HOUSEHOLDS, {"region": None, "first": 50}, token=officer))["households"]
    assert [e["node"]["id"] for e in listed["edges"]] == [own["id"]] and listed["totalCount"] == 1
    denied = await stack.gql(HOUSEHOLDS, {"region": theirs, "first": 5}, token=officer)
    assert error_codes(denied) == ["PERMISSION_DENIED"]

    income = {
        "householdId": other["id"],
        "personId": other["members"][0]["personId"],
        "kind": "WAGES",
        "amountFen": "100",
        "periodStart": "2025-01-01",
        "periodEnd": "2025-01-31",
    }
    body = await stack.gql(INCOME, {"input": income}, token=officer)
    assert error_codes(body) == ["NOT_FOUND"] and body["data"] is None
    outside = await stack.gql(
        REGISTER, {"input": {"regionCode": village(theirs), "members": [person()]}}, token=officer
    )
    assert error_codes(outside) == ["PERMISSION_DENIED"]
    assert (await stack.data(HOUSEHOLD, {"id": other["id"]}))["household"]["incomes"] == []
