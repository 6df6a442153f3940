"""Queries and mutations through the gateway: the slice round trip, pagination, scoping, errors, batching."""

from __future__ import annotations

import asyncio
import itertools
import re

import httpx

from gateway.settings import GatewaySettings
from tests.contract.gateway.conftest import (
    ADMIN,
    ASSIGN,
    RELEASE,
    VIEWER,
    Stack,
    add_beds,
    assign,
    elder_id,
    error_codes,
    gateway_settings,
    new_town,
    register,
    serve_gateway,
    town_token,
)

MASKED = re.compile(r"^330109\*{8}\d{3}[\dX]$")

INSTITUTION = """
query One($id: ID!) {
  institution(id: $id) {
    id name bedCount occupiedCount
    occupied: beds(status: OCCUPIED) { id label occupantIdNumber occupantName }
    all: beds { id status type }
  }
}
"""
PAGE = """
query Page($town: String!, $first: Int!, $after: String) {
  institutions(regionCode: $town, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}
"""


async def test_register_add_assign_release_round_trip(stack: Stack) -> None:
    town = new_town()
    institution = await register(stack, town, "城厢街道颐养院")
    assert institution["regionCode"] == town
    assert institution["kind"] == "PUBLIC"
    assert (institution["bedCount"], institution["occupiedCount"]) == (0, 0)
    beds = await add_beds(stack, institution["id"], count=3)
    assert [b["status"] for b in beds] == ["VACANT"] * 3
    assert {b["institutionId"] for b in beds} == {institution["id"]}

    number = elder_id()
    assigned = await stack.data(
        ASSIGN, {"input": {"bedId": beds[0]["id"], "elderIdNumber": number, "elderName": "王阿婆"}}
    )
    assert assigned["assignBed"]["status"] == "OCCUPIED"
    assert assigned["assignBed"]["occupantIdNumber"] == number  # an admin may see ID numbers
    assert assigned["assignBed"]["assignedAt"]

    seen = (await stack.data(INSTITUTION, {"id": institution["id"]}))["institution"]
    assert (seen["bedCount"], seen["occupiedCount"]) == (3, 1)
    assert [b["id"] for b in seen["occupied"]] == [beds[0]["id"]]
    assert len(seen["all"]) == 3
    as_viewer = (await stack.data(INSTITUTION, {"id": institution["id"]}, token=VIEWER))["institution"]
    assert MASKED.match(as_viewer["occupied"][0]["occupantIdNumber"])

    released = await stack.data(RELEASE, {"input": {"bedId": beds[0]["id"], "reason": "moved home"}})
    assert released["releaseBed"]["status"] == "VACANT"
    assert released["releaseBed"]["occupantIdNumber"] is None
    occupancy = await stack.data(
        "query($t: String) { occupancy(regionCode: $t) { total occupied rate byType { type total } } }",
        {"t": town},
    )
    assert occupancy["occupancy"]["total"] == 3
    assert occupancy["occupancy"]["occupied"] == 0
    by_type = {row["type"]: row["total"] for row in occupancy["occupancy"]["byType"]}
    assert by_type["NURSING"] == 3
    assert sum(by_type.values()) == 3


