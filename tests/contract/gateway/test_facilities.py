"""Adoptions, children's homes, protection stations and coverage through the gateway.

The real childwelfare service (SQLite, clock fixed at 15 June 2025 in Shanghai) behind the real gateway;
each test uses its own town (``new_town``), so tests stay out of each other's way.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

from services.kit.auth import Role
from services.kit.idcard import make_id_number
from tests.contract.gateway.conftest import CODEC, VIEWER, Stack, error_codes, new_town, town_token

MASKED = re.compile(r"^330109\*{8}\d{3}[\dX]$")
DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=["330109"])
_sequence = itertools.count(600)

ADOPTION_FIELDS = """
  id regionCode childIdNumber childName childAgeOnApplication appliedOn status decidedOn certificateNumber
  adopters { name idNumber relation ageOnApplication }
  assessment { result assessedOn assessedBy notes }
"""
REGISTER = f"""
mutation R($input: RegisterAdoptionInput!) {{ registerAdoption(input: $input) {{ {ADOPTION_FIELDS} }} }}
"""
ASSESS = f"""
mutation A($input: RecordAdoptionAssessmentInput!) {{
  recordAdoptionAssessment(input: $input) {{ {ADOPTION_FIELDS} }}
}}
"""
COMPLETE = f"""
mutation C($input: CompleteAdoptionInput!) {{ completeAdoption(input: $input) {{ {ADOPTION_FIELDS} }} }}
"""
ADOPTION = f"query G($id: ID!) {{ adoption(id: $id) {{ {ADOPTION_FIELDS} }} }}"
ADOPTIONS = """
query L($region: String, $status: AdoptionStatus, $first: Int! = 20, $after: String) {
  adoptions(regionCode: $region, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status childIdNumber } }
  }
}
"""
HOME_FIELDS = """
  id regionCode name level tier openedOn closedOn open
  levelHistory { level tier effectiveFrom effectiveTo reason }
