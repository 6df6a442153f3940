"""Relief applications over real HTTP: gateway (uvicorn) → ApplicationService and HouseholdService (gRPC).

A 低保 household's application submitted, reviewed by the town and approved by the district (two
officers) through GraphQL; maker–checker refused (the reviewer approving); rejection, appeal and its
decision; withdrawal; the household showing its applications and grant; ``households(programme:)``;
the re-check worklist and a re-check recorded; and region scoping (another town sees nothing).
relief runs on the stack's clock: today is 15 June 2025 (低保 1166.67 yuan a month).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.kit.auth import Role
from tests.contract.gateway.conftest import ADMIN, CODEC, DISTRICT, Stack, error_codes, new_town, town_token
from tests.contract.gateway.elder_support import village
from tests.contract.gateway.test_relief import INCOME, person, register

DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
DISTRICT_OFFICER_2 = CODEC.mint("district-officer-2", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])

APPLICATION_FIELDS = """
  id householdId regionCode items state note submittedBy reviewedBy decidedBy reason appealReason
  commitment { signedBy signedOn }
  assessment { month classification amountFen amountYuan snapshot }
  steps { sequence action fromState toState actor note }
  grants { id programme status effectiveFrom recheckDueOn monthlyAmountFen monthlyAmountYuan applicationId }
