"""The proposal worklist through the gateway: a relief event on NATS, then childProposals and decisions.

The real childwelfare service behind the real gateway consumes the event; the test uses its own town.
"""

from __future__ import annotations

from typing import Any

import nats

from services.childwelfare import inbound
from services.kit.cloudevents import CloudEvent, event_type
from services.kit.relay import CONTENT_TYPE, MSG_ID_HEADER
from tests.contract.gateway.conftest import ADMIN, Stack, error_codes, new_town, town_token
from tests.contract.gateway.test_childwelfare import (
    child_number,
    director_token,
    fields_of,
    register_child,
)
from tests.contract.kit.support import eventually

PROPOSALS = """
query Proposals($region: String, $status: ChildProposalStatus, $first: Int, $after: String) {
  childProposals(regionCode: $region, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id childId childName regionCode kind priority currentCategory proposedCategory reason
      sourceSubject sourceEventId status decidedBy note
    } }
  }
}
"""
ACCEPT = """
mutation Accept($input: AcceptChildProposalInput!) {
  acceptChildProposal(input: $input) { id status decidedBy note }
}
"""
REJECT = """
mutation Reject($input: RejectChildProposalInput!) {
  rejectChildProposal(input: $input) { id status decidedBy note }
}
"""
CHILD = "query Child($id: ID!) { child(id: $id) { category categorySince categoryHistory { category } } }"


async def publish_grant(stack: Stack, village: str, numbers: list[str]) -> CloudEvent:
    """civic.relief.assistance-granted (低保) for a household with these members, as relief will send it."""
    key = inbound.id_digest_key(stack.childwelfare.settings)
    data = {
        "household_id": f"hh-{village}",
        "region_code": village,
        "programme": "dibao",
        "effective_from": "2025-06-01",
        "members": [
            {"person_ref": f"p{i}", "id_digest": inbound.id_number_digest(n, key)}
            for i, n in enumerate(numbers)
        ],
    }
    subject = inbound.RELIEF_ASSISTANCE_GRANTED
    ce = CloudEvent(type=event_type(subject), source="/minzheng/relief", data=data)
    nc = await nats.connect(stack.nats_url)
    try:
        await nc.jetstream().publish(
            subject, ce.to_json(), headers={MSG_ID_HEADER: ce.id, "Content-Type": CONTENT_TYPE}
        )
    finally:
        await nc.close()
    return ce


async def worklist(stack: Stack, token: str, **variables: Any) -> dict[str, Any]:
    return (await stack.data(PROPOSALS, variables, token=token))["childProposals"]


async def test_a_relief_grant_shows_up_as_proposals_that_a_town_officer_accepts_or_rejects(
    stack: Stack,
) -> None:
    town = new_town()
    village = f"{town}001"
    officer = town_token(town)
    numbers = [child_number(), child_number()]
    first = await register_child(stack, village, number=numbers[0], name="王小明", since="2025-01-01")
    second = await register_child(stack, village, number=numbers[1], name="王小红", since="2025-01-01")
    ce = await publish_grant(stack, village, numbers)

    async def two_open() -> bool:
        return (await worklist(stack, officer, status="OPEN"))["totalCount"] == 2

    await eventually(two_open, what="the grant became two proposals")
    page = await worklist(stack, director_token(village), first=1)
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    rest = await worklist(stack, director_token(village), first=1, after=page["pageInfo"]["endCursor"])
    nodes = [e["node"] for e in page["edges"] + rest["edges"]]
    assert {n["childId"] for n in nodes} == {first["id"], second["id"]}
    assert {(n["kind"], n["currentCategory"], n["proposedCategory"]) for n in nodes} == {
        ("CATEGORY_CHANGE", "LEFT_BEHIND", "DIBAO_FAMILY")
    }
    assert {(n["sourceSubject"], n["sourceEventId"], n["status"]) for n in nodes} == {
        (inbound.RELIEF_ASSISTANCE_GRANTED, ce.id, "OPEN")
    }
    assert (await worklist(stack, town_token(new_town())))["totalCount"] == 0  # another town sees none
    to_accept = next(n for n in nodes if n["childId"] == first["id"])
    to_reject = next(n for n in nodes if n["childId"] == second["id"])

    refused = await stack.gql(
        ACCEPT, {"input": {"proposalId": to_accept["id"]}}, token=director_token(village)
    )
    assert error_codes(refused) == ["PERMISSION_DENIED"]
    accepted = await stack.data(
        ACCEPT,
        {"input": {"proposalId": to_accept["id"], "effectiveFrom": "2025-06-10", "note": "已核实"}},
        token=officer,
    )
    assert accepted["acceptChildProposal"]["status"] == "ACCEPTED"
    assert accepted["acceptChildProposal"]["decidedBy"] == f"officer-{town}"
    child = (await stack.data(CHILD, {"id": first["id"]}, token=ADMIN))["child"]
    assert child["category"] == "DIBAO_FAMILY" and child["categorySince"] == "2025-06-10"
    assert [p["category"] for p in child["categoryHistory"]] == ["LEFT_BEHIND", "DIBAO_FAMILY"]

    no_note = await stack.gql(REJECT, {"input": {"proposalId": to_reject["id"], "note": " "}}, token=officer)
    assert error_codes(no_note) == ["INVALID_ARGUMENT"] and fields_of(no_note) == ["note"]
    not_an_id = await stack.gql(REJECT, {"input": {"proposalId": first["id"], "note": "x"}}, token=officer)
    assert error_codes(not_an_id) == ["INVALID_ARGUMENT"] and fields_of(not_an_id) == ["proposalId"]
    rejected = await stack.data(
        REJECT, {"input": {"proposalId": to_reject["id"], "note": "户籍不在本户"}}, token=officer
    )
    assert rejected["rejectChildProposal"]["status"] == "REJECTED"
    assert (await worklist(stack, officer, status="OPEN"))["totalCount"] == 0
    untouched = (await stack.data(CHILD, {"id": second["id"]}, token=ADMIN))["child"]
    assert untouched["category"] == "LEFT_BEHIND"
