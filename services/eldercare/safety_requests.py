"""Taking home-safety requests apart: validate every field, name the bad ones, return plain values.

Each ``parse_*`` collects every violation and raises one INVALID_ARGUMENT before anything is read or
written. Checks that need stored rows (is the device installed? may the alarm take this step?) are
in ``devices`` and ``alarms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from minzheng.eldercare.v1 import safety_pb2 as pb

from services.eldercare import safety_mapping as m
from services.eldercare import safety_rules as r
from services.eldercare.alarms import AlarmStep, NewAlarm
from services.eldercare.safety_policy import china_day
from services.eldercare.safety_rules import AlarmAction, AlarmStatus, DeviceKind, DeviceStatus
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector, InvalidArgument

FILTER_LEVELS = ("district", "town", "village")
MAX_ID_LENGTH = 36
# A vendor platform's batch: enough to drain a storm in a few calls, small enough for one transaction.
MAX_INGEST_BATCH = 500


@dataclass(frozen=True)
class NewDevice:
    """A validated installation."""

    elder_id: str
    kind: DeviceKind
    vendor: str
    serial: str
    installed_on: date


@dataclass(frozen=True)
class DeviceQuery:
    """A validated device listing."""

    scopes: tuple[str, ...]
    status: DeviceStatus | None
    elder_id: str | None
    after: tuple[datetime, str] | None
    limit: int


@dataclass(frozen=True)
class AlarmQuery:
    """A validated alarm listing."""

    scopes: tuple[str, ...]
    status: AlarmStatus | None
    after: tuple[datetime, str] | None
    limit: int


def _required_id(errors: Collector, field: str, raw: str) -> str:
    value = raw.strip()
    errors.check(bool(value) and len(value) <= MAX_ID_LENGTH, field, "is required (an id)")
    return value


def _scopes(principal: Principal, errors: Collector, raw: str) -> tuple[str, ...]:
    if raw.strip():
        protoconv.region_code(errors, "region_code", raw, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return principal.narrow(raw.strip() or None)


def _after(errors: Collector, token: str) -> tuple[datetime, str] | None:
    keys = paging.decode_page_token(errors, "page.page_token", token, size=2)
    if keys is None:
        return None
    try:
        return protoconv.as_utc(datetime.fromisoformat(keys[0])), keys[1]
    except ValueError:
        errors.add("page.page_token", "is not a page token this service issued")
        return None


def _day(errors: Collector, field: str, raw: str, *, default: date) -> date | None:
    text = raw.strip()
    if not text:
        return default
    try:
        if len(text) != len("YYYY-MM-DD"):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors.add(field, "must be a date as YYYY-MM-DD")
        return None


def parse_install(request: pb.InstallDeviceRequest, *, now: datetime) -> NewDevice:
    """An installation: an elder, a kind, a vendor code and serial, a day not in the future."""
    errors = Collector()
    elder_id = _required_id(errors, "elder_id", request.elder_id)
    kind = m.enum_field(errors, "kind", request.kind, m.DEVICE_KIND_FROM_PB, required=True)
    vendor = r.check_vendor(errors, "vendor", request.vendor)
    serial = r.check_serial(errors, "serial", request.serial)
    today = china_day(now)
    installed_on = _day(errors, "installed_on", request.installed_on, default=today)
    if installed_on is not None and installed_on > today:
        errors.add("installed_on", "must not be in the future")
    errors.raise_if_any()
    assert kind is not None and installed_on is not None
    return NewDevice(elder_id, kind, vendor, serial, installed_on)


def parse_list_devices(principal: Principal, request: pb.ListDevicesRequest) -> DeviceQuery:
    """Scopes, filters and the page of a device listing."""
    errors = Collector()
    status = m.enum_field(errors, "status", request.status, m.DEVICE_STATUS_FROM_PB, required=False)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = _after(errors, request.page.page_token)
    scopes = _scopes(principal, errors, request.region_code)
    return DeviceQuery(scopes, status, request.elder_id.strip() or None, after, limit)


def parse_remove(request: pb.RemoveDeviceRequest) -> tuple[str, str]:
    """The device and why it is removed."""
    errors = Collector()
    device_id = _required_id(errors, "id", request.id)
    reason = r.check_text(errors, "reason", request.reason, max_length=r.MAX_REASON_LENGTH, required=False)
    errors.raise_if_any()
    return device_id, reason


def parse_heartbeats(
    request: pb.RecordHeartbeatsRequest, *, now: datetime
) -> list[tuple[str, str, datetime]]:
    """1..1000 heartbeats, each with a vendor, a serial and a time (not in the future; default now)."""
    errors = Collector()
    count = len(request.heartbeats)
    errors.check(
        1 <= count <= r.MAX_HEARTBEATS_PER_CALL,
        "heartbeats",
        f"give between 1 and {r.MAX_HEARTBEATS_PER_CALL} heartbeats",
    )
    beats = []
    for i, beat in enumerate(request.heartbeats[: r.MAX_HEARTBEATS_PER_CALL]):
        vendor = r.check_vendor(errors, f"heartbeats[{i}].vendor", beat.vendor)
        serial = r.check_serial(errors, f"heartbeats[{i}].serial", beat.serial)
        at = protoconv.as_utc(beat.at.ToDatetime()) if beat.HasField("at") else now
        r.check_reported_time(errors, f"heartbeats[{i}].at", at, now=now, max_age=r.MAX_ALARM_AGE)
        # A clock a little ahead is taken as ours, so last_seen_at never lies in the future.
        beats.append((vendor, serial, min(at, now)))
    errors.raise_if_any()
    return beats


def parse_ingest(request: pb.IngestAlarmRequest, *, now: datetime) -> NewAlarm:
    """An alarm as the vendor sent it: who, which device, what, when (not later than now plus skew)."""
    errors = Collector()
    vendor = r.check_vendor(errors, "vendor", request.vendor)
    vendor_alarm_id = r.check_vendor_alarm_id(errors, "vendor_alarm_id", request.vendor_alarm_id)
    serial = r.check_serial(errors, "serial", request.serial)
    kind = m.enum_field(errors, "kind", request.kind, m.ALARM_KIND_FROM_PB, required=True)
    occurred_at = now
    if request.HasField("occurred_at"):
        occurred_at = protoconv.as_utc(request.occurred_at.ToDatetime())
        r.check_reported_time(errors, "occurred_at", occurred_at, now=now, max_age=r.MAX_ALARM_AGE)
    else:
        errors.add("occurred_at", "is required")
    detail = r.check_text(errors, "detail", request.detail, max_length=r.MAX_DETAIL_LENGTH, required=False)
    errors.raise_if_any()
    assert kind is not None
    return NewAlarm(vendor, vendor_alarm_id, serial, kind, occurred_at, detail)


def parse_ingest_batch(request: pb.IngestAlarmsRequest, *, now: datetime) -> list[NewAlarm | InvalidArgument]:
    """Each alarm of a batch, or why it is refused (a bad alarm does not stop the others)."""
    count = len(request.alarms)
    if not 0 < count <= MAX_INGEST_BATCH:
        raise InvalidArgument.field("alarms", f"send 1 to {MAX_INGEST_BATCH} alarms, not {count}")
    parsed: list[NewAlarm | InvalidArgument] = []
    for alarm in request.alarms:
        try:
            parsed.append(parse_ingest(alarm, now=now))
        except InvalidArgument as exc:
            parsed.append(exc)
    return parsed


def parse_get(raw_id: str) -> str:
    """An alarm id."""
    errors = Collector()
    alarm_id = _required_id(errors, "id", raw_id)
    errors.raise_if_any()
    return alarm_id


def parse_list_alarms(principal: Principal, request: pb.ListAlarmsRequest) -> AlarmQuery:
    """Scopes, status filter and the page of an alarm listing."""
    errors = Collector()
    status = m.enum_field(errors, "status", request.status, m.ALARM_STATUS_FROM_PB, required=False)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = _after(errors, request.page.page_token)
    scopes = _scopes(principal, errors, request.region_code)
    return AlarmQuery(scopes, status, after, limit)


def parse_acknowledge(request: pb.AcknowledgeAlarmRequest) -> tuple[str, AlarmStep]:
    """The alarm and an optional note."""
    errors = Collector()
    alarm_id = _required_id(errors, "id", request.id)
    note = r.check_text(errors, "note", request.note, max_length=r.MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    return alarm_id, AlarmStep(AlarmAction.ACKNOWLEDGE, note)


def parse_dispatch(request: pb.DispatchAlarmRequest) -> tuple[str, AlarmStep]:
    """The alarm, who is sent, and an optional note."""
    errors = Collector()
    alarm_id = _required_id(errors, "id", request.id)
    target = m.enum_field(errors, "target", request.target, m.TARGET_FROM_PB, required=True)
    note = r.check_text(errors, "note", request.note, max_length=r.MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    return alarm_id, AlarmStep(AlarmAction.DISPATCH, note, target=target)


def parse_resolve(request: pb.ResolveAlarmRequest) -> tuple[str, AlarmStep]:
    """The alarm, its outcome and a note saying what happened."""
    errors = Collector()
    alarm_id = _required_id(errors, "id", request.id)
    outcome = m.enum_field(errors, "outcome", request.outcome, m.OUTCOME_FROM_PB, required=True)
    note = r.check_text(errors, "note", request.note, max_length=r.MAX_NOTE_LENGTH, required=True)
    errors.raise_if_any()
    return alarm_id, AlarmStep(AlarmAction.RESOLVE, note, outcome=outcome)
