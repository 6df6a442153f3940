"""Home safety (安居守护) in the graph: devices and the alarm lifecycle over HomeSafetyService.

Alarms come in from machines (the vendor webhook and gRPC IngestAlarm), never through GraphQL; here
people read them and take the hotline's steps: acknowledge, dispatch, resolve. Rows outside the
caller's regions look absent: ``alarm`` answers null, mutations NOT_FOUND.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import safety_pb2 as pb

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import iso, node_id
from gateway.schema.safety_types import (
    Alarm,
    AlarmConnection,
    AlarmOutcome,
    AlarmStatus,
    Device,
    DeviceConnection,
    DeviceKind,
    DeviceStatus,
    DispatchTarget,
)

# The services name the row ``id``; the mutations' inputs say which row.
DEVICE_RENAMES = {"id": "deviceId"}
ALARM_RENAMES = {"id": "alarmId"}

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.type
class SafetyQuery:
    @strawberry.field(description="Home-safety devices in your regions (or one inside them), oldest first.")
    async def devices(
        self,
        info: Info,
        region_code: str | None = None,
        status: DeviceStatus | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> DeviceConnection:
        ctx = info.context
        request = pb.ListDevicesRequest(
            region_code=region_code or "",
            status=status.value if status else pb.DEVICE_STATUS_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.safety.ListDevices, request, renames=PAGE_RENAMES)
        nodes = [Device.from_pb(row) for row in reply.devices]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return DeviceConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="Home-safety alarms in your regions (or one inside them), newest first.")
    async def alarms(
        self,
        info: Info,
        status: AlarmStatus | None = None,
        region_code: str | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> AlarmConnection:
        ctx = info.context
        request = pb.ListAlarmsRequest(
            region_code=region_code or "",
            status=status.value if status else pb.ALARM_STATUS_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.safety.ListAlarms, request, renames=PAGE_RENAMES)
        nodes = [Alarm.from_pb(row) for row in reply.alarms]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return AlarmConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="One alarm with its steps; null when absent or outside your regions.")
    async def alarm(self, info: Info, id: strawberry.ID) -> Alarm | None:
        ctx = info.context
        request = pb.GetAlarmRequest(id=node_id(id, "Alarm", "id"))
        try:
            reply = await ctx.call(ctx.clients.safety.GetAlarm, request)
        except GraphQLError as exc:
            if (exc.extensions or {}).get("code") == "NOT_FOUND":
                return None  # absent and out of the caller's regions look the same, by design
            raise
        return Alarm.from_pb(reply)


@strawberry.input(description="A device installed in an elder's home.")
class InstallDeviceInput:
    elder_id: strawberry.ID
    kind: DeviceKind
    vendor: str = strawberry.field(
        description='Lower-case letters, digits, "-" and "_" (as in the webhook path).'
    )
    serial: str = strawberry.field(description="Unique among the vendor's installed devices.")
    installed_on: date | None = strawberry.field(
        default=None, description="Not in the future; default today."
    )


@strawberry.input(description="A device taken out of service.")
class RemoveDeviceInput:
    device_id: strawberry.ID
    reason: str | None = None


@strawberry.input(description="A raised alarm taken by the hotline.")
class AcknowledgeAlarmInput:
    alarm_id: strawberry.ID
    note: str | None = None


@strawberry.input(description="An acknowledged (or dispatched) alarm handed to someone to act on it.")
class DispatchAlarmInput:
    alarm_id: strawberry.ID
    target: DispatchTarget
    note: str | None = None


@strawberry.input(description="An acknowledged or dispatched alarm closed with its outcome.")
class ResolveAlarmInput:
    alarm_id: strawberry.ID
    outcome: AlarmOutcome
    note: str = strawberry.field(description="Required: what happened.")


@strawberry.type
class SafetyMutation:
    @strawberry.mutation(description="Install a device for an elder (town officers and above).")
    async def install_device(self, info: Info, input: InstallDeviceInput) -> Device:
        ctx = info.context
        request = pb.InstallDeviceRequest(
            elder_id=node_id(input.elder_id, "Elder", "elderId"),
            kind=input.kind.value,
            vendor=input.vendor,
            serial=input.serial,
            installed_on=iso(input.installed_on),
        )
        return Device.from_pb(await ctx.call(ctx.clients.safety.InstallDevice, request))

    @strawberry.mutation(description="Remove a device; FAILED_PRECONDITION when it is already removed.")
    async def remove_device(self, info: Info, input: RemoveDeviceInput) -> Device:
        ctx = info.context
        request = pb.RemoveDeviceRequest(
            id=node_id(input.device_id, "Device", "deviceId"), reason=input.reason or ""
        )
        return Device.from_pb(
            await ctx.call(ctx.clients.safety.RemoveDevice, request, renames=DEVICE_RENAMES)
        )

    @strawberry.mutation(
        description="RAISED → ACKNOWLEDGED (hotline, town officers and above); "
        "publishes civic.eldercare.safety-alarm-acknowledged."
    )
    async def acknowledge_alarm(self, info: Info, input: AcknowledgeAlarmInput) -> Alarm:
        ctx = info.context
        request = pb.AcknowledgeAlarmRequest(
            id=node_id(input.alarm_id, "Alarm", "alarmId"), note=input.note or ""
        )
        return Alarm.from_pb(
            await ctx.call(ctx.clients.safety.AcknowledgeAlarm, request, renames=ALARM_RENAMES)
        )

    @strawberry.mutation(description="ACKNOWLEDGED or DISPATCHED → DISPATCHED to family, grid or emergency.")
    async def dispatch_alarm(self, info: Info, input: DispatchAlarmInput) -> Alarm:
        ctx = info.context
        request = pb.DispatchAlarmRequest(
            id=node_id(input.alarm_id, "Alarm", "alarmId"), target=input.target.value, note=input.note or ""
        )
        return Alarm.from_pb(await ctx.call(ctx.clients.safety.DispatchAlarm, request, renames=ALARM_RENAMES))

    @strawberry.mutation(
        description="ACKNOWLEDGED or DISPATCHED → RESOLVED; publishes civic.eldercare.safety-alarm-resolved."
    )
    async def resolve_alarm(self, info: Info, input: ResolveAlarmInput) -> Alarm:
        ctx = info.context
        request = pb.ResolveAlarmRequest(
            id=node_id(input.alarm_id, "Alarm", "alarmId"), outcome=input.outcome.value, note=input.note
        )
        return Alarm.from_pb(await ctx.call(ctx.clients.safety.ResolveAlarm, request, renames=ALARM_RENAMES))
