"""Elders over real HTTP: gateway (uvicorn) → ElderService and HomeSafetyService (gRPC, SQLite).

Scoping (a town officer sees their town only), ID-number masking for a viewer, typed field errors,
relay pagination, and an elder's nested lists without one call per field.
"""

from __future__ import annotations

from datetime import date, timedelta

from strawberry.relay.utils import to_base64

from services.kit.idcard import make_id_number
from tests.contract.gateway.conftest import VIEWER, Stack, elder_id, error_codes, new_town, town_token
from tests.contract.gateway.elder_support import ELDER_FIELDS, install_device, register_elder, village

ELDER = f"""
query Elder($idNumber: String, $id: ID) {{ elder(idNumber: $idNumber, id: $id) {{ {ELDER_FIELDS} }} }}
"""
ELDERS = """
query Elders($region: String, $vulnerable: Boolean!, $overdue: Boolean!, $first: Int!, $after: String) {
  elders(regionCode: $region, vulnerable: $vulnerable, visitOverdue: $overdue, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name regionCode } }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateElderInput!) {
  updateElder(input: $input) { id livingArrangement address contacts { name relation } vulnerability }
}
"""
ASSESS = """
mutation Assess($input: RecordElderAssessmentInput!) {
  recordElderAssessment(input: $input) { id elderId level assessedOn assessor current }
}
"""
VISIT = """
mutation Visit($input: RecordElderVisitInput!) {
  recordElderVisit(input: $input) { id elderId visitedOn visitor { name regionCode } riskLevel findings }
}
"""
NESTED = """
query Nested($region: String!) {
  elders(regionCode: $region, first: 10) {
    edges { node { name capabilityLevel lastVisitOn
      assessments { level current } visits { visitedOn } devices { kind status } alarms { status } } }
  }
}
"""
COMPLIANCE = """
query Compliance($region: String) {
  elderVisitCompliance(regionCode: $region) {
    vulnerable overdue rate villages { regionCode vulnerable overdue rate }
  }
}
"""


def fields_of(body: dict) -> list[str]:
    """The GraphQL fields an INVALID_ARGUMENT error names."""
    return [f["field"] for f in body["errors"][0]["extensions"]["fields"]]


async def test_registered_elder_reads_back_clear_for_an_officer_and_masked_for_a_viewer(stack: Stack) -> None:
    town = new_town()
    number = elder_id()
    made = await register_elder(stack, village(town), id_number=number, token=town_token(town))
    assert made["idNumber"] == number and made["age"] >= 80 and made["sex"] in {"M", "F"}
    assert made["vulnerability"] == ["ALONE"] and made["livingArrangement"] == "ALONE"
    assert made["contacts"] == [{"name": "张小明", "relation": "CHILD", "phone": "13900000000"}]

    seen = (await stack.data(ELDER, {"idNumber": number}, token=VIEWER))["elder"]
    assert seen["id"] == made["id"] and seen["name"] == "张阿公"
    assert seen["idNumber"] != number and "*" in seen["idNumber"]
    assert seen["idNumber"][:6] == number[:6] and seen["idNumber"][-4:] == number[-4:]
    assert seen["birthDate"] is None  # with a masked number it would give the hidden digits back
    by_id = (await stack.data(ELDER, {"id": made["id"]}))["elder"]
    assert by_id["idNumber"] == number


async def test_a_town_officer_sees_only_their_town(stack: Stack) -> None:
    mine, other = new_town(), new_town()
    own = await register_elder(stack, village(mine))
    theirs = await register_elder(stack, village(other))
    officer = town_token(mine)

    assert (await stack.data(ELDER, {"id": theirs["id"]}, token=officer))["elder"] is None
    assert (await stack.data(ELDER, {"id": own["id"]}, token=officer))["elder"]["id"] == own["id"]
    listed = (
        await stack.data(
            ELDERS, {"region": None, "vulnerable": False, "overdue": False, "first": 50}, token=officer
        )
    )["elders"]
    assert [e["node"]["id"] for e in listed["edges"]] == [own["id"]] and listed["totalCount"] == 1

    update = {"input": {"elderId": theirs["id"], "livingArrangement": "WITH_FAMILY"}}
    body = await stack.gql(UPDATE, update, token=officer)
    assert error_codes(body) == ["NOT_FOUND"] and body["data"] is None
    body = await stack.gql(
        ELDERS, {"region": other, "vulnerable": False, "overdue": False, "first": 5}, token=officer
    )
    assert error_codes(body) == ["PERMISSION_DENIED"], body


