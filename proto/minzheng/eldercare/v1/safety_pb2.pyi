import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from minzheng.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_KIND_UNSPECIFIED: _ClassVar[DeviceKind]
    DEVICE_KIND_SMOKE: _ClassVar[DeviceKind]
    DEVICE_KIND_GAS: _ClassVar[DeviceKind]
    DEVICE_KIND_DOOR: _ClassVar[DeviceKind]
    DEVICE_KIND_SOS: _ClassVar[DeviceKind]
    DEVICE_KIND_FALL_RADAR: _ClassVar[DeviceKind]

class DeviceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_STATUS_UNSPECIFIED: _ClassVar[DeviceStatus]
    DEVICE_STATUS_ACTIVE: _ClassVar[DeviceStatus]
    DEVICE_STATUS_OFFLINE: _ClassVar[DeviceStatus]
    DEVICE_STATUS_REMOVED: _ClassVar[DeviceStatus]

class AlarmKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_KIND_UNSPECIFIED: _ClassVar[AlarmKind]
    ALARM_KIND_SMOKE: _ClassVar[AlarmKind]
    ALARM_KIND_GAS_LEAK: _ClassVar[AlarmKind]
    ALARM_KIND_SOS: _ClassVar[AlarmKind]
    ALARM_KIND_FALL: _ClassVar[AlarmKind]
    ALARM_KIND_INACTIVITY: _ClassVar[AlarmKind]
    ALARM_KIND_DOOR_OPEN: _ClassVar[AlarmKind]
    ALARM_KIND_LOW_BATTERY: _ClassVar[AlarmKind]
    ALARM_KIND_TAMPER: _ClassVar[AlarmKind]

class AlarmStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_STATUS_UNSPECIFIED: _ClassVar[AlarmStatus]
    ALARM_STATUS_RAISED: _ClassVar[AlarmStatus]
    ALARM_STATUS_ACKNOWLEDGED: _ClassVar[AlarmStatus]
    ALARM_STATUS_DISPATCHED: _ClassVar[AlarmStatus]
    ALARM_STATUS_RESOLVED: _ClassVar[AlarmStatus]

class DispatchTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPATCH_TARGET_UNSPECIFIED: _ClassVar[DispatchTarget]
    DISPATCH_TARGET_FAMILY: _ClassVar[DispatchTarget]
    DISPATCH_TARGET_COMMUNITY_GRID: _ClassVar[DispatchTarget]
    DISPATCH_TARGET_EMERGENCY_120: _ClassVar[DispatchTarget]
    DISPATCH_TARGET_EMERGENCY_119: _ClassVar[DispatchTarget]

class AlarmOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_OUTCOME_UNSPECIFIED: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_FALSE_ALARM: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_HANDLED_BY_FAMILY: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_HANDLED_ON_SITE: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_HOSPITAL: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_EMERGENCY_SERVICE: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_DEVICE_FAULT: _ClassVar[AlarmOutcome]
    ALARM_OUTCOME_OTHER: _ClassVar[AlarmOutcome]

class AlarmAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALARM_ACTION_UNSPECIFIED: _ClassVar[AlarmAction]
    ALARM_ACTION_RAISE: _ClassVar[AlarmAction]
    ALARM_ACTION_ACKNOWLEDGE: _ClassVar[AlarmAction]
    ALARM_ACTION_DISPATCH: _ClassVar[AlarmAction]
    ALARM_ACTION_RESOLVE: _ClassVar[AlarmAction]

class EscalationLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ESCALATION_LEVEL_UNSPECIFIED: _ClassVar[EscalationLevel]
    ESCALATION_LEVEL_TOWN: _ClassVar[EscalationLevel]
    ESCALATION_LEVEL_DISTRICT: _ClassVar[EscalationLevel]