async def test_institutions_connection_paginates_forward_with_cursors(stack: Stack) -> None:
    town = new_town()
    names = [f"第{i}养老院" for i in range(5)]
    for name in names:  # one by one: the connection is ordered by registration time
        await register(stack, town, name)

    first = (await stack.data(PAGE, {"town": town, "first": 2}))["institutions"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    seen = [e["node"]["name"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while True:
        page = (await stack.data(PAGE, {"town": town, "first": 2, "after": after}))["institutions"]
        assert page["totalCount"] == 5
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == names

    # Every edge's cursor resumes right after that edge, not only the page's end cursor.
    mid = await stack.data(PAGE, {"town": town, "first": 2, "after": first["edges"][0]["cursor"]})
    assert [e["node"]["name"] for e in mid["institutions"]["edges"]] == names[1:3]


async def test_mid_page_cursors_resume_right_after_their_edge_whatever_first_is(stack: Stack) -> None:
    town = new_town()
    names = [f"养老院{i:03d}" for i in range(160)]
    for name in names:  # one by one: the connection is ordered by registration time
        await register(stack, town, name)

    # (first, how many edges to read before resuming from the last one read): edge 30 of a page of
    # 50, then edge 80 of a page of 100, then small and large pages, as a client scrolling might.
    plan = itertools.cycle([(50, 31), (100, 81), (7, 3), (13, 13), (100, 100)])
    seen: list[str] = []
    after: str | None = None
    for _ in range(20):
        first, keep = next(plan)
        page = (await stack.data(PAGE, {"town": town, "first": first, "after": after}))["institutions"]
        assert page["totalCount"] == 160
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        edges = page["edges"]
        assert len(edges) == min(first, len(names) - len(seen))
        assert page["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        read = edges[:keep]
        seen += [e["node"]["name"] for e in read]
        if len(read) == len(edges) and not page["pageInfo"]["hasNextPage"]:
            break
        after = read[-1]["cursor"]
    assert seen == names  # in order, every institution exactly once


async def test_bad_pagination_arguments_name_the_argument(stack: Stack) -> None:
    body = await stack.gql(PAGE, {"town": new_town(), "first": 0})
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "first"
    body = await stack.gql(PAGE, {"town": new_town(), "first": 2, "after": "not-a-cursor"})
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "after"


async def test_town_token_neither_sees_nor_changes_another_towns_beds(stack: Stack) -> None:
    mine, theirs = new_town(), new_town()
    own = await register(stack, mine, "本镇养老院")
    other = await register(stack, theirs, "外镇养老院")
    other_beds = await add_beds(stack, other["id"], count=1)
    token = town_token(mine)

    listed = await stack.data(
        "{ institutions(first: 100) { totalCount edges { node { id regionCode } } } }", token=token
    )
    regions = {e["node"]["regionCode"] for e in listed["institutions"]["edges"]}
    assert regions == {mine}
    assert own["id"] in {e["node"]["id"] for e in listed["institutions"]["edges"]}
    hidden = await stack.data(INSTITUTION, {"id": other["id"]}, token=token)
    assert hidden["institution"] is None

    body = await assign(stack, other_beds[0]["id"], token=token)
    assert error_codes(body)[0] in {"NOT_FOUND", "PERMISSION_DENIED"}
    assert body["data"] is None
    still = (await stack.data(INSTITUTION, {"id": other["id"]}))["institution"]
    assert still["occupiedCount"] == 0

    body = await stack.gql(
        "mutation($i: RegisterInstitutionInput!) { registerInstitution(input: $i) { id } }",
        {"i": {"name": "越界", "kind": "PRIVATE", "regionCode": theirs}},
        token=token,
    )
    assert error_codes(body) == ["PERMISSION_DENIED"]


async def test_invalid_id_number_is_invalid_argument_naming_elder_id_number(stack: Stack) -> None:
    institution = await register(stack, new_town())
    bed = (await add_beds(stack, institution["id"], count=1))[0]
    good = elder_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = await stack.gql(
        ASSIGN, {"input": {"bedId": bed["id"], "elderIdNumber": bad, "elderName": "李大爷"}}
    )
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    fields = body["errors"][0]["extensions"]["fields"]
    assert [f["field"] for f in fields] == ["elderIdNumber"]
    assert fields[0]["description"]
    assert bad not in body["errors"][0]["message"]  # the number itself is never echoed


async def test_malformed_global_id_is_invalid_argument(stack: Stack) -> None:
    institution = await register(stack, new_town())
    # An institution's ID where a bed's is expected.
    body = await stack.gql(
        ASSIGN, {"input": {"bedId": institution["id"], "elderIdNumber": elder_id(), "elderName": "李大爷"}}
    )
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "bedId"


async def test_read_only_role_cannot_mutate(stack: Stack) -> None:
    body = await stack.gql(
        "mutation($i: RegisterInstitutionInput!) { registerInstitution(input: $i) { id } }",
        {"i": {"name": "只读", "kind": "PUBLIC", "regionCode": new_town()}},
        token=VIEWER,
    )
    assert error_codes(body) == ["PERMISSION_DENIED"]


async def test_beds_of_fifty_institutions_cost_one_list_beds_call(stack: Stack) -> None:
    town = new_town()
    institutions = [await register(stack, town, f"养老院{i:02d}") for i in range(50)]
    await asyncio.gather(*(add_beds(stack, i["id"], count=2) for i in institutions))
    stack.gateway.counter.calls.clear()

    data = await stack.data(
        "query($t: String!) { institutions(regionCode: $t, first: 50) "
        "{ edges { node { id beds { id label institutionId } } } } }",
        {"t": town},
    )
    edges = data["institutions"]["edges"]
    assert len(edges) == 50
    for edge in edges:
        beds = edge["node"]["beds"]
        assert len(beds) == 2
        assert {b["institutionId"] for b in beds} == {edge["node"]["id"]}
    assert stack.gateway.counter.calls == {"ListInstitutions": 1, "ListBeds": 1}


async def test_alias_and_size_limits_reject_before_any_call(stack: Stack) -> None:
    stack.gateway.counter.calls.clear()
    aliases = " ".join(f"a{i}: occupancy {{ total }}" for i in range(16))
    body = await stack.gql(f"{{ {aliases} }}")
    assert body.get("data") is None
    assert any("aliases" in e["message"].lower() for e in body["errors"])
    huge = "{ " + " ".join("occupancy { total occupied rate }" for _ in range(400)) + " }"
    body = await stack.gql(huge)
    assert any("token" in e["message"].lower() for e in body["errors"])
    assert not stack.gateway.counter.calls


async def test_query_deeper_than_the_limit_is_rejected(stack: Stack) -> None:
    settings: GatewaySettings = gateway_settings(stack.nats_url, stack.eldercare.address, max_query_depth=3)
    shallow_gateway = await serve_gateway(settings)
    try:
        deep = "{ institutions(first: 1) { edges { node { beds { id } } } } }"
        async with httpx.AsyncClient(base_url=shallow_gateway.url) as http:
            response = await http.post(
                "/graphql", json={"query": deep}, headers={"Authorization": f"Bearer {ADMIN}"}
            )
        body = response.json()
        assert body.get("data") is None
        assert any("depth" in e["message"] for e in body["errors"])
        assert not shallow_gateway.counter.calls
    finally:
        await shallow_gateway.stop()