async def test_elders_paginate_with_cursors_and_filter_the_vulnerable(stack: Stack) -> None:
    town = new_town()
    alone = [await register_elder(stack, village(town, n)) for n in (1, 2, 3)]
    await register_elder(stack, village(town, 4), living="WITH_FAMILY")
    variables = {"region": town, "vulnerable": False, "overdue": False, "first": 2, "after": None}

    first = (await stack.data(ELDERS, variables))["elders"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] and len(first["edges"]) == 2
    rest = (await stack.data(ELDERS, {**variables, "after": first["pageInfo"]["endCursor"]}))["elders"]
    assert not rest["pageInfo"]["hasNextPage"] and rest["pageInfo"]["hasPreviousPage"]
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(ids)) == 4
    # A cursor in the middle of a page resumes right after its own row.
    middle = (await stack.data(ELDERS, {**variables, "first": 3, "after": first["edges"][0]["cursor"]}))[
        "elders"
    ]
    assert [e["node"]["id"] for e in middle["edges"]] == ids[1:]

    vulnerable = (await stack.data(ELDERS, {**variables, "vulnerable": True, "first": 10}))["elders"]
    assert {e["node"]["id"] for e in vulnerable["edges"]} == {e["id"] for e in alone}
    # Alone since long ago and never visited: overdue today.
    late = await register_elder(stack, village(town, 5), since=date.today() - timedelta(days=120))
    overdue = (await stack.data(ELDERS, {**variables, "overdue": True, "first": 10}))["elders"]
    assert [e["node"]["id"] for e in overdue["edges"]] == [late["id"]] and overdue["totalCount"] == 1
    assert late["visitOverdue"] and late["daysOverdue"] > 0

    body = await stack.gql(ELDERS, {**variables, "after": "not-a-cursor"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["after"]
    body = await stack.gql(ELDERS, {**variables, "first": 0})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["first"]


async def test_bad_input_is_a_typed_error_naming_the_field_and_writes_nothing(stack: Stack) -> None:
    town = new_town()
    body = await stack.gql(ELDER, {"idNumber": "330109194005170000"})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["idNumber"]

    young = make_id_number(area_code="330109", birth_date=date(2000, 1, 1), sequence=901)
    register = {
        "input": {"idNumber": young, "name": "李", "regionCode": village(town), "livingArrangement": "ALONE"}
    }
    body = await stack.gql(
        "mutation R($input: RegisterElderInput!) { registerElder(input: $input) { id } }", register
    )
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["idNumber"]
    assert (await stack.data(ELDER, {"idNumber": young}))["elder"] is None

    elder = await register_elder(stack, village(town))
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assess = {
        "input": {"elderId": elder["id"], "level": "SEVERE", "assessedOn": tomorrow, "assessor": "王医生"}
    }
    body = await stack.gql(ASSESS, assess)
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["assessedOn"]
    body = await stack.gql(ASSESS, {"input": {**assess["input"], "elderId": to_base64("Child", "x")}})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["elderId"]


async def test_assessments_visits_and_devices_show_on_the_elder(stack: Stack) -> None:
    town = new_town()
    elders = [await register_elder(stack, village(town), living="WITH_FAMILY") for _ in range(3)]
    today = date.today().isoformat()
    for elder in elders:
        assess = {
            "input": {"elderId": elder["id"], "level": "SEVERE", "assessedOn": today, "assessor": "王医生"}
        }
        made = (await stack.data(ASSESS, assess))["recordElderAssessment"]
        assert made["current"] and made["level"] == "SEVERE" and made["elderId"] == elder["id"]
        visit = {
            "input": {
                "elderId": elder["id"],
                "visitedOn": today,
                "visitor": {"name": "社工小李", "regionCode": town},
                "riskLevel": "LOW",
                "findings": "安好",
            }
        }
        recorded = (await stack.data(VISIT, visit))["recordElderVisit"]
        assert recorded["visitor"] == {"name": "社工小李", "regionCode": town}
        await install_device(stack, elder["id"], "FALL_RADAR")

    stack.gateway.counter.calls.clear()
    rows = (await stack.data(NESTED, {"region": town}))["elders"]["edges"]
    assert len(rows) == 3
    for row in rows:
        node = row["node"]
        assert node["capabilityLevel"] == "SEVERE" and node["lastVisitOn"] == today
        assert node["assessments"] == [{"level": "SEVERE", "current": True}]
        assert node["visits"] == [{"visitedOn": today}]
        assert node["devices"] == [{"kind": "FALL_RADAR", "status": "ACTIVE"}]
        assert node["alarms"] == []
    # One batch call per list for the whole page, not one per elder.
    assert stack.gateway.counter.calls == {
        "ListElders": 1,
        "BatchListAssessments": 1,
        "BatchListElderVisits": 1,
        "BatchListDevices": 1,
        "BatchListElderAlarms": 1,
    }

    compliance = (await stack.data(COMPLIANCE, {"region": town}))["elderVisitCompliance"]
    # Moderate or worse makes an elder vulnerable; just visited, so nobody is overdue.
    assert compliance["vulnerable"] == 3 and compliance["overdue"] == 0 and compliance["rate"] == 1.0
    assert compliance["villages"] == [
        {"regionCode": village(town), "vulnerable": 3, "overdue": 0, "rate": 1.0}
    ]


async def test_update_replaces_the_living_situation_and_contacts(stack: Stack) -> None:
    town = new_town()
    elder = await register_elder(stack, village(town))
    update = {
        "input": {
            "elderId": elder["id"],
            "livingArrangement": "EMPTY_NEST",
            "address": "幸福村 8 号",
            "contacts": [{"name": "邻居老王", "relation": "NEIGHBOUR", "phone": "13700000000"}],
        }
    }
    changed = (await stack.data(UPDATE, update, token=town_token(town)))["updateElder"]
    assert changed["livingArrangement"] == "EMPTY_NEST" and changed["address"] == "幸福村 8 号"
    assert changed["contacts"] == [{"name": "邻居老王", "relation": "NEIGHBOUR"}]
    assert changed["vulnerability"] == []
    body = await stack.gql(UPDATE, update, token=VIEWER)
    assert error_codes(body) == ["PERMISSION_DENIED"]
