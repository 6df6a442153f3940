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

class FlagKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FLAG_KIND_UNSPECIFIED: _ClassVar[FlagKind]
    FLAG_KIND_MAY_QUALIFY: _ClassVar[FlagKind]
    FLAG_KIND_REASSESS: _ClassVar[FlagKind]
    FLAG_KIND_ENDED: _ClassVar[FlagKind]

class FlagStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FLAG_STATUS_UNSPECIFIED: _ClassVar[FlagStatus]
    FLAG_STATUS_OPEN: _ClassVar[FlagStatus]
    FLAG_STATUS_HANDLED: _ClassVar[FlagStatus]
FLAG_KIND_UNSPECIFIED: FlagKind
FLAG_KIND_MAY_QUALIFY: FlagKind
FLAG_KIND_REASSESS: FlagKind
FLAG_KIND_ENDED: FlagKind
FLAG_STATUS_UNSPECIFIED: FlagStatus
FLAG_STATUS_OPEN: FlagStatus
FLAG_STATUS_HANDLED: FlagStatus

class HouseholdFlag(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "kind", "fact", "person_id", "reason", "source_type", "raised_at", "status", "handled_by", "handled_at", "handled_note")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FACT_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HANDLED_BY_FIELD_NUMBER: _ClassVar[int]
    HANDLED_AT_FIELD_NUMBER: _ClassVar[int]
    HANDLED_NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    kind: FlagKind
    fact: str
    person_id: str
    reason: str
    source_type: str
    raised_at: _timestamp_pb2.Timestamp
    status: FlagStatus
    handled_by: str
    handled_at: _timestamp_pb2.Timestamp
    handled_note: str
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[FlagKind, str]] = ..., fact: _Optional[str] = ..., person_id: _Optional[str] = ..., reason: _Optional[str] = ..., source_type: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[FlagStatus, str]] = ..., handled_by: _Optional[str] = ..., handled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., handled_note: _Optional[str] = ...) -> None: ...

class ListFlagsRequest(_message.Message):
    __slots__ = ("region_code", "status", "page", "household_id")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: FlagStatus
    page: _common_pb2.PageRequest
    household_id: str
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[FlagStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., household_id: _Optional[str] = ...) -> None: ...

class ListFlagsResponse(_message.Message):
    __slots__ = ("flags", "page_info", "cursors")
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    flags: _containers.RepeatedCompositeFieldContainer[HouseholdFlag]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, flags: _Optional[_Iterable[_Union[HouseholdFlag, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class HandleFlagRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...