"""
SUBMIT = f"""
mutation Submit($input: SubmitReliefApplicationInput!) {{
  submitReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
REVIEW = f"""
mutation Review($input: ReliefApplicationNoteInput!) {{
  reviewReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
APPROVE = f"""
mutation Approve($input: ReliefApplicationNoteInput!) {{
  approveReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
REJECT = f"""
mutation Reject($input: ReliefApplicationReasonInput!) {{
  rejectReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
APPEAL = f"""
mutation Appeal($input: ReliefApplicationReasonInput!) {{
  appealReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
DECIDE = f"""
mutation Decide($input: DecideReliefAppealInput!) {{
  decideReliefAppeal(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
WITHDRAW = f"""
mutation Withdraw($input: ReliefApplicationReasonInput!) {{
  withdrawReliefApplication(input: $input) {{ {APPLICATION_FIELDS} }}
}}
"""
APPLICATION = f"query Application($id: ID!) {{ application(id: $id) {{ {APPLICATION_FIELDS} }} }}"
APPLICATIONS = """
query Applications($region: String, $state: ReliefApplicationState, $first: Int!, $after: String) {
  applications(regionCode: $region, state: $state, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id state steps { action } grants { id } } }
  }
}
"""
HOUSEHOLD_CASES = """
query Cases($id: ID!) {
  household(id: $id) {
    id
    applications(first: 10) { totalCount edges { node { id state } } }
    grants { id programme status householdId }
  }
}
"""
BY_PROGRAMME = """
query ByProgramme($region: String, $programme: ReliefProgramme) {
  households(regionCode: $region, programme: $programme, first: 10) { totalCount edges { node { id } } }
}
"""
WORKLIST = """
query Worklist($region: String) {
  reliefRecheckWorklist(regionCode: $region, first: 10) { totalCount edges { node { id recheckDueOn } } }
}
"""
RECHECK = """
mutation Recheck($input: RecordReliefRecheckInput!) {
  recordReliefRecheck(input: $input) { id status recheckDueOn suspendedFrom statusReason }
}
"""
SUSPEND = """
mutation Suspend($input: EndReliefGrantInput!) {
  suspendReliefGrant(input: $input) { id status suspendedFrom statusReason }
}
"""
TERMINATE = """
mutation Terminate($input: EndReliefGrantInput!) {
  terminateReliefGrant(input: $input) { id status endedOn statusReason }
}
"""


async def dibao_household(stack: Stack, town: str, number: int = 1) -> dict[str, Any]:
    """A head and a child living on 1,000 yuan a month in a village of ``town``: 低保 in June 2025."""
    made = await register(stack, village(town, number), person(), person("CHILD", name="王小明"))
    income = {
        "householdId": made["id"],
        "personId": made["members"][0]["personId"],
        "kind": "WAGES",
        "amountFen": str(12 * 100_000),
        "periodStart": "2024-06-01",
        "periodEnd": "2025-05-31",
    }
    await stack.data(INCOME, {"input": income})
    return made


async def submit(stack: Stack, household_id: str, token: str, *items: str) -> dict[str, Any]:
    """Submit an application (default 低保 and medical relief), signed."""
    variables = {
        "input": {
            "householdId": household_id,
            "items": list(items or ("dibao", "medical")),
            "commitment": {"signedBy": "王建国", "signedOn": "2025-06-14"},
        }
    }
    return (await stack.data(SUBMIT, variables, token=token))["submitReliefApplication"]


async def step(stack: Stack, mutation: str, token: str, **fields: Any) -> Any:
    """A step's whole response body (it may carry errors)."""
    return await stack.gql(mutation, {"input": fields}, token=token)


async def test_submit_review_approve_by_two_officers_grants_dibao_and_shows_on_the_household(
    stack: Stack,
) -> None:
    town = new_town()
    officer = town_token(town)
    household = await dibao_household(stack, town)
    made = await submit(stack, household["id"], officer)
    assert made["state"] == "SUBMITTED" and made["items"] == ["dibao", "medical"]
    assert made["householdId"] == household["id"] and made["commitment"]["signedBy"] == "王建国"
    assert made["assessment"] is None and [s["action"] for s in made["steps"]] == ["submit"]

    reviewed = (await step(stack, REVIEW, officer, id=made["id"], note="家访核实"))["data"][
        "reviewReliefApplication"
    ]
    assert reviewed["state"] == "REVIEWED" and reviewed["reviewedBy"] == f"officer-{town}"
    assessment = reviewed["assessment"]
    assert (assessment["month"], assessment["classification"]) == ("2025-06", "DIBAO")
    assert assessment["amountFen"] == str(2 * 116_667 - 100_000)
    assert "household" in assessment["snapshot"]  # the engine's whole snapshot, as a JSON object

    # A town officer may not approve; the district officer may.
    refused = await step(stack, APPROVE, officer, id=made["id"])
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    approved = (await step(stack, APPROVE, DISTRICT_OFFICER, id=made["id"]))["data"][
        "approveReliefApplication"
    ]
    assert approved["state"] == "APPROVED" and approved["decidedBy"] == "district-officer"
    assert [s["action"] for s in approved["steps"]] == ["submit", "review", "approve"]
    (grant,) = approved["grants"]
    assert (grant["programme"], grant["status"]) == ("DIBAO", "ACTIVE")
    assert (grant["effectiveFrom"], grant["recheckDueOn"]) == ("2025-06-15", "2026-06-15")
    assert grant["monthlyAmountFen"] == str(2 * 116_667 - 100_000) and grant["applicationId"] == made["id"]

    again = (await stack.data(APPLICATION, {"id": made["id"]}))["application"]
    assert again == approved
    cases = (await stack.data(HOUSEHOLD_CASES, {"id": household["id"]}, token=officer))["household"]
    assert [e["node"]["id"] for e in cases["applications"]["edges"]] == [made["id"]]
    assert cases["grants"] == [
        {"id": grant["id"], "programme": "DIBAO", "status": "ACTIVE", "householdId": household["id"]}
    ]
    holding = (await stack.data(BY_PROGRAMME, {"region": town, "programme": "DIBAO"}))["households"]
    assert [e["node"]["id"] for e in holding["edges"]] == [household["id"]] and holding["totalCount"] == 1
    tekun = (await stack.data(BY_PROGRAMME, {"region": town, "programme": "TEKUN"}))["households"]
    assert tekun["totalCount"] == 0
    everyone = (await stack.data(BY_PROGRAMME, {"region": town}))["households"]
    assert everyone["totalCount"] == 1


async def test_the_reviewer_may_not_approve_and_nothing_changes(stack: Stack) -> None:
    town = new_town()
    household = await dibao_household(stack, town)
    made = await submit(stack, household["id"], ADMIN)
    await step(stack, REVIEW, ADMIN, id=made["id"])
    refused = await step(stack, APPROVE, ADMIN, id=made["id"])
    assert error_codes(refused) == ["FAILED_PRECONDITION"] and refused["data"] is None
    assert "reviewed this application" in refused["errors"][0]["message"]
    still = (await stack.data(APPLICATION, {"id": made["id"]}))["application"]
    assert still["state"] == "REVIEWED" and still["grants"] == []
    approved = await step(stack, APPROVE, DISTRICT_OFFICER, id=made["id"])
    assert approved["data"]["approveReliefApplication"]["state"] == "APPROVED"


async def test_rejection_appeal_and_its_decision_and_a_withdrawal(stack: Stack) -> None:
    town = new_town()
    officer = town_token(town)
    household = await dibao_household(stack, town)
    made = await submit(stack, household["id"], officer)
    await step(stack, REVIEW, officer, id=made["id"])
    no_reason = await step(stack, REJECT, DISTRICT_OFFICER, id=made["id"], reason="")
    assert error_codes(no_reason) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in no_reason["errors"][0]["extensions"]["fields"]] == ["reason"]
    rejected = (await step(stack, REJECT, DISTRICT_OFFICER, id=made["id"], reason="材料不全"))["data"]
    assert rejected["rejectReliefApplication"]["state"] == "REJECTED"
    appealed = (await step(stack, APPEAL, officer, id=made["id"], reason="已补齐材料"))["data"]
    assert appealed["appealReliefApplication"]["appealReason"] == "已补齐材料"
    same = await step(stack, DECIDE, DISTRICT_OFFICER, id=made["id"], upheld=True, reason="x")
    assert error_codes(same) == ["FAILED_PRECONDITION"]  # who rejected may not decide the appeal
    upheld = (await step(stack, DECIDE, DISTRICT_OFFICER_2, id=made["id"], upheld=True, reason="材料齐全"))[
        "data"
    ]["decideReliefAppeal"]
    assert upheld["state"] == "APPROVED" and [g["programme"] for g in upheld["grants"]] == ["DIBAO"]

    other = await dibao_household(stack, town, 2)
    pending = await submit(stack, other["id"], officer, "medical")
    withdrawn = (await step(stack, WITHDRAW, officer, id=pending["id"], reason="不再需要"))["data"]
    assert withdrawn["withdrawReliefApplication"]["state"] == "WITHDRAWN"
    page = (await stack.data(APPLICATIONS, {"region": town, "state": "WITHDRAWN", "first": 5}))[
        "applications"
    ]
    assert [e["node"]["id"] for e in page["edges"]] == [pending["id"]] and page["totalCount"] == 1
    assert page["edges"][0]["node"]["steps"] == [{"action": "submit"}, {"action": "withdraw"}]


async def test_an_application_without_a_commitment_names_the_field(stack: Stack) -> None:
    town = new_town()
    household = await dibao_household(stack, town)
    variables = {"input": {"householdId": household["id"], "items": ["dibao"]}}
    body = await stack.gql(SUBMIT, variables)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert [f["field"] for f in body["errors"][0]["extensions"]["fields"]] == ["commitment"]
    listed = (await stack.data(APPLICATIONS, {"region": town, "first": 5}))["applications"]
    assert listed["totalCount"] == 0


async def test_the_worklist_and_a_recheck_recorded_and_other_towns_see_nothing(stack: Stack) -> None:
    town = new_town()
    officer = town_token(town)
    household = await dibao_household(stack, town)
    made = await submit(stack, household["id"], officer)
    await step(stack, REVIEW, officer, id=made["id"])
    grant = (await step(stack, APPROVE, DISTRICT_OFFICER, id=made["id"]))["data"]["approveReliefApplication"][
        "grants"
    ][0]
    outsider = town_token(new_town())
    assert (await stack.data(APPLICATION, {"id": made["id"]}, token=outsider))["application"] is None
    start = stack.clock.now
    try:
        stack.clock.now = start + timedelta(days=340)  # 2026-05-21: within 30 days of 2026-06-15
        listed = (await stack.data(WORKLIST, {"region": town}, token=officer))["reliefRecheckWorklist"]
        assert [e["node"]["id"] for e in listed["edges"]] == [grant["id"]]
        hidden = await step(stack, RECHECK, outsider, id=grant["id"], outcome="CONTINUE")
        assert error_codes(hidden) == ["NOT_FOUND"]
        kept = (await step(stack, RECHECK, officer, id=grant["id"], outcome="CONTINUE"))["data"][
            "recordReliefRecheck"
        ]
        assert (kept["status"], kept["recheckDueOn"]) == ("ACTIVE", "2027-05-21")
        listed = (await stack.data(WORKLIST, {"region": town}, token=officer))["reliefRecheckWorklist"]
        assert listed["totalCount"] == 0
        suspended = (await step(stack, SUSPEND, DISTRICT_OFFICER, id=grant["id"], reason="收入变化待核"))[
            "data"
        ]["suspendReliefGrant"]
        assert suspended["status"] == "SUSPENDED" and suspended["suspendedFrom"] == "2026-05-21"
        ended = (await step(stack, TERMINATE, DISTRICT_OFFICER, id=grant["id"], reason="迁出"))["data"][
            "terminateReliefGrant"
        ]
        assert ended["status"] == "TERMINATED" and ended["endedOn"] == "2026-05-21"
    finally:
        stack.clock.now = start
