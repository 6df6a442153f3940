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

class CaregiverLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAREGIVER_LEVEL_UNSPECIFIED: _ClassVar[CaregiverLevel]
    CAREGIVER_LEVEL_JUNIOR: _ClassVar[CaregiverLevel]
    CAREGIVER_LEVEL_INTERMEDIATE: _ClassVar[CaregiverLevel]
    CAREGIVER_LEVEL_SENIOR: _ClassVar[CaregiverLevel]
    CAREGIVER_LEVEL_TECHNICIAN: _ClassVar[CaregiverLevel]
    CAREGIVER_LEVEL_SENIOR_TECHNICIAN: _ClassVar[CaregiverLevel]
CAREGIVER_LEVEL_UNSPECIFIED: CaregiverLevel
CAREGIVER_LEVEL_JUNIOR: CaregiverLevel
CAREGIVER_LEVEL_INTERMEDIATE: CaregiverLevel
CAREGIVER_LEVEL_SENIOR: CaregiverLevel
CAREGIVER_LEVEL_TECHNICIAN: CaregiverLevel
CAREGIVER_LEVEL_SENIOR_TECHNICIAN: CaregiverLevel

class Caregiver(_message.Message):
    __slots__ = ("id", "certificate_number", "name", "level", "certified_on", "employer_institution_id", "employer_name", "region_code", "active", "left_on", "left_reason", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CERTIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    LEFT_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    certificate_number: str
    name: str
    level: CaregiverLevel
    certified_on: str
    employer_institution_id: str
    employer_name: str
    region_code: str
    active: bool
    left_on: str
    left_reason: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., certificate_number: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[CaregiverLevel, str]] = ..., certified_on: _Optional[str] = ..., employer_institution_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., region_code: _Optional[str] = ..., active: _Optional[bool] = ..., left_on: _Optional[str] = ..., left_reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterCaregiverRequest(_message.Message):
    __slots__ = ("certificate_number", "name", "level", "certified_on", "employer_institution_id", "employer_name", "region_code")
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CERTIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    certificate_number: str
    name: str
    level: CaregiverLevel
    certified_on: str
    employer_institution_id: str
    employer_name: str
    region_code: str
    def __init__(self, certificate_number: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[CaregiverLevel, str]] = ..., certified_on: _Optional[str] = ..., employer_institution_id: _Optional[str] = ..., employer_name: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class RecordCaregiverLeftRequest(_message.Message):
    __slots__ = ("caregiver_id", "left_on", "reason")
    CAREGIVER_ID_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    caregiver_id: str
    left_on: str
    reason: str
    def __init__(self, caregiver_id: _Optional[str] = ..., left_on: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListCaregiversRequest(_message.Message):
    __slots__ = ("region_code", "level", "include_left", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_LEFT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    level: CaregiverLevel
    include_left: bool
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., level: _Optional[_Union[CaregiverLevel, str]] = ..., include_left: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListCaregiversResponse(_message.Message):
    __slots__ = ("caregivers", "page_info", "cursors")
    CAREGIVERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    caregivers: _containers.RepeatedCompositeFieldContainer[Caregiver]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, caregivers: _Optional[_Iterable[_Union[Caregiver, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class GetCaregiverCountsRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class CaregiverLevelCount(_message.Message):
    __slots__ = ("level", "count")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    level: CaregiverLevel
    count: int
    def __init__(self, level: _Optional[_Union[CaregiverLevel, str]] = ..., count: _Optional[int] = ...) -> None: ...

class GetCaregiverCountsResponse(_message.Message):
    __slots__ = ("levels", "active", "senior_or_above", "senior_share")
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    SENIOR_OR_ABOVE_FIELD_NUMBER: _ClassVar[int]
    SENIOR_SHARE_FIELD_NUMBER: _ClassVar[int]
    levels: _containers.RepeatedCompositeFieldContainer[CaregiverLevelCount]
    active: int
    senior_or_above: int
    senior_share: float
    def __init__(self, levels: _Optional[_Iterable[_Union[CaregiverLevelCount, _Mapping]]] = ..., active: _Optional[int] = ..., senior_or_above: _Optional[int] = ..., senior_share: _Optional[float] = ...) -> None: ...
