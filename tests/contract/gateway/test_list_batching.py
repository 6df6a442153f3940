"""A page of rows costs the same number of gRPC calls whatever its size (no N+1 on nested lists).

A page of elders with their assessments, visits, devices and alarms, and a page of relief applications
(or of households' applications) with their steps and grants, are read through the gateway for a small
and a larger page; the gateway's calls to the services are counted and must not grow with the page.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from tests.contract.gateway.conftest import ADMIN, Stack, new_town, town_token
from tests.contract.gateway.elder_support import ingest_alarm, install_device, register_elder, village
from tests.contract.gateway.test_relief_applications import (
    APPROVE,
    DISTRICT_OFFICER,
    REVIEW,
    dibao_household,
    step,
    submit,
)

ASSESS = """
mutation Assess($input: RecordElderAssessmentInput!) { recordElderAssessment(input: $input) { id } }
"""
VISIT = "mutation Visit($input: RecordElderVisitInput!) { recordElderVisit(input: $input) { id } }"
ELDER_PAGE = """
query Page($region: String!, $first: Int!) {
  elders(regionCode: $region, first: $first) {
    edges { node { id
      assessments { level current } visits { visitedOn } devices { kind status }
      alarms { status elderIdNumber deviceSerial } recent: alarms(first: 1) { status } } }
  }
}
"""
APPLICATION_PAGE = """
query Page($region: String!, $first: Int!) {
  applications(regionCode: $region, first: $first) {
    edges { node { id state steps { action } grants { programme } } }
  }
}
"""
HOUSEHOLD_PAGE = """
query Page($region: String!, $first: Int!) {
  households(regionCode: $region, first: $first) {
    edges { node { id applications(first: 5) { edges { node { id steps { action } grants { id } } } } } }
  }
}
"""


async def elders_in(stack: Stack, town: str, count: int) -> list[str]:
    """``count`` elders spread over three villages of ``town``, each assessed, visited and with an alarm."""
    today = date.today().isoformat()
    made = []
    for n in range(count):
        elder = await register_elder(stack, village(town, 1 + n % 3), living="WITH_FAMILY")
        assessed = {"elderId": elder["id"], "level": "MILD", "assessedOn": today, "assessor": "王医生"}
        await stack.data(ASSESS, {"input": assessed})
        visitor = {"name": "社工小李", "regionCode": town}
        visited = {"elderId": elder["id"], "visitedOn": today, "visitor": visitor, "riskLevel": "LOW"}
        await stack.data(VISIT, {"input": visited})
        device = await install_device(stack, elder["id"], "SOS")
        await ingest_alarm(stack, device["serial"])
        made.append(elder["id"])
    return made


async def calls_for(
    stack: Stack, query: str, variables: dict[str, Any], token: str = ADMIN
) -> tuple[Any, Counter[str]]:
    """The query's data and the gateway's gRPC calls while answering it."""
    stack.gateway.counter.calls.clear()
    data = await stack.data(query, variables, token=token)
    return data, Counter(stack.gateway.counter.calls)


async def test_a_page_of_elders_with_their_lists_costs_one_call_per_list_whatever_its_size(
    stack: Stack,
) -> None:
    small_town, big_town = new_town(), new_town()
    await elders_in(stack, small_town, 2)
    await elders_in(stack, big_town, 7)

    small, small_calls = await calls_for(stack, ELDER_PAGE, {"region": small_town, "first": 2})
    big, big_calls = await calls_for(stack, ELDER_PAGE, {"region": big_town, "first": 50})

    assert len(small["elders"]["edges"]) == 2 and len(big["elders"]["edges"]) == 7
    for edge in small["elders"]["edges"] + big["elders"]["edges"]:
        node = edge["node"]
        assert node["assessments"] == [{"level": "MILD", "current": True}] and len(node["visits"]) == 1
        assert node["devices"] == [{"kind": "SOS", "status": "ACTIVE"}]
        (alarm,) = node["alarms"]
        assert alarm["status"] == "RAISED" and "*" in alarm["elderIdNumber"]  # masked, as ListAlarms
        assert node["recent"] == [{"status": "RAISED"}]
    # Both alarm fields (different ``first``) are one call each; nothing is asked per elder or village.
    assert (
        big_calls
        == small_calls
        == {
            "ListElders": 1,
            "BatchListAssessments": 1,
            "BatchListElderVisits": 1,
            "BatchListDevices": 1,
            "BatchListElderAlarms": 2,
        }
    )


async def test_a_town_officer_page_of_elders_shows_only_their_elders_lists(stack: Stack) -> None:
    town, other = new_town(), new_town()
    mine = await elders_in(stack, town, 2)
    await elders_in(stack, other, 1)
    page, _ = await calls_for(stack, ELDER_PAGE, {"region": town, "first": 10}, token=town_token(town))
    assert sorted(e["node"]["id"] for e in page["elders"]["edges"]) == sorted(mine)
    assert all(len(e["node"]["alarms"]) == 1 for e in page["elders"]["edges"])
    refused = await stack.gql(ELDER_PAGE, {"region": other, "first": 10}, token=town_token(town))
    assert refused["errors"] and not (refused.get("data") or {}).get("elders")


async def applications_in(stack: Stack, town: str, count: int) -> list[str]:
    """``count`` households of ``town`` each with an application; every other one approved (a grant)."""
    made = []
    for n in range(count):
        household = await dibao_household(stack, town, 1 + n % 3)
        application = await submit(stack, household["id"], ADMIN)
        if n % 2 == 0:
            await step(stack, REVIEW, ADMIN, id=application["id"])
            await step(stack, APPROVE, DISTRICT_OFFICER, id=application["id"])
        made.append(application["id"])
    return made


async def test_a_page_of_applications_with_steps_and_grants_costs_two_calls_whatever_its_size(
    stack: Stack,
) -> None:
    small_town, big_town = new_town(), new_town()
    await applications_in(stack, small_town, 1)
    await applications_in(stack, big_town, 5)

    small, small_calls = await calls_for(stack, APPLICATION_PAGE, {"region": small_town, "first": 1})
    big, big_calls = await calls_for(stack, APPLICATION_PAGE, {"region": big_town, "first": 20})

    rows = [e["node"] for e in big["applications"]["edges"]]
    assert len(rows) == 5 and len(small["applications"]["edges"]) == 1
    approved = [r for r in rows if r["state"] == "APPROVED"]
    assert len(approved) == 3
    assert all([s["action"] for s in r["steps"]] == ["submit", "review", "approve"] for r in approved)
    assert all(r["grants"] == [{"programme": "DIBAO"}] for r in approved)
    assert all(r["steps"] == [{"action": "submit"}] and r["grants"] == [] for r in rows if r not in approved)
    assert big_calls == small_calls == {"ListApplications": 1, "BatchGetApplications": 1}

    # The same through a page of households: their applications come in one batch, their files in one more.
    _, household_calls = await calls_for(stack, HOUSEHOLD_PAGE, {"region": big_town, "first": 10})
    _, one_household_calls = await calls_for(stack, HOUSEHOLD_PAGE, {"region": small_town, "first": 10})
    assert (
        household_calls
        == one_household_calls
        == {
            "ListHouseholds": 1,
            "BatchGetHouseholds": 1,
            "BatchGetApplications": 1,
        }
    )