"""
OPEN_HOME = f"""
mutation O($input: OpenChildrenHomeInput!) {{ openChildrenHome(input: $input) {{ {HOME_FIELDS} }} }}
"""
CHANGE_LEVEL = f"""
mutation L($input: ChangeChildrenHomeLevelInput!) {{
  changeChildrenHomeLevel(input: $input) {{ {HOME_FIELDS} }}
}}
"""
CLOSE_HOME = f"""
mutation X($input: CloseChildrenHomeInput!) {{ closeChildrenHome(input: $input) {{ {HOME_FIELDS} }} }}
"""
HOMES = """
query H($region: String, $level: ChildrenHomeLevel, $closed: Boolean! = false, $first: Int! = 20) {
  childrenHomes(regionCode: $region, level: $level, includeClosed: $closed, first: $first) {
    totalCount edges { node { id name level tier open } }
  }
}
"""
OPEN_STATION = """
mutation S($input: OpenProtectionStationInput!) {
  openProtectionStation(input: $input) { id regionCode name openedOn staffCount contact }
}
"""
STATIONS = (
    "query P($region: String) { protectionStations(regionCode: $region) { id regionCode name staffCount } }"
)
COVERAGE = """
query V($region: String) {
  facilityCoverage(regionCode: $region) {
    asOf townsWithStation townsWithHome townsFullyCovered
    towns { townCode hasStation stationName villageCount villagesWithHome demonstrationHomes homeRate }
  }
}
"""


def person(born: date) -> str:
    """A valid ID number no other test uses."""
    return make_id_number(area_code="330109", birth_date=born, sequence=next(_sequence))


def application(village: str, adopters: list[dict[str, str]]) -> dict[str, Any]:
    """Variables of an application for a 5-year-old girl of ``village``."""
    child = make_id_number(
        area_code="330109", birth_date=date(2020, 4, 1), sequence=2 * (next(_sequence) - 300)
    )
    return {
        "input": {"childIdNumber": child, "childName": "萧小禾", "regionCode": village, "adopters": adopters}
    }


def fields_of(body: dict[str, Any]) -> list[str]:
    """The fields an INVALID_ARGUMENT error names."""
    return [f["field"] for f in body["errors"][0]["extensions"]["fields"]]


async def test_an_adoption_is_applied_for_assessed_and_registered_through_the_graph(stack: Stack) -> None:
    town = new_town()
    village = town + "001"
    couple = [
        {"name": "王父", "idNumber": person(date(1988, 3, 2))},
        {"name": "李母", "idNumber": person(date(1990, 7, 9)), "relation": "OTHER"},
    ]
    applied = (await stack.data(REGISTER, application(village, couple), token=DISTRICT_OFFICER))[
        "registerAdoption"
    ]
    assert applied["status"] == "APPLIED" and applied["appliedOn"] == "2025-06-15"
    assert [a["ageOnApplication"] for a in applied["adopters"]] == [37, 34]
    assessed = await stack.data(
        ASSESS, {"input": {"adoptionId": applied["id"], "result": "SUITABLE", "assessedBy": "收养评估中心"}}
    )
    assert assessed["recordAdoptionAssessment"]["assessment"]["result"] == "SUITABLE"
    done = await stack.data(
        COMPLETE,
        {"input": {"adoptionId": applied["id"], "outcome": "REGISTER", "certificateNumber": "GW-001"}},
    )
    assert done["completeAdoption"]["status"] == "REGISTERED"
    assert done["completeAdoption"]["certificateNumber"] == "GW-001"

    seen = (await stack.data(ADOPTION, {"id": applied["id"]}, token=town_token(town)))["adoption"]
    assert MASKED.match(seen["childIdNumber"]) and all(MASKED.match(a["idNumber"]) for a in seen["adopters"])
    assert (await stack.data(ADOPTION, {"id": applied["id"]}, token=town_token(new_town())))[
        "adoption"
    ] is None
    listed = (await stack.data(ADOPTIONS, {"region": town, "status": "REGISTERED"}))["adoptions"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["id"] == applied["id"]
    body = await stack.gql(ADOPTIONS, {"region": town}, token=VIEWER)
    assert error_codes(body) == ["PERMISSION_DENIED"]


async def test_bad_adoptions_name_the_field_and_write_nothing(stack: Stack) -> None:
    town = new_town()
    spouse = {"name": "配偶", "idNumber": person(date(1990, 1, 1))}
    young = [{"name": "年轻人", "idNumber": person(date(1996, 1, 1))}, spouse]
    body = await stack.gql(REGISTER, application(town + "001", young))
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["adopters[0].idNumber"]
    body = await stack.gql(REGISTER, application(town + "001", [spouse, spouse]))
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["adopters"]
    body = await stack.gql(REGISTER, application(town + "001", [spouse]), token=town_token(town))
    assert error_codes(body) == ["PERMISSION_DENIED"]
    assert (await stack.data(ADOPTIONS, {"region": town}))["adoptions"]["totalCount"] == 0


async def test_homes_stations_and_coverage_through_the_graph(stack: Stack) -> None:
    town = new_town()
    officer = town_token(town)
    first, second = town + "001", town + "002"
    home = (
        await stack.data(
            OPEN_HOME,
            {"input": {"regionCode": first, "name": "一村儿童之家", "level": "BASIC"}},
            token=officer,
        )
    )["openChildrenHome"]
    assert home["open"] and home["tier"] is None and len(home["levelHistory"]) == 1
    changed = (
        await stack.data(
            CHANGE_LEVEL,
            {
                "input": {
                    "homeId": home["id"],
                    "level": "DEMONSTRATION",
                    "tier": "PROVINCE",
                    "reason": "省级示范",
                }
            },
            token=officer,
        )
    )["changeChildrenHomeLevel"]
    assert (changed["level"], changed["tier"]) == ("DEMONSTRATION", "PROVINCE")
    assert [p["level"] for p in changed["levelHistory"]] == ["BASIC", "DEMONSTRATION"]
    body = await stack.gql(
        OPEN_HOME, {"input": {"regionCode": first, "name": "重复", "level": "BASIC"}}, token=officer
    )
    assert error_codes(body) == ["ALREADY_EXISTS"]
    body = await stack.gql(
        OPEN_HOME,
        {"input": {"regionCode": second, "name": "二村", "level": "BASIC", "tier": "CITY"}},
        token=officer,
    )
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["tier"]
    other = (
        await stack.data(
            OPEN_HOME, {"input": {"regionCode": second, "name": "二村儿童之家", "level": "BASIC"}}
        )
    )["openChildrenHome"]
    demo = (await stack.data(HOMES, {"region": town, "level": "DEMONSTRATION"}, token=VIEWER))[
        "childrenHomes"
    ]
    assert demo["totalCount"] == 1 and demo["edges"][0]["node"]["id"] == home["id"]
    closed = (
        await stack.data(CLOSE_HOME, {"input": {"homeId": other["id"], "reason": "合并"}}, token=officer)
    )["closeChildrenHome"]
    assert closed["open"] is False and closed["closedOn"] == "2025-06-15"

    station_input = {"regionCode": town, "name": "未保工作站", "staffCount": 4, "contact": "0571-000"}
    station = (await stack.data(OPEN_STATION, {"input": station_input}, token=officer))[
        "openProtectionStation"
    ]
    assert station["staffCount"] == 4
    assert error_codes(await stack.gql(OPEN_STATION, {"input": station_input})) == ["ALREADY_EXISTS"]
    assert [s["id"] for s in (await stack.data(STATIONS, {"region": town}))["protectionStations"]] == [
        station["id"]
    ]

    coverage = (await stack.data(COVERAGE, {"region": town}, token=VIEWER))["facilityCoverage"]
    assert coverage["asOf"] == "2025-06-15" and coverage["townsWithStation"] == 1
    [row] = coverage["towns"]
    assert (row["townCode"], row["hasStation"], row["villagesWithHome"], row["demonstrationHomes"]) == (
        town,
        True,
        1,
        1,
    )
    assert row["villageCount"] == 2 and row["homeRate"] == 0.5
