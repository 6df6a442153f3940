"""Home-safety devices and alarms over real HTTP: gateway (uvicorn) → HomeSafetyService (gRPC, SQLite).

Alarms are raised the way machines raise them (IngestAlarm over gRPC with a service token); people
take them through the lifecycle with mutations, and the command centre sees each step live on the
``events`` subscription.
"""

from __future__ import annotations

from typing import Any

from strawberry.relay.utils import from_base64, to_base64

from services.kit.auth import Role
from tests.contract.gateway.conftest import (
    CODEC,
    DISTRICT,
    VIEWER,
    Stack,
    error_codes,
    new_town,
    next_event,
    subscribed,
    town_token,
)
from tests.contract.gateway.elder_support import (
    ALARM_FIELDS,
    VENDOR,
    ingest_alarm,
    install_device,
    register_elder,
    village,
)

HOTLINE = CODEC.mint("hotline-operator-7", roles=[Role.HOTLINE], regions=[DISTRICT])
ALARM = f"query Alarm($id: ID!) {{ alarm(id: $id) {{ {ALARM_FIELDS} }} }}"
ALARMS = """
query Alarms($status: AlarmStatus, $region: String, $first: Int!, $after: String) {
  alarms(status: $status, regionCode: $region, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status kind elderIdNumber } }
  }
}
"""
DEVICES = """
query Devices($region: String, $status: DeviceStatus, $first: Int!, $after: String) {
  devices(regionCode: $region, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id serial status elderId } }
  }
}
"""
ACK = f"""
mutation Ack($input: AcknowledgeAlarmInput!) {{ acknowledgeAlarm(input: $input) {{ {ALARM_FIELDS} }} }}
"""
DISPATCH = f"""
mutation Dispatch($input: DispatchAlarmInput!) {{ dispatchAlarm(input: $input) {{ {ALARM_FIELDS} }} }}
"""
RESOLVE = f"""
mutation Resolve($input: ResolveAlarmInput!) {{ resolveAlarm(input: $input) {{ {ALARM_FIELDS} }} }}
"""
REMOVE = """
mutation Remove($input: RemoveDeviceInput!) { removeDevice(input: $input) { id status removalReason } }
"""
ELDER_ALARMS = """
query ElderAlarms($id: ID!) { elder(id: $id) { alarms { id status } devices { serial } } }
"""
ALARM_TYPES = [
    "civic.eldercare.safety-alarm-raised.v1",
    "civic.eldercare.safety-alarm-acknowledged.v1",
    "civic.eldercare.safety-alarm-resolved.v1",
]


def fields_of(body: dict[str, Any]) -> list[str]:
    """The GraphQL fields an INVALID_ARGUMENT error names."""
    return [f["field"] for f in body["errors"][0]["extensions"]["fields"]]


