"""Protection cases (五位一体) through the gateway: report, steps, conferences, listing, scoping, errors.

The real childwelfare service behind the real gateway; each test uses its own town (``new_town``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from datetime import date, timedelta
from typing import Any

from strawberry.relay.utils import from_base64

from services.kit.auth import Role
from services.kit.idcard import make_id_number
from tests.contract.gateway.conftest import (
    ADMIN,
    CODEC,
    VIEWER,
    Stack,
    error_codes,
    new_town,
    next_event,
    subscribed,
    town_token,
    wait_until_published,
)

MASKED = re.compile(r"^330109\*{8}\d{3}[\dX]$")
_sequence = itertools.count(700)
CASE_FIELDS = """
  id regionCode childId childName idNumber state source concern reportedBy reportedAt responseDueAt
  respondedAt responseOverdue escalatedAt intervention placement { kind name startOn } closeReason
  steps { sequence fromState toState note actor intervention placement { kind name } closeReason }
  conferences { heldOn participants decisions recordedBy }
  allowedNext
"""
REPORT = f"""
mutation Report($input: ReportConcernInput!) {{ reportConcern(input: $input) {{ {CASE_FIELDS} }} }}
"""
ADVANCE = f"""
mutation Advance($input: AdvanceProtectionCaseInput!) {{
  advanceProtectionCase(input: $input) {{ {CASE_FIELDS} }}
}}
"""
CONFERENCE = """
mutation Conference($input: RecordCaseConferenceInput!) {
  recordCaseConference(input: $input) { id conferences { heldOn participants decisions } }
}
"""
CASE = f"query Case($id: ID!) {{ protectionCase(id: $id) {{ {CASE_FIELDS} }} }}"
CASES = """
query Cases($region: String, $state: CaseState, $overdue: Boolean! = false,
            $first: Int! = 20, $after: String) {
  protectionCases(regionCode: $region, state: $state, responseOverdue: $overdue,
                  first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id childName state responseOverdue } }
  }
}
"""


def director(village: str) -> str:
    return CODEC.mint(f"director-{village}", roles=[Role.VILLAGE_DIRECTOR], regions=[village])


async def report(stack: Stack, village: str, *, token: str, **more: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "childName": "小明",
            "regionCode": village,
            "source": "SCHOOL",
            "concern": "NEGLECT",
            "description": "连续三天无人接送",
            **more,
        }
    }
    return (await stack.data(REPORT, variables, token=token))["reportConcern"]


async def advance(stack: Stack, case_id: str, to: str, *, token: str, **more: Any) -> Any:
    return await stack.gql(
        ADVANCE, {"input": {"caseId": case_id, "toState": to, "note": "处置记录", **more}}, token=token
    )


async def test_a_report_goes_through_temporary_guardianship_to_closure(stack: Stack) -> None:
    town = new_town()
    village, officer = f"{town}001", town_token(town)
    number = make_id_number(
        area_code="330109", birth_date=stack.clock.now.date().replace(year=2016), sequence=771
    )
    case = await report(stack, village, token=director(village), idNumber=number, informant="邻居 陈阿姨")
    assert from_base64(case["id"])[0] == "ProtectionCase"
    assert case["state"] == "REPORTED" and case["allowedNext"] == ["ASSESSING"]
    assert MASKED.match(case["idNumber"]) and case["childId"] is None
    assert case["steps"][0] == {
        "sequence": 1,
        "fromState": None,
        "toState": "REPORTED",
        "note": "连续三天无人接送",
        "actor": f"director-{village}",
        "intervention": None,
        "placement": None,
        "closeReason": None,
    }
    assessing = await advance(stack, case["id"], "ASSESSING", token=officer)
    assert assessing["data"]["advanceProtectionCase"]["respondedAt"]
    conference = {
        "caseId": case["id"],
        "heldOn": stack.clock.now.date().isoformat(),
        "participants": ["王警官 (派出所)", "李主任 (社区)"],
        "decisions": "临时监护",
    }
    held = await stack.data(CONFERENCE, {"input": conference}, token=officer)
    assert held["recordCaseConference"]["conferences"][0]["participants"] == [
        "王警官 (派出所)",
        "李主任 (社区)",
    ]
    placement = {
        "kind": "INSTITUTION",
        "name": "区未成年人救助保护中心",
        "startOn": stack.clock.now.date().isoformat(),
    }
    placed = await advance(
        stack,
        case["id"],
        "INTERVENTION",
        token=officer,
        intervention="TEMPORARY_GUARDIANSHIP",
        placement=placement,
    )
    shown = placed["data"]["advanceProtectionCase"]
    assert shown["intervention"] == "TEMPORARY_GUARDIANSHIP" and shown["placement"]["kind"] == "INSTITUTION"
    await advance(stack, case["id"], "MONITORING", token=officer)
    closed = await advance(stack, case["id"], "CLOSED", token=officer, closeReason="RESOLVED")
    final = closed["data"]["advanceProtectionCase"]
    assert final["state"] == "CLOSED" and final["allowedNext"] == []
    assert [s["toState"] for s in final["steps"]] == [
        "REPORTED",
        "ASSESSING",
        "INTERVENTION",
        "MONITORING",
        "CLOSED",
    ]
    admin_view = (await stack.data(CASE, {"id": case["id"]}))["protectionCase"]
    assert admin_view["idNumber"] == number


async def test_cases_are_listed_by_pages_with_the_overdue_filter_and_scoped_to_regions(stack: Stack) -> None:
    town, other = new_town(), new_town()
    village = f"{town}001"
    first = await report(stack, village, token=ADMIN, childName="甲")
    stack.clock.now += timedelta(minutes=1)
    second = await report(stack, village, token=ADMIN, childName="乙")
    await advance(stack, second["id"], "ASSESSING", token=ADMIN)
    page = (await stack.data(CASES, {"region": town, "first": 1}, token=VIEWER))["protectionCases"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["childName"] for e in page["edges"]] == ["乙"]
    rest = await stack.data(CASES, {"region": town, "after": page["pageInfo"]["endCursor"]}, token=VIEWER)
    assert [e["node"]["id"] for e in rest["protectionCases"]["edges"]] == [first["id"]]
    stack.clock.now += timedelta(hours=25)
    overdue = (await stack.data(CASES, {"region": town, "overdue": True}, token=VIEWER))["protectionCases"]
    assert [e["node"]["id"] for e in overdue["edges"]] == [first["id"]]
    assert overdue["edges"][0]["node"]["responseOverdue"] is True
    outsider = town_token(other)
    assert (await stack.data(CASE, {"id": first["id"]}, token=outsider))["protectionCase"] is None
    theirs = (await stack.data(CASES, {}, token=outsider))["protectionCases"]
    assert theirs["totalCount"] == 0


async def test_bad_steps_and_reports_come_back_as_typed_errors_naming_the_field(stack: Stack) -> None:
    town = new_town()
    village = f"{town}001"
    case = await report(stack, village, token=ADMIN)
    await advance(stack, case["id"], "ASSESSING", token=ADMIN)
    body = await advance(
        stack, case["id"], "INTERVENTION", token=ADMIN, intervention="TEMPORARY_GUARDIANSHIP"
    )
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in body["errors"][0]["extensions"]["fields"]] == ["placement"]
    skipped = await advance(stack, case["id"], "CLOSED", token=ADMIN, closeReason="RESOLVED")
    assert error_codes(skipped) == ["FAILED_PRECONDITION"]
    refused = await advance(stack, case["id"], "INTERVENTION", token=VIEWER, intervention="FAMILY_SUPPORT")
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    bad_number = await stack.gql(
        REPORT,
        {
            "input": {
                "childName": "小明",
                "idNumber": "330109201601010000",
                "regionCode": village,
                "source": "HOTLINE",
                "concern": "ABUSE",
                "description": "热线来电",
            }
        },
        token=director(village),
    )
    assert error_codes(bad_number) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in bad_number["errors"][0]["extensions"]["fields"]] == ["idNumber"]
    elsewhere = await stack.gql(
        REPORT,
        {
            "input": {
                "childName": "小明",
                "regionCode": f"{new_town()}001",
                "source": "HOTLINE",
                "concern": "ABUSE",
                "description": "热线来电",
            }
        },
        token=director(village),
    )
    assert error_codes(elsewhere) == ["PERMISSION_DENIED"]
    listed = (await stack.data(CASES, {"region": town}, token=ADMIN))["protectionCases"]
    assert listed["totalCount"] == 1


async def test_a_report_reaches_the_towns_subscription_and_not_another_towns(stack: Stack) -> None:
    town, other = new_town(), new_town()
    types = ["civic.childwelfare.protection-case-opened"]
    async with (
        subscribed(stack, town_token(town), types) as mine,
        subscribed(stack, town_token(other), types) as theirs,
    ):
        case = await report(
            stack,
            f"{town}001",
            token=director(f"{town}001"),
            idNumber=make_id_number(
                area_code="330109", birth_date=date(2016, 3, 1), sequence=next(_sequence)
            ),
        )
        opened = await next_event(mine)
        assert opened["type"] == "civic.childwelfare.protection-case-opened.v1"
        assert opened["region"] == f"{town}001" and opened["subject"] == from_base64(case["id"])[1]
        assert MASKED.match(opened["data"]["child_id_masked"]) and "小明" not in str(opened)
        await wait_until_published(
            stack.nats_url, "civic.childwelfare.protection-case-opened", opened["subject"]
        )
        with contextlib.suppress(TimeoutError):
            extra = await asyncio.wait_for(theirs.recv(), 0.5)
            raise AssertionError(f"another town's officer got this town's report: {extra}")
