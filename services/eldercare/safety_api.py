"""The home-safety gRPC servicer: take the request apart, call one service function, map back.

Validation lives in ``safety_requests`` (every bad field named, nothing written), the work in
``devices`` and ``alarms``, the proto mapping in ``safety_mapping``. Roles: town officers and above
install and remove devices; machine callers (role ``service``: the gateway's vendor webhook, a vendor
platform bridge) record heartbeats and ingest alarms; the 96345 hotline, town officers and above take
alarm steps; every role reads within its regions. "Now" comes from the injected clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import grpc
from minzheng.eldercare.v1 import safety_pb2 as pb
from minzheng.eldercare.v1 import safety_pb2_grpc

from services.eldercare import alarm_files, alarms, batch_queries, devices, safety_mapping, safety_requests
from services.eldercare.alarms import AlarmStep, NewAlarm
from services.eldercare.batch_requests import parse_alarm_batch, parse_device_batch
from services.eldercare.safety_policy import SafetyPolicy, load_safety_policy
from services.kit import paging
from services.kit.auth import Principal, Role
from services.kit.errors import DomainError
from services.kit.group_commit import GroupCommit
from services.kit.grpc_server import current_principal
from services.kit.periods import Clock
from services.kit.protoconv import as_utc
from services.kit.service import ServiceContext
from services.kit.telemetry import current_traceparent

Context = grpc.aio.ServicerContext
INGEST_ROLES = (Role.SERVICE,)
STEP_ROLES = (Role.HOTLINE, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN)


SQLITE_WRITER_PAUSE_S = 0.003


class HomeSafetyServicer(safety_pb2_grpc.HomeSafetyServiceServicer):
    """minzheng.eldercare.v1.HomeSafetyService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: SafetyPolicy) -> None:
        self._ctx = ctx
        self._db = ctx.db
        self._clock = clock
        self._policy = policy
        # Alarms arrive in bursts (a storm, a vendor replaying its queue): concurrent ones share a
        # transaction instead of queueing for the database one by one.
        self._ingest = GroupCommit("alarm ingestion", self._ingest_batch, pause_s=_writer_pause_s(ctx))

    async def InstallDevice(self, request: pb.InstallDeviceRequest, context: Context) -> pb.Device:
        """Install a device in the home of an elder the caller can see."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        new = safety_requests.parse_install(request, now=now)
        async with self._db.unit_of_work() as session:
            row = await devices.install_device(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                elder_id=new.elder_id,
                kind=new.kind,
                vendor=new.vendor,
                serial=new.serial,
                installed_on=new.installed_on,
                now=now,
            )
        return safety_mapping.device_to_pb(row)

    async def ListDevices(self, request: pb.ListDevicesRequest, context: Context) -> pb.ListDevicesResponse:
        """Devices in the caller's regions (or one inside them), oldest installation first, by pages."""
        principal = current_principal()
        query = safety_requests.parse_list_devices(principal, request)
        async with self._db.read() as session:
            rows, total, more = await devices.list_devices(
                session,
                scopes=query.scopes,
                status=query.status,
                elder_id=query.elder_id,
                after=query.after,
                limit=query.limit,
            )
            cursors = [
                paging.encode_page_token(as_utc(r.device.created_at).isoformat(), r.device.id) for r in rows
            ]
            return pb.ListDevicesResponse(
                devices=[safety_mapping.device_to_pb(r) for r in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def BatchListDevices(
        self, request: pb.BatchListDevicesRequest, context: Context
    ) -> pb.BatchListDevicesResponse:
        """Up to 100 elders' devices in one call (elders outside the regions left out)."""
        principal = current_principal()
        batch, status = parse_device_batch(request)
        async with self._db.read() as session:
            shown = await batch_queries.visible_elders(session, scopes=principal.regions, ids=batch.ids)
            found = await batch_queries.first_devices(
                session, scopes=principal.regions, elders=shown, status=status, limit=batch.per_elder
            )
            return pb.BatchListDevicesResponse(
                elders=[
                    pb.ElderDevices(
                        elder_id=elder_id,
                        devices=[safety_mapping.device_to_pb(r) for r in rows.rows],
                        total=rows.total,
                    )
                    for elder_id, rows in found.items()
                ]
            )

    async def RemoveDevice(self, request: pb.RemoveDeviceRequest, context: Context) -> pb.Device:
        """Mark a device removed, recording why."""
        principal = current_principal()
        principal.require_write()
        device_id, reason = safety_requests.parse_remove(request)
        async with self._db.unit_of_work() as session:
            row = await devices.remove_device(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                device_id=device_id,
                reason=reason,
                now=self._clock(),
            )
        return safety_mapping.device_to_pb(row)

    async def RecordHeartbeats(
        self, request: pb.RecordHeartbeatsRequest, context: Context
    ) -> pb.RecordHeartbeatsResponse:
        """Record a batch of heartbeats; devices not installed are listed back."""
        principal = current_principal()
        principal.require_role(*INGEST_ROLES)
        beats = safety_requests.parse_heartbeats(request, now=self._clock())
        async with self._db.unit_of_work() as session:
            result = await devices.record_heartbeats(session, scopes=principal.regions, beats=beats)
        return pb.RecordHeartbeatsResponse(
            accepted=result.accepted,
            unknown=[pb.DeviceRef(vendor=v, serial=s) for v, s in result.unknown],
        )

    async def IngestAlarm(self, request: pb.IngestAlarmRequest, context: Context) -> pb.IngestAlarmResponse:
        """Store and announce a device's alarm once per vendor alarm id; a repeat returns the stored one."""
        principal = current_principal()
        principal.require_role(*INGEST_ROLES)
        now = self._clock()
        new = safety_requests.parse_ingest(request, now=now)
        file, created = await self._ingest.submit(self._ingest_item(principal, new, now))
        return pb.IngestAlarmResponse(alarm=safety_mapping.alarm_to_pb(file), created=created)

    async def IngestAlarms(
        self, request: pb.IngestAlarmsRequest, context: Context
    ) -> pb.IngestAlarmsResponse:
        """Many alarms at once, each as IngestAlarm would take it; one result per alarm, in order."""
        principal = current_principal()
        principal.require_role(*INGEST_ROLES)
        now = self._clock()
        parsed = safety_requests.parse_ingest_batch(request, now=now)
        valid = [p for p in parsed if not isinstance(p, DomainError)]
        stored = iter(await self._ingest.submit_many([self._ingest_item(principal, p, now) for p in valid]))
        results = []
        for raw, item in zip(request.alarms, parsed, strict=True):
            outcome = item if isinstance(item, DomainError) else next(stored)
            results.append(safety_mapping.ingest_result(raw.vendor, raw.vendor_alarm_id, outcome))
        return pb.IngestAlarmsResponse(results=results)

    @staticmethod
    def _ingest_item(principal: Principal, new: NewAlarm, now: datetime) -> alarms.Ingest:
        return alarms.Ingest(
            actor=principal.subject,
            scopes=tuple(principal.regions),
            new=new,
            received_at=now,
            traceparent=current_traceparent(),
        )

    async def _ingest_batch(self, items: Sequence[alarms.Ingest]) -> list[alarms.Ingested | DomainError]:
        async with self._db.unit_of_work() as session:
            outcomes = await alarms.ingest_alarms(session, items, policy=self._policy)
        if any(not isinstance(o, DomainError) and o[1] for o in outcomes):
            self._ctx.notify_outbox()
        return outcomes

    async def _alarm(self, principal: Principal, alarm_id: str) -> pb.Alarm:
        async with self._db.read() as session:
            alarm = await alarm_files.visible_alarm(session, scopes=principal.regions, alarm_id=alarm_id)
            return safety_mapping.alarm_to_pb((await alarm_files.assemble(session, [alarm]))[0])

    async def GetAlarm(self, request: pb.GetAlarmRequest, context: Context) -> pb.Alarm:
        """One alarm with its history."""
        principal = current_principal()
        return await self._alarm(principal, safety_requests.parse_get(request.id))

    async def ListAlarms(self, request: pb.ListAlarmsRequest, context: Context) -> pb.ListAlarmsResponse:
        """Alarms in the caller's regions (or one inside them), newest first, by pages."""
        principal = current_principal()
        query = safety_requests.parse_list_alarms(principal, request)
        async with self._db.read() as session:
            rows, total, more = await alarm_files.list_alarms(
                session, scopes=query.scopes, status=query.status, after=query.after, limit=query.limit
            )
            files = await alarm_files.assemble(session, rows)
            cursors = [paging.encode_page_token(as_utc(r.received_at).isoformat(), r.id) for r in rows]
            return pb.ListAlarmsResponse(
                alarms=[safety_mapping.alarm_to_pb(f) for f in files],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def BatchListElderAlarms(
        self, request: pb.BatchListElderAlarmsRequest, context: Context
    ) -> pb.BatchListElderAlarmsResponse:
        """Up to 100 elders' newest alarms in one call (elders outside the regions left out)."""
        principal = current_principal()
        batch, status = parse_alarm_batch(request)
        async with self._db.read() as session:
            shown = await batch_queries.visible_elders(session, scopes=principal.regions, ids=batch.ids)
            found = await batch_queries.first_alarms(
                session,
                scopes=principal.regions,
                elder_ids=[e.id for e in shown],
                status=status,
                limit=batch.per_elder,
            )
            return pb.BatchListElderAlarmsResponse(
                elders=[
                    pb.ElderAlarms(
                        elder_id=elder_id,
                        alarms=[safety_mapping.alarm_to_pb(f) for f in rows.rows],
                        total=rows.total,
                    )
                    for elder_id, rows in found.items()
                ]
            )

    async def _step(self, alarm_id: str, step: AlarmStep) -> pb.Alarm:
        principal = current_principal()
        principal.require_role(*STEP_ROLES)
        async with self._db.unit_of_work() as session:
            alarm = await alarms.take_step(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                alarm_id=alarm_id,
                step=step,
                now=self._clock(),
            )
        self._ctx.notify_outbox()
        return await self._alarm(principal, alarm.id)

    async def AcknowledgeAlarm(self, request: pb.AcknowledgeAlarmRequest, context: Context) -> pb.Alarm:
        """The hotline takes a raised alarm (it stops escalating)."""
        return await self._step(*safety_requests.parse_acknowledge(request))

    async def DispatchAlarm(self, request: pb.DispatchAlarmRequest, context: Context) -> pb.Alarm:
        """Send the family, the community grid or emergency services."""
        return await self._step(*safety_requests.parse_dispatch(request))

    async def ResolveAlarm(self, request: pb.ResolveAlarmRequest, context: Context) -> pb.Alarm:
        """Close an alarm with its outcome."""
        return await self._step(*safety_requests.parse_resolve(request))


def _writer_pause_s(ctx: ServiceContext) -> float:
    """How long ingestion leaves SQLite's write lock free between batches (GroupCommit's ``pause_s``).

    Only with SQLite and the relay in a process of its own: that relay tries the lock every
    ``relay_main.SQLITE_LOCK_POLL_S`` and found no gap between back-to-back batches, so events waited
    for its claim and mark. A pause a little longer than its poll lets the relay in within one batch.
    """
    return SQLITE_WRITER_PAUSE_S if ctx.db.is_sqlite and ctx.remote_wake is not None else 0.0


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["HomeSafetyService"].full_name


def register(
    server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy: SafetyPolicy | None = None
) -> None:
    """Add the home-safety servicer to the service's gRPC server."""
    servicer = HomeSafetyServicer(ctx, clock=clock, policy=policy or load_safety_policy())
    safety_pb2_grpc.add_HomeSafetyServiceServicer_to_server(servicer, server)
