import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FamilyCareServiceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAMILY_CARE_SERVICE_KIND_UNSPECIFIED: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_HOME_CARE: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_SAFETY_MONITORING: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_AGE_FRIENDLY_RENOVATION: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_MEAL_DELIVERY: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_RESPITE_CARE: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_HOME_HOSPITAL_BED: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_HOME_REHABILITATION: _ClassVar[FamilyCareServiceKind]
    FAMILY_CARE_SERVICE_KIND_DISABILITY_REHABILITATION: _ClassVar[FamilyCareServiceKind]

class ServicePeriod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_PERIOD_UNSPECIFIED: _ClassVar[ServicePeriod]
    SERVICE_PERIOD_WEEK: _ClassVar[ServicePeriod]
    SERVICE_PERIOD_MONTH: _ClassVar[ServicePeriod]
    SERVICE_PERIOD_ONCE: _ClassVar[ServicePeriod]
FAMILY_CARE_SERVICE_KIND_UNSPECIFIED: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_HOME_CARE: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_SAFETY_MONITORING: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_AGE_FRIENDLY_RENOVATION: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_MEAL_DELIVERY: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_RESPITE_CARE: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_HOME_HOSPITAL_BED: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_HOME_REHABILITATION: FamilyCareServiceKind
FAMILY_CARE_SERVICE_KIND_DISABILITY_REHABILITATION: FamilyCareServiceKind
SERVICE_PERIOD_UNSPECIFIED: ServicePeriod
SERVICE_PERIOD_WEEK: ServicePeriod
SERVICE_PERIOD_MONTH: ServicePeriod
SERVICE_PERIOD_ONCE: ServicePeriod

class FamilyCareServiceItem(_message.Message):
    __slots__ = ("id", "bed_id", "region_code", "kind", "department", "provider", "times", "period", "started_on", "ended_on", "end_reason", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    BED_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    bed_id: str
    region_code: str
    kind: FamilyCareServiceKind
    department: str
    provider: str
    times: int
    period: ServicePeriod
    started_on: str
    ended_on: str
    end_reason: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., bed_id: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[FamilyCareServiceKind, str]] = ..., department: _Optional[str] = ..., provider: _Optional[str] = ..., times: _Optional[int] = ..., period: _Optional[_Union[ServicePeriod, str]] = ..., started_on: _Optional[str] = ..., ended_on: _Optional[str] = ..., end_reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AttachFamilyCareServiceRequest(_message.Message):
    __slots__ = ("bed_id", "kind", "provider", "times", "period", "started_on")
    BED_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    bed_id: str
    kind: FamilyCareServiceKind
    provider: str
    times: int
    period: ServicePeriod
    started_on: str
    def __init__(self, bed_id: _Optional[str] = ..., kind: _Optional[_Union[FamilyCareServiceKind, str]] = ..., provider: _Optional[str] = ..., times: _Optional[int] = ..., period: _Optional[_Union[ServicePeriod, str]] = ..., started_on: _Optional[str] = ...) -> None: ...

class EndFamilyCareServiceRequest(_message.Message):
    __slots__ = ("service_id", "ended_on", "reason")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    ended_on: str
    reason: str
    def __init__(self, service_id: _Optional[str] = ..., ended_on: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListFamilyCareServicesRequest(_message.Message):
    __slots__ = ("bed_ids", "include_ended")
    BED_IDS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ENDED_FIELD_NUMBER: _ClassVar[int]
    bed_ids: _containers.RepeatedScalarFieldContainer[str]
    include_ended: bool
    def __init__(self, bed_ids: _Optional[_Iterable[str]] = ..., include_ended: _Optional[bool] = ...) -> None: ...

class ListFamilyCareServicesResponse(_message.Message):
    __slots__ = ("services",)
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[FamilyCareServiceItem]
    def __init__(self, services: _Optional[_Iterable[_Union[FamilyCareServiceItem, _Mapping]]] = ...) -> None: ...