DEVICE_KIND_UNSPECIFIED: DeviceKind
DEVICE_KIND_SMOKE: DeviceKind
DEVICE_KIND_GAS: DeviceKind
DEVICE_KIND_DOOR: DeviceKind
DEVICE_KIND_SOS: DeviceKind
DEVICE_KIND_FALL_RADAR: DeviceKind
DEVICE_STATUS_UNSPECIFIED: DeviceStatus
DEVICE_STATUS_ACTIVE: DeviceStatus
DEVICE_STATUS_OFFLINE: DeviceStatus
DEVICE_STATUS_REMOVED: DeviceStatus
ALARM_KIND_UNSPECIFIED: AlarmKind
ALARM_KIND_SMOKE: AlarmKind
ALARM_KIND_GAS_LEAK: AlarmKind
ALARM_KIND_SOS: AlarmKind
ALARM_KIND_FALL: AlarmKind
ALARM_KIND_INACTIVITY: AlarmKind
ALARM_KIND_DOOR_OPEN: AlarmKind
ALARM_KIND_LOW_BATTERY: AlarmKind
ALARM_KIND_TAMPER: AlarmKind
ALARM_STATUS_UNSPECIFIED: AlarmStatus
ALARM_STATUS_RAISED: AlarmStatus
ALARM_STATUS_ACKNOWLEDGED: AlarmStatus
ALARM_STATUS_DISPATCHED: AlarmStatus
ALARM_STATUS_RESOLVED: AlarmStatus
DISPATCH_TARGET_UNSPECIFIED: DispatchTarget
DISPATCH_TARGET_FAMILY: DispatchTarget
DISPATCH_TARGET_COMMUNITY_GRID: DispatchTarget
DISPATCH_TARGET_EMERGENCY_120: DispatchTarget
DISPATCH_TARGET_EMERGENCY_119: DispatchTarget
ALARM_OUTCOME_UNSPECIFIED: AlarmOutcome
ALARM_OUTCOME_FALSE_ALARM: AlarmOutcome
ALARM_OUTCOME_HANDLED_BY_FAMILY: AlarmOutcome
ALARM_OUTCOME_HANDLED_ON_SITE: AlarmOutcome
ALARM_OUTCOME_HOSPITAL: AlarmOutcome
ALARM_OUTCOME_EMERGENCY_SERVICE: AlarmOutcome
ALARM_OUTCOME_DEVICE_FAULT: AlarmOutcome
ALARM_OUTCOME_OTHER: AlarmOutcome
ALARM_ACTION_UNSPECIFIED: AlarmAction
ALARM_ACTION_RAISE: AlarmAction
ALARM_ACTION_ACKNOWLEDGE: AlarmAction
ALARM_ACTION_DISPATCH: AlarmAction
ALARM_ACTION_RESOLVE: AlarmAction
ESCALATION_LEVEL_UNSPECIFIED: EscalationLevel
ESCALATION_LEVEL_TOWN: EscalationLevel
ESCALATION_LEVEL_DISTRICT: EscalationLevel

class Device(_message.Message):
    __slots__ = ("id", "elder_id", "elder_name", "region_code", "kind", "vendor", "serial", "status", "installed_on", "installed_by", "last_heartbeat_at", "offline_since", "removed_at", "removal_reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_ON_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_BY_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_SINCE_FIELD_NUMBER: _ClassVar[int]
    REMOVED_AT_FIELD_NUMBER: _ClassVar[int]
    REMOVAL_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    elder_name: str
    region_code: str
    kind: DeviceKind
    vendor: str
    serial: str
    status: DeviceStatus
    installed_on: str
    installed_by: str
    last_heartbeat_at: _timestamp_pb2.Timestamp
    offline_since: _timestamp_pb2.Timestamp
    removed_at: _timestamp_pb2.Timestamp
    removal_reason: str
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., elder_name: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[DeviceKind, str]] = ..., vendor: _Optional[str] = ..., serial: _Optional[str] = ..., status: _Optional[_Union[DeviceStatus, str]] = ..., installed_on: _Optional[str] = ..., installed_by: _Optional[str] = ..., last_heartbeat_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., offline_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., removed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., removal_reason: _Optional[str] = ...) -> None: ...

class InstallDeviceRequest(_message.Message):
    __slots__ = ("elder_id", "kind", "vendor", "serial", "installed_on")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    INSTALLED_ON_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    kind: DeviceKind
    vendor: str
    serial: str
    installed_on: str
    def __init__(self, elder_id: _Optional[str] = ..., kind: _Optional[_Union[DeviceKind, str]] = ..., vendor: _Optional[str] = ..., serial: _Optional[str] = ..., installed_on: _Optional[str] = ...) -> None: ...

class ListDevicesRequest(_message.Message):
    __slots__ = ("region_code", "status", "elder_id", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: DeviceStatus
    elder_id: str
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[DeviceStatus, str]] = ..., elder_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListDevicesResponse(_message.Message):
    __slots__ = ("devices", "page_info", "cursors")
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchListDevicesRequest(_message.Message):
    __slots__ = ("elder_ids", "status", "per_elder")
    ELDER_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PER_ELDER_FIELD_NUMBER: _ClassVar[int]
    elder_ids: _containers.RepeatedScalarFieldContainer[str]
    status: DeviceStatus
    per_elder: int
    def __init__(self, elder_ids: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[DeviceStatus, str]] = ..., per_elder: _Optional[int] = ...) -> None: ...