async def _alarm_in(stack: Stack, town: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """An elder in ``town`` with an SOS button that has just raised an alarm: elder, device, alarm ID."""
    elder = await register_elder(stack, village(town))
    device = await install_device(stack, elder["id"], "SOS")
    alarm = await ingest_alarm(stack, device["serial"])
    return elder, device, to_base64("Alarm", alarm.id)


async def _event_about(ws: Any, alarm_id: str) -> dict[str, Any]:
    """The next event about this alarm (other tests' alarms may come first)."""
    for _ in range(20):
        event = await next_event(ws)
        if event["subject"] == alarm_id:
            return event
    raise AssertionError(f"no event about {alarm_id}")


async def test_alarm_lifecycle_through_mutations_reaches_the_command_centre_live(stack: Stack) -> None:
    town = new_town()
    async with subscribed(stack, HOTLINE, ALARM_TYPES) as ws:
        elder, device, alarm_id = await _alarm_in(stack, town)
        raised = (await stack.data(ALARM, {"id": alarm_id}, token=HOTLINE))["alarm"]
        assert (
            raised["status"] == "RAISED"
            and raised["kind"] == "SOS"
            and raised["allowedNext"] == ["ACKNOWLEDGE"]
        )
        assert raised["elderId"] == elder["id"] and raised["deviceSerial"] == device["serial"]
        assert "*" in raised["elderIdNumber"]
        service_id = raised["steps"][0]["actor"]
        event = await _event_about(ws, _raw(alarm_id))
        assert event["type"] == "civic.eldercare.safety-alarm-raised.v1" and event["region"] == village(town)
        assert event["data"]["region_code"] == village(town) and "*" in event["data"]["elder_id_masked"]

        ack = {"input": {"alarmId": alarm_id, "note": "已接听"}}
        acked = (await stack.data(ACK, ack, token=HOTLINE))["acknowledgeAlarm"]
        assert acked["status"] == "ACKNOWLEDGED" and acked["acknowledgedAt"]
        event = await _event_about(ws, _raw(alarm_id))
        assert event["type"] == "civic.eldercare.safety-alarm-acknowledged.v1"
        assert event["data"]["acknowledged_by"] == "hotline-operator-7"

        dispatch = {"input": {"alarmId": alarm_id, "target": "COMMUNITY_GRID", "note": "网格员上门"}}
        sent = (await stack.data(DISPATCH, dispatch, token=HOTLINE))["dispatchAlarm"]
        assert sent["status"] == "DISPATCHED" and sent["dispatchTarget"] == "COMMUNITY_GRID"

        resolve = {"input": {"alarmId": alarm_id, "outcome": "HANDLED_ON_SITE", "note": "老人摔倒已扶起"}}
        done = (await stack.data(RESOLVE, resolve, token=town_token(town)))["resolveAlarm"]
        assert (
            done["status"] == "RESOLVED"
            and done["outcome"] == "HANDLED_ON_SITE"
            and done["allowedNext"] == []
        )
        assert [s["action"] for s in done["steps"]] == ["RAISE", "ACKNOWLEDGE", "DISPATCH", "RESOLVE"]
        assert done["steps"][0]["actor"] == service_id and done["steps"][3]["note"] == "老人摔倒已扶起"
        event = await _event_about(ws, _raw(alarm_id))
        assert event["type"] == "civic.eldercare.safety-alarm-resolved.v1"
        assert event["data"]["outcome"] and event["data"]["dispatch_target"]

    # A finished alarm takes no more steps.
    body = await stack.gql(ACK, {"input": {"alarmId": alarm_id}}, token=HOTLINE)
    assert error_codes(body) == ["FAILED_PRECONDITION"]


def _raw(global_id: str) -> str:
    """The service's id inside a global ID (events name the alarm by it)."""
    return from_base64(global_id)[1]


async def test_alarm_steps_need_the_right_role_and_input(stack: Stack) -> None:
    town = new_town()
    _, _, alarm_id = await _alarm_in(stack, town)
    body = await stack.gql(ACK, {"input": {"alarmId": alarm_id}}, token=VIEWER)
    assert error_codes(body) == ["PERMISSION_DENIED"]
    # Resolving needs an acknowledgement first, and a note saying what happened.
    body = await stack.gql(RESOLVE, {"input": {"alarmId": alarm_id, "outcome": "FALSE_ALARM", "note": "x"}})
    assert error_codes(body) == ["FAILED_PRECONDITION"]
    await stack.data(ACK, {"input": {"alarmId": alarm_id}}, token=HOTLINE)
    body = await stack.gql(RESOLVE, {"input": {"alarmId": alarm_id, "outcome": "FALSE_ALARM", "note": " "}})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["note"]
    body = await stack.gql(ACK, {"input": {"alarmId": to_base64("Device", "x")}})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["alarmId"]
    assert (await stack.data(ALARM, {"id": alarm_id}))["alarm"]["status"] == "ACKNOWLEDGED"


async def test_a_town_sees_only_its_own_alarms_and_devices(stack: Stack) -> None:
    mine, other = new_town(), new_town()
    elder, device, own_alarm = await _alarm_in(stack, mine)
    _, _, their_alarm = await _alarm_in(stack, other)
    officer = town_token(mine)

    assert (await stack.data(ALARM, {"id": their_alarm}, token=officer))["alarm"] is None
    body = await stack.gql(ACK, {"input": {"alarmId": their_alarm}}, token=officer)
    assert error_codes(body) == ["NOT_FOUND"]
    listed = (await stack.data(ALARMS, {"status": "RAISED", "first": 50}, token=officer))["alarms"]
    assert [e["node"]["id"] for e in listed["edges"]] == [own_alarm] and listed["totalCount"] == 1
    devices = (await stack.data(DEVICES, {"first": 50}, token=officer))["devices"]
    assert [e["node"]["serial"] for e in devices["edges"]] == [device["serial"]]

    on_elder = (await stack.data(ELDER_ALARMS, {"id": elder["id"]}, token=officer))["elder"]
    assert on_elder["alarms"] == [{"id": own_alarm, "status": "RAISED"}]
    assert on_elder["devices"] == [{"serial": device["serial"]}]


async def test_alarms_and_devices_paginate_by_region_and_status(stack: Stack) -> None:
    town = new_town()
    elder = await register_elder(stack, village(town))
    serials = []
    for _ in range(3):
        device = await install_device(stack, elder["id"], "SMOKE")
        serials.append(device["serial"])
        await ingest_alarm(stack, device["serial"], kind=1)
    variables = {"region": town, "first": 2, "after": None}
    page = (await stack.data(ALARMS, variables))["alarms"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    rest = (await stack.data(ALARMS, {**variables, "after": page["pageInfo"]["endCursor"]}))["alarms"]
    ids = [e["node"]["id"] for e in page["edges"] + rest["edges"]]
    assert len(set(ids)) == 3 and not rest["pageInfo"]["hasNextPage"]
    assert (await stack.data(ALARMS, {**variables, "status": "RESOLVED"}))["alarms"]["totalCount"] == 0

    devices = (await stack.data(DEVICES, {**variables, "first": 10}))["devices"]
    assert [e["node"]["serial"] for e in devices["edges"]] == serials
    body = await stack.gql(ALARMS, {**variables, "first": 101})
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["first"]


async def test_devices_install_and_remove_with_field_errors(stack: Stack) -> None:
    town = new_town()
    elder = await register_elder(stack, village(town))
    install = "mutation I($input: InstallDeviceInput!) { installDevice(input: $input) { id } }"
    bad = {"input": {"elderId": elder["id"], "kind": "GAS", "vendor": "Not A Vendor!", "serial": "S-1"}}
    body = await stack.gql(install, bad)
    assert error_codes(body) == ["INVALID_ARGUMENT"] and fields_of(body) == ["vendor"]
    assert (await stack.data(DEVICES, {"region": town, "first": 10}))["devices"]["totalCount"] == 0

    device = await install_device(stack, elder["id"], "GAS", token=town_token(town))
    assert (
        device["vendor"] == VENDOR and device["status"] == "ACTIVE" and device["regionCode"] == village(town)
    )
    again = {"input": {"elderId": elder["id"], "kind": "GAS", "vendor": VENDOR, "serial": device["serial"]}}
    assert error_codes(await stack.gql(install, again)) == ["ALREADY_EXISTS"]

    removed = await stack.data(REMOVE, {"input": {"deviceId": device["id"], "reason": "老人搬家"}})
    assert removed["removeDevice"] == {"id": device["id"], "status": "REMOVED", "removalReason": "老人搬家"}
    body = await stack.gql(REMOVE, {"input": {"deviceId": device["id"]}})
    assert error_codes(body) == ["FAILED_PRECONDITION"]
    gone = (await stack.data(DEVICES, {"region": town, "status": "REMOVED", "first": 10}))["devices"]
    assert gone["totalCount"] == 1
