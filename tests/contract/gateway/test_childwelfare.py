"""Child welfare through the gateway: registry, scoping, pagination, network, visits and the events feed.

The real childwelfare service (SQLite, clock fixed at 15 June 2025 in Shanghai) behind the real gateway;
each test uses its own town (``new_town``) and its villages, so tests stay out of each other's way.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from datetime import date
from typing import Any

import httpx
from strawberry.relay.utils import from_base64

from services.kit.auth import Role
from services.kit.idcard import make_id_number
from tests.contract.gateway.conftest import (
    ADMIN,
    CODEC,
    VIEWER,
    Stack,
    error_codes,
    gateway_settings,
    new_town,
    next_event,
    serve_gateway,
    subscribed,
    town_token,
    wait_until_published,
)

MASKED = re.compile(r"^330109\*{8}\d{3}[\dX]$")
_child_sequence = itertools.count(1)

CHILD_FIELDS = """
  id idNumber name sex birthDate age adult regionCode category categorySince
  categoryHistory { category effectiveFrom effectiveTo reason }
  guardians { name relation contact isPrimary }
  director { subject name regionCode }
  inVisitProgramme lastVisitOn visitDueOn visitOverdue registeredAt
"""
REGISTER = f"""
mutation Register($input: RegisterChildInput!) {{ registerChild(input: $input) {{ {CHILD_FIELDS} }} }}
"""
CHILD = f"""
query Child($idNumber: String, $id: ID) {{ child(idNumber: $idNumber, id: $id) {{ {CHILD_FIELDS} }} }}
"""
CHILDREN = """
query Children($region: String, $category: ProtectionCategory, $overdue: Boolean! = false,
               $first: Int! = 20, $after: String) {
  children(regionCode: $region, category: $category, visitOverdue: $overdue, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name regionCode category idNumber visitOverdue } }
  }
}
"""
ASSIGN_DIRECTOR = """
mutation Director($input: AssignNetworkMemberInput!) {
  assignChildDirector(input: $input) { id role subject name contact regionCode assignedOn childCount }
}
"""
ASSIGN_SUPERVISOR = """
mutation Supervisor($input: AssignNetworkMemberInput!) {
  assignChildSupervisor(input: $input) { id role subject regionCode }
}
"""
VISIT = """
mutation Visit($input: RecordChildVisitInput!) {
  recordChildVisit(input: $input) { id childId regionCode visitedOn visitedBy riskLevel schooling recordedAt }
}
"""


def child_number(born: date = date(2015, 5, 1)) -> str:
    """A valid resident ID number of a child no other test registers."""
    return make_id_number(area_code="330109", birth_date=born, sequence=next(_child_sequence))


def director_token(village: str, subject: str | None = None) -> str:
    """A village child director's token: their scope is the 12-digit village code."""
    return CODEC.mint(subject or f"director-{village}", roles=[Role.VILLAGE_DIRECTOR], regions=[village])


async def register_child(
    stack: Stack,
    village: str,
    *,
    number: str | None = None,
    category: str = "LEFT_BEHIND",
    since: str | None = None,
    name: str = "萧小芽",
    token: str = ADMIN,
) -> dict[str, Any]:
    """Register a child in ``village`` with one guardian; its GraphQL fields."""
    variables = {
        "input": {
            "idNumber": number or child_number(),
            "name": name,
            "regionCode": village,
            "category": category,
            "categorySince": since,
            "guardians": [
                {"name": "王奶奶", "relation": "GRANDPARENT", "contact": "13900000000", "isPrimary": True}
            ],
        }
    }
    return (await stack.data(REGISTER, variables, token=token))["registerChild"]


async def assign_director(stack: Stack, village: str, subject: str | None = None) -> dict[str, Any]:
    """Make ``subject`` (default the one ``director_token`` uses) the village's child director."""
    variables = {
        "input": {"regionCode": village, "subject": subject or f"director-{village}", "name": "李主任"}
    }
    return (await stack.data(ASSIGN_DIRECTOR, variables))["assignChildDirector"]


def visit_input(child_id: str, on: str, risk: str = "LOW") -> dict[str, Any]:
    """Variables of a home visit."""
    return {"input": {"childId": child_id, "visitedOn": on, "riskLevel": risk, "schooling": "grade 4"}}