class ElderDevices(_message.Message):
    __slots__ = ("elder_id", "devices", "total")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    total: int
    def __init__(self, elder_id: _Optional[str] = ..., devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class BatchListDevicesResponse(_message.Message):
    __slots__ = ("elders",)
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[ElderDevices]
    def __init__(self, elders: _Optional[_Iterable[_Union[ElderDevices, _Mapping]]] = ...) -> None: ...

class RemoveDeviceRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("vendor", "serial", "at")
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    vendor: str
    serial: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, vendor: _Optional[str] = ..., serial: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordHeartbeatsRequest(_message.Message):
    __slots__ = ("heartbeats",)
    HEARTBEATS_FIELD_NUMBER: _ClassVar[int]
    heartbeats: _containers.RepeatedCompositeFieldContainer[Heartbeat]
    def __init__(self, heartbeats: _Optional[_Iterable[_Union[Heartbeat, _Mapping]]] = ...) -> None: ...

class DeviceRef(_message.Message):
    __slots__ = ("vendor", "serial")
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    vendor: str
    serial: str
    def __init__(self, vendor: _Optional[str] = ..., serial: _Optional[str] = ...) -> None: ...

class RecordHeartbeatsResponse(_message.Message):
    __slots__ = ("accepted", "unknown")
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    unknown: _containers.RepeatedCompositeFieldContainer[DeviceRef]
    def __init__(self, accepted: _Optional[int] = ..., unknown: _Optional[_Iterable[_Union[DeviceRef, _Mapping]]] = ...) -> None: ...

class IngestAlarmRequest(_message.Message):
    __slots__ = ("vendor", "vendor_alarm_id", "serial", "kind", "occurred_at", "detail")
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    VENDOR_ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    vendor: str
    vendor_alarm_id: str
    serial: str
    kind: AlarmKind
    occurred_at: _timestamp_pb2.Timestamp
    detail: str
    def __init__(self, vendor: _Optional[str] = ..., vendor_alarm_id: _Optional[str] = ..., serial: _Optional[str] = ..., kind: _Optional[_Union[AlarmKind, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detail: _Optional[str] = ...) -> None: ...

class IngestAlarmResponse(_message.Message):
    __slots__ = ("alarm", "created")
    ALARM_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    alarm: Alarm
    created: bool
    def __init__(self, alarm: _Optional[_Union[Alarm, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class IngestAlarmsRequest(_message.Message):
    __slots__ = ("alarms",)
    ALARMS_FIELD_NUMBER: _ClassVar[int]
    alarms: _containers.RepeatedCompositeFieldContainer[IngestAlarmRequest]
    def __init__(self, alarms: _Optional[_Iterable[_Union[IngestAlarmRequest, _Mapping]]] = ...) -> None: ...

class IngestAlarmsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[IngestAlarmResult]
    def __init__(self, results: _Optional[_Iterable[_Union[IngestAlarmResult, _Mapping]]] = ...) -> None: ...

class IngestAlarmResult(_message.Message):
    __slots__ = ("vendor", "vendor_alarm_id", "alarm_id", "created", "error_code", "error_message")
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    VENDOR_ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    vendor: str
    vendor_alarm_id: str
    alarm_id: str
    created: bool
    error_code: str
    error_message: str
    def __init__(self, vendor: _Optional[str] = ..., vendor_alarm_id: _Optional[str] = ..., alarm_id: _Optional[str] = ..., created: _Optional[bool] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ...) -> None: ...

class AlarmStep(_message.Message):
    __slots__ = ("sequence", "action", "from_status", "to_status", "actor", "at", "note", "dispatch_target", "outcome")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_TARGET_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    action: AlarmAction
    from_status: AlarmStatus
    to_status: AlarmStatus
    actor: str
    at: _timestamp_pb2.Timestamp
    note: str
    dispatch_target: DispatchTarget
    outcome: AlarmOutcome
    def __init__(self, sequence: _Optional[int] = ..., action: _Optional[_Union[AlarmAction, str]] = ..., from_status: _Optional[_Union[AlarmStatus, str]] = ..., to_status: _Optional[_Union[AlarmStatus, str]] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., dispatch_target: _Optional[_Union[DispatchTarget, str]] = ..., outcome: _Optional[_Union[AlarmOutcome, str]] = ...) -> None: ...

class Alarm(_message.Message):
    __slots__ = ("id", "vendor", "vendor_alarm_id", "device_id", "device_kind", "device_serial", "elder_id", "elder_name", "elder_id_number", "region_code", "kind", "status", "occurred_at", "received_at", "detail", "acknowledge_due_at", "escalation_level", "escalated_at", "acknowledged_at", "dispatch_target", "resolved_at", "outcome", "steps", "allowed_next")
    ID_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    VENDOR_ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_KIND_FIELD_NUMBER: _ClassVar[int]
    DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_TARGET_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_NEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    vendor: str
    vendor_alarm_id: str
    device_id: str
    device_kind: DeviceKind
    device_serial: str
    elder_id: str
    elder_name: str
    elder_id_number: str
    region_code: str
    kind: AlarmKind
    status: AlarmStatus
    occurred_at: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    detail: str
    acknowledge_due_at: _timestamp_pb2.Timestamp
    escalation_level: EscalationLevel
    escalated_at: _timestamp_pb2.Timestamp
    acknowledged_at: _timestamp_pb2.Timestamp
    dispatch_target: DispatchTarget
    resolved_at: _timestamp_pb2.Timestamp
    outcome: AlarmOutcome
    steps: _containers.RepeatedCompositeFieldContainer[AlarmStep]
    allowed_next: _containers.RepeatedScalarFieldContainer[AlarmAction]
    def __init__(self, id: _Optional[str] = ..., vendor: _Optional[str] = ..., vendor_alarm_id: _Optional[str] = ..., device_id: _Optional[str] = ..., device_kind: _Optional[_Union[DeviceKind, str]] = ..., device_serial: _Optional[str] = ..., elder_id: _Optional[str] = ..., elder_name: _Optional[str] = ..., elder_id_number: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[AlarmKind, str]] = ..., status: _Optional[_Union[AlarmStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detail: _Optional[str] = ..., acknowledge_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalation_level: _Optional[_Union[EscalationLevel, str]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dispatch_target: _Optional[_Union[DispatchTarget, str]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[_Union[AlarmOutcome, str]] = ..., steps: _Optional[_Iterable[_Union[AlarmStep, _Mapping]]] = ..., allowed_next: _Optional[_Iterable[_Union[AlarmAction, str]]] = ...) -> None: ...

class GetAlarmRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListAlarmsRequest(_message.Message):
    __slots__ = ("region_code", "status", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: AlarmStatus
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[AlarmStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAlarmsResponse(_message.Message):
    __slots__ = ("alarms", "page_info", "cursors")
    ALARMS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    alarms: _containers.RepeatedCompositeFieldContainer[Alarm]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, alarms: _Optional[_Iterable[_Union[Alarm, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchListElderAlarmsRequest(_message.Message):
    __slots__ = ("elder_ids", "status", "per_elder")
    ELDER_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PER_ELDER_FIELD_NUMBER: _ClassVar[int]
    elder_ids: _containers.RepeatedScalarFieldContainer[str]
    status: AlarmStatus
    per_elder: int
    def __init__(self, elder_ids: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[AlarmStatus, str]] = ..., per_elder: _Optional[int] = ...) -> None: ...

class ElderAlarms(_message.Message):
    __slots__ = ("elder_id", "alarms", "total")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ALARMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    alarms: _containers.RepeatedCompositeFieldContainer[Alarm]
    total: int
    def __init__(self, elder_id: _Optional[str] = ..., alarms: _Optional[_Iterable[_Union[Alarm, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class BatchListElderAlarmsResponse(_message.Message):
    __slots__ = ("elders",)
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[ElderAlarms]
    def __init__(self, elders: _Optional[_Iterable[_Union[ElderAlarms, _Mapping]]] = ...) -> None: ...

class AcknowledgeAlarmRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class DispatchAlarmRequest(_message.Message):
    __slots__ = ("id", "target", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    target: DispatchTarget
    note: str
    def __init__(self, id: _Optional[str] = ..., target: _Optional[_Union[DispatchTarget, str]] = ..., note: _Optional[str] = ...) -> None: ...

class ResolveAlarmRequest(_message.Message):
    __slots__ = ("id", "outcome", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: AlarmOutcome
    note: str
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[_Union[AlarmOutcome, str]] = ..., note: _Optional[str] = ...) -> None: ...