def fields_of(body: dict[str, Any]) -> list[str]:
    """The GraphQL fields an INVALID_ARGUMENT error names."""
    return [f["field"] for f in body["errors"][0]["extensions"]["fields"]]


async def test_request_without_token_is_401(stack: Stack) -> None:
    stack.gateway.counter.calls.clear()
    response = await stack.http.post("/graphql", json={"query": "{ children { totalCount } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not stack.gateway.counter.calls


async def test_registered_child_reads_back_masked_for_a_viewer_and_clear_for_an_admin(stack: Stack) -> None:
    village = new_town() + "001"
    number = child_number(date(2014, 2, 3))
    registered = await register_child(stack, village, number=number, since="2025-06-01")
    assert registered["idNumber"] == number  # an admin may see ID numbers
    assert (registered["birthDate"], registered["age"], registered["adult"]) == ("2014-02-03", 11, False)
    assert registered["regionCode"] == village
    assert registered["category"] == "LEFT_BEHIND"
    assert registered["categoryHistory"] == [
        {
            "category": "LEFT_BEHIND",
            "effectiveFrom": "2025-06-01",
            "effectiveTo": None,
            "reason": "registered",
        }
    ]
    assert registered["guardians"] == [
        {"name": "王奶奶", "relation": "GRANDPARENT", "contact": "13900000000", "isPrimary": True}
    ]
    assert registered["director"] is None
    assert registered["inVisitProgramme"] is True
    assert registered["visitDueOn"] and registered["visitOverdue"] is False
    assert from_base64(registered["id"])[0] == "Child"

    as_admin = (await stack.data(CHILD, {"idNumber": number}))["child"]
    assert as_admin == registered
    as_viewer = (await stack.data(CHILD, {"idNumber": number}, token=VIEWER))["child"]
    assert MASKED.match(as_viewer["idNumber"]) and as_viewer["idNumber"] != number
    # The birth date is the masked middle of the number: with it the viewer would have the whole number.
    assert as_viewer["birthDate"] is None and as_viewer["age"] == 11
    assert as_viewer["name"] == "萧小芽"
    by_id = (await stack.data(CHILD, {"id": registered["id"]}, token=VIEWER))["child"]
    assert by_id == as_viewer

    await assign_director(stack, village)
    with_director = (await stack.data(CHILD, {"idNumber": number}))["child"]
    assert with_director["director"] == {
        "subject": f"director-{village}",
        "name": "李主任",
        "regionCode": village,
    }

    body = await stack.gql(REGISTER, {"input": {**_register_input(number, village)}})
    assert error_codes(body) == ["ALREADY_EXISTS"]


def _register_input(number: str, village: str) -> dict[str, Any]:
    return {"idNumber": number, "name": "重复", "regionCode": village, "category": "OTHER"}


async def test_unknown_child_is_null(stack: Stack) -> None:
    assert (await stack.data(CHILD, {"idNumber": child_number()}))["child"] is None


async def test_children_connection_paginates_and_filters_by_region_and_category(stack: Stack) -> None:
    town = new_town()
    village_1, village_2 = town + "001", town + "002"
    left_behind = [(await register_child(stack, village_1, name=f"留守{i}"))["id"] for i in range(3)]
    dibao = [(await register_child(stack, village_2, category="DIBAO_FAMILY"))["id"] for _ in range(2)]

    seen: list[str] = []
    after = None
    while True:
        page = (await stack.data(CHILDREN, {"region": town, "first": 2, "after": after}))["children"]
        assert page["totalCount"] == 5
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(left_behind + dibao) and len(seen) == 5

    # Every edge's cursor resumes right after that edge.
    first = (await stack.data(CHILDREN, {"region": town, "first": 3}))["children"]["edges"]
    resumed = await stack.data(CHILDREN, {"region": town, "first": 2, "after": first[0]["cursor"]})
    assert [e["node"]["id"] for e in resumed["children"]["edges"]] == [e["node"]["id"] for e in first[1:3]]

    by_category = (await stack.data(CHILDREN, {"region": town, "category": "DIBAO_FAMILY"}))["children"]
    assert by_category["totalCount"] == 2
    assert {e["node"]["id"] for e in by_category["edges"]} == set(dibao)
    by_village = (await stack.data(CHILDREN, {"region": village_1}))["children"]
    assert {e["node"]["id"] for e in by_village["edges"]} == set(left_behind)
    assert {e["node"]["regionCode"] for e in by_village["edges"]} == {village_1}

    town_view = (await stack.data(CHILDREN, {}, token=town_token(town)))["children"]
    assert town_view["totalCount"] == 5
    assert all(
        MASKED.match(e["node"]["idNumber"]) is None for e in town_view["edges"]
    )  # town officers see clear

    body = await stack.gql(CHILDREN, {"region": town, "first": 0})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["first"]
    body = await stack.gql(CHILDREN, {"region": town, "after": "not-a-cursor"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["after"]
    body = await stack.gql(CHILDREN, {"region": "33010"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["regionCode"]


async def test_visit_overdue_filter_follows_the_last_visit(stack: Stack) -> None:
    village = new_town() + "001"
    await assign_director(stack, village)
    # Left-behind since March with no visit: the April visit was due by the end of April.
    late = await register_child(stack, village, since="2025-03-01")
    on_time = await register_child(stack, village, since="2025-06-01")
    assert (late["visitOverdue"], on_time["visitOverdue"]) == (True, False)

    overdue = (await stack.data(CHILDREN, {"region": village, "overdue": True}))["children"]
    assert [e["node"]["id"] for e in overdue["edges"]] == [late["id"]]
    assert overdue["totalCount"] == 1

    await stack.data(VISIT, visit_input(late["id"], "2025-06-10"), token=director_token(village))
    overdue = (await stack.data(CHILDREN, {"region": village, "overdue": True}))["children"]
    assert overdue["totalCount"] == 0


async def test_village_director_sees_only_their_village(stack: Stack) -> None:
    town = new_town()
    mine, theirs = town + "001", town + "002"
    own = await register_child(stack, mine)
    other_number = child_number()
    other = await register_child(stack, theirs, number=other_number)
    await assign_director(stack, mine)
    token = director_token(mine)

    listed = (await stack.data(CHILDREN, {}, token=token))["children"]
    assert [e["node"]["id"] for e in listed["edges"]] == [own["id"]]
    assert MASKED.match(listed["edges"][0]["node"]["idNumber"])  # directors see masked numbers
    assert (await stack.data(CHILD, {"idNumber": other_number}, token=token))["child"] is None
    assert (await stack.data(CHILD, {"id": other["id"]}, token=token))["child"] is None

    body = await stack.gql(CHILDREN, {"region": theirs}, token=token)
    assert error_codes(body) == ["PERMISSION_DENIED"]
    # The service answers "not responsible" alike for out-of-scope and absent children.
    body = await stack.gql(VISIT, visit_input(other["id"], "2025-06-10"), token=token)
    assert error_codes(body) == ["PERMISSION_DENIED"] and body["data"] is None
    body = await stack.gql(REGISTER, {"input": _register_input(child_number(), theirs)}, token=token)
    assert error_codes(body) == ["PERMISSION_DENIED"]


async def test_invalid_id_number_is_invalid_argument_naming_id_number(stack: Stack) -> None:
    good = child_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    stack.gateway.counter.calls.clear()
    body = await stack.gql(CHILD, {"idNumber": bad})
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert fields_of(body) == ["idNumber"]
    assert body["errors"][0]["extensions"]["fields"][0]["description"]
    assert bad not in str(body)  # the number itself is never echoed
    assert not stack.gateway.counter.calls  # refused by the gateway before any call

    village = new_town() + "001"
    for number in (bad, make_id_number(area_code="330109", birth_date=date(2000, 1, 1), sequence=1)):
        body = await stack.gql(REGISTER, {"input": _register_input(number, village)})
        assert error_codes(body) == ["INVALID_ARGUMENT"]
        assert fields_of(body) == ["idNumber"]
    assert (await stack.data(CHILDREN, {"region": village}))["children"]["totalCount"] == 0


async def test_responsible_director_records_a_visit_and_a_future_date_is_refused(stack: Stack) -> None:
    village = new_town() + "001"
    child = await register_child(stack, village, since="2025-06-01")
    await assign_director(stack, village)
    token = director_token(village)

    visit = await stack.data(VISIT, visit_input(child["id"], "2025-06-14", "MEDIUM"), token=token)
    recorded = visit["recordChildVisit"]
    assert recorded["childId"] == child["id"]
    assert (recorded["visitedOn"], recorded["visitedBy"]) == ("2025-06-14", f"director-{village}")
    assert (recorded["riskLevel"], recorded["regionCode"], recorded["schooling"]) == (
        "MEDIUM",
        village,
        "grade 4",
    )
    assert (await stack.data(CHILD, {"id": child["id"]}))["child"]["lastVisitOn"] == "2025-06-14"

    body = await stack.gql(VISIT, visit_input(child["id"], "2025-06-16"), token=token)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert fields_of(body) == ["visitedOn"]

    stranger = director_token(village, subject="not-the-director")
    body = await stack.gql(VISIT, visit_input(child["id"], "2025-06-14"), token=stranger)
    assert error_codes(body) == ["PERMISSION_DENIED"]
    body = await stack.gql(VISIT, visit_input("Q2hpbGQ6", "2025-06-14"), token=token)
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["childId"]


async def test_category_change_and_guardian_update(stack: Stack) -> None:
    village = new_town() + "001"
    child = await register_child(stack, village, since="2025-01-01")
    changed = await stack.data(
        "mutation($i: ChangeChildCategoryInput!) { changeChildCategory(input: $i) "
        "{ category categorySince categoryHistory { category effectiveFrom effectiveTo reason } } }",
        {
            "i": {
                "childId": child["id"],
                "category": "DE_FACTO_UNATTENDED",
                "effectiveFrom": "2025-06-01",
                "reason": "both parents away",
            }
        },
    )
    after = changed["changeChildCategory"]
    assert (after["category"], after["categorySince"]) == ("DE_FACTO_UNATTENDED", "2025-06-01")
    assert [p["category"] for p in after["categoryHistory"]] == ["LEFT_BEHIND", "DE_FACTO_UNATTENDED"]
    assert after["categoryHistory"][0]["effectiveTo"]

    guardians = [
        {"name": "民政局", "relation": "INSTITUTION", "isPrimary": True},
        {"name": "张叔叔", "relation": "OTHER_RELATIVE", "contact": "13700000000"},
    ]
    updated = await stack.data(
        "mutation($i: SetChildGuardiansInput!) { setChildGuardians(input: $i) "
        "{ guardians { name relation contact isPrimary } } }",
        {"i": {"childId": child["id"], "guardians": guardians}},
    )
    assert updated["setChildGuardians"]["guardians"] == [
        {"name": "民政局", "relation": "INSTITUTION", "contact": None, "isPrimary": True},
        {"name": "张叔叔", "relation": "OTHER_RELATIVE", "contact": "13700000000", "isPrimary": False},
    ]
    body = await stack.gql(
        "mutation($i: ChangeChildCategoryInput!) { changeChildCategory(input: $i) { category } }",
        {"i": {"childId": child["id"], "category": "OTHER"}},
        token=VIEWER,
    )
    assert error_codes(body) == ["PERMISSION_DENIED"]


NETWORK = """
query Network($town: String!) {
  childWelfareNetwork(regionCode: $town) {
    supervisors { subject role regionCode childCount compliance { key inProgramme upToDate overdue rate } }
    directors { subject role regionCode childCount compliance { key name inProgramme upToDate overdue rate } }
  }
  villagesWithoutDirector(regionCode: $town) { regionCode childCount }
  visitCompliance(regionCode: $town, groupBy: VILLAGE) {
    asOf rows { key inProgramme overdue rate } total { inProgramme upToDate overdue rate }
  }
}
"""


async def test_network_and_compliance_cost_one_call_per_grouping(stack: Stack) -> None:
    town = new_town()
    staffed, unstaffed = town + "001", town + "002"
    await register_child(stack, staffed, since="2025-03-01")  # overdue
    await register_child(stack, staffed, since="2025-06-01")  # up to date
    await register_child(stack, staffed, category="DIBAO_FAMILY")  # not in the visit programme
    await register_child(stack, unstaffed, since="2025-06-01")
    director = await assign_director(stack, staffed)
    assert (director["role"], director["childCount"], director["regionCode"]) == ("DIRECTOR", 3, staffed)
    supervisor = await stack.data(
        ASSIGN_SUPERVISOR, {"input": {"regionCode": town, "subject": f"supervisor-{town}", "name": "陈督导"}}
    )
    assert supervisor["assignChildSupervisor"]["role"] == "SUPERVISOR"

    stack.gateway.counter.calls.clear()
    data = await stack.data(NETWORK, {"town": town})
    assert stack.gateway.counter.calls == {
        "ListNetwork": 1,
        "ListVillagesWithoutDirector": 1,
        "GetVisitCompliance": 3,  # the query's own, then one per grouping for the members' fields
    }
    network = data["childWelfareNetwork"]
    (row,) = network["directors"]
    assert (row["subject"], row["childCount"]) == (f"director-{staffed}", 3)
    assert row["compliance"] == {
        "key": f"director-{staffed}",
        "name": "李主任",
        "inProgramme": 2,
        "upToDate": 1,
        "overdue": 1,
        "rate": 0.5,
    }
    (sup,) = network["supervisors"]
    assert (sup["subject"], sup["childCount"]) == (f"supervisor-{town}", 4)
    assert sup["compliance"] == {"key": town, "inProgramme": 3, "upToDate": 2, "overdue": 1, "rate": 2 / 3}
    assert data["villagesWithoutDirector"] == [{"regionCode": unstaffed, "childCount": 1}]
    compliance = data["visitCompliance"]
    assert compliance["asOf"] == "2025-06-15"
    assert {r["key"]: r["overdue"] for r in compliance["rows"]} == {staffed: 1, unstaffed: 0}
    assert compliance["total"] == {"inProgramme": 3, "upToDate": 2, "overdue": 1, "rate": 2 / 3}


async def test_events_deliver_child_registered_only_to_the_childs_village_director(stack: Stack) -> None:
    town = new_town()
    village_a, village_b = town + "001", town + "002"
    await assign_director(stack, village_a)
    types = ["civic.childwelfare.child-registered", "civic.childwelfare.child-visit-recorded.v1"]
    async with (
        subscribed(stack, director_token(village_a), types) as ws_a,
        subscribed(stack, director_token(village_b), ["civic.childwelfare.>"]) as ws_b,
    ):
        child_a = await register_child(stack, village_a, since="2025-06-01")
        await stack.data(VISIT, visit_input(child_a["id"], "2025-06-15"), token=director_token(village_a))
        child_b = await register_child(stack, village_b)

        registered = await next_event(ws_a)
        assert registered["type"] == "civic.childwelfare.child-registered.v1"
        assert registered["region"] == village_a
        assert registered["subject"] == from_base64(child_a["id"])[1]
        assert registered["data"]["region_code"] == village_a
        assert MASKED.match(registered["data"]["child_id_masked"])
        assert child_a["idNumber"] not in str(registered)
        visited = await next_event(ws_a)
        assert visited["type"] == "civic.childwelfare.child-visit-recorded.v1"
        assert visited["data"]["visited_by"] == f"director-{village_a}"

        # B's director sees their own child's registration first: A's two events were skipped.
        seen_b = await next_event(ws_b)
        assert (seen_b["type"], seen_b["region"]) == ("civic.childwelfare.child-registered.v1", village_b)
        assert seen_b["subject"] == from_base64(child_b["id"])[1]
        await wait_until_published(
            stack.nats_url, "civic.childwelfare.child-registered", from_base64(child_b["id"])[1]
        )
        with contextlib.suppress(TimeoutError):
            extra = await asyncio.wait_for(ws_a.recv(), 0.5)
            raise AssertionError(f"village A's director got another village's event: {extra}")


async def test_readyz_is_503_when_childwelfare_does_not_answer(stack: Stack) -> None:
    lonely = await serve_gateway(gateway_settings(stack.nats_url, stack.eldercare.address))
    try:
        async with httpx.AsyncClient(base_url=lonely.url) as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {
            "nats": True,
            "eldercare": True,
            "childwelfare": False,
            "relief": False,
        }
    finally:
        await lonely.stop()


CHILD_PAGES = """
query Pages($town: String!, $first: Int! = 2) {
  children(regionCode: $town, first: 50) {
    edges { node {
      id name
      visits(first: $first) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id visitedOn riskLevel } }
      }
      allowancePayments(first: 1) {
        totalCount pageInfo { hasNextPage }
        edges { cursor node { period category amountFen amountYuan standardKey standardEffectiveFrom } }
      }
    } }
  }
}
"""
MORE_VISITS = """
query More($id: ID!, $after: String) {
  child(id: $id) { visits(first: 10, after: $after) { totalCount edges { node { visitedOn } } } }
}
"""
RUN_ALLOWANCES = """
mutation Run($period: String) {
  runChildAllowances(period: $period) {
    id period sequence finishedAt paidCount paidFen paidYuan eventPublished
    paidByCategory { category children amountFen amountYuan }
  }
}
"""
RUNS = """
query Runs($period: String) {
  childAllowanceRuns(period: $period, first: 5) {
    totalCount edges { cursor node { period sequence paidCount } }
  }
}
"""


async def test_children_visits_and_payments_are_connections_batched_in_one_call_each(stack: Stack) -> None:
    town = new_town()
    village = town + "001"
    kids = [
        await register_child(stack, village, category="ORPHAN_SCATTERED", since="2025-05-01")
        for _ in range(3)
    ]
    await assign_director(stack, village)
    token = director_token(village)
    for on in ("2025-04-01", "2025-05-01", "2025-06-01"):
        await stack.data(VISIT, visit_input(kids[0]["id"], on), token=token)

    run = (await stack.data(RUN_ALLOWANCES, {"period": "2025-06"}))["runChildAllowances"]
    assert run["period"] == "2025-06" and run["finishedAt"] and run["paidCount"] >= 3  # district-wide
    by_category = {c["category"]: c for c in run["paidByCategory"]}
    assert (
        by_category["ORPHAN_SCATTERED"]["amountYuan"]
        == f"{by_category['ORPHAN_SCATTERED']['children'] * 2057}.00"
    )

    stack.gateway.counter.calls.clear()
    edges = (await stack.data(CHILD_PAGES, {"town": town}))["children"]["edges"]
    assert stack.gateway.counter.calls == {"ListChildren": 1, "ListVisits": 1, "ListAllowancePayments": 1}
    nodes = {e["node"]["id"]: e["node"] for e in edges}
    visited = nodes[kids[0]["id"]]["visits"]
    assert [e["node"]["visitedOn"] for e in visited["edges"]] == ["2025-06-01", "2025-05-01"]
    assert visited["totalCount"] == 3 and visited["pageInfo"]["hasNextPage"]
    assert visited["pageInfo"]["endCursor"] == visited["edges"][-1]["cursor"]
    assert nodes[kids[1]["id"]]["visits"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }
    for kid in kids:
        payments = nodes[kid["id"]]["allowancePayments"]
        assert payments["totalCount"] == 1 and not payments["pageInfo"]["hasNextPage"]
        assert payments["edges"][0]["node"] == {
            "period": "2025-06",
            "category": "ORPHAN_SCATTERED",
            "amountFen": "205700",
            "amountYuan": "2057.00",
            "standardKey": "orphan_scattered",
            "standardEffectiveFrom": "2020-01-01",
        }

    # Each visit edge's cursor resumes right after that visit.
    more = await stack.data(MORE_VISITS, {"id": kids[0]["id"], "after": visited["edges"][0]["cursor"]})
    assert [e["node"]["visitedOn"] for e in more["child"]["visits"]["edges"]] == ["2025-05-01", "2025-04-01"]
    body = await stack.gql(MORE_VISITS, {"id": kids[0]["id"], "after": "not-a-cursor"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["after"]


async def test_allowance_runs_are_for_the_bureau_and_a_future_month_is_refused(stack: Stack) -> None:
    body = await stack.gql(RUN_ALLOWANCES, {"period": "2025-07"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["period"]
    body = await stack.gql(RUN_ALLOWANCES, {"period": "June"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["period"]
    town = new_town()
    body = await stack.gql(RUN_ALLOWANCES, {"period": "2025-05"}, token=town_token(town))
    assert error_codes(body) == ["PERMISSION_DENIED"]
    runs = (await stack.data(RUNS, {"period": "2025-05"}, token=VIEWER))["childAllowanceRuns"]
    assert runs == {"totalCount": 0, "edges": []}  # nothing refused was run

    await stack.data(RUN_ALLOWANCES, {"period": "2025-05"})
    runs = (await stack.data(RUNS, {"period": "2025-05"}, token=VIEWER))["childAllowanceRuns"]
    assert runs["totalCount"] == 1 and runs["edges"][0]["node"]["sequence"] == 1
    body = await stack.gql(RUNS, {}, token=director_token(town + "001"))
    assert error_codes(body) == ["PERMISSION_DENIED"]
