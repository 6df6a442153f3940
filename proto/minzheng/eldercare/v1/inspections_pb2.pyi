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

class FacilityKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FACILITY_KIND_UNSPECIFIED: _ClassVar[FacilityKind]
    FACILITY_KIND_CARE_CENTRE: _ClassVar[FacilityKind]
    FACILITY_KIND_CANTEEN: _ClassVar[FacilityKind]
    FACILITY_KIND_INSTITUTION: _ClassVar[FacilityKind]

class HazardSeverity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HAZARD_SEVERITY_UNSPECIFIED: _ClassVar[HazardSeverity]
    HAZARD_SEVERITY_MINOR: _ClassVar[HazardSeverity]
    HAZARD_SEVERITY_MAJOR: _ClassVar[HazardSeverity]
    HAZARD_SEVERITY_CRITICAL: _ClassVar[HazardSeverity]

class HazardStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HAZARD_STATUS_UNSPECIFIED: _ClassVar[HazardStatus]
    HAZARD_STATUS_OPEN: _ClassVar[HazardStatus]
    HAZARD_STATUS_RECTIFIED: _ClassVar[HazardStatus]
    HAZARD_STATUS_CLOSED: _ClassVar[HazardStatus]

class InspectionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSPECTION_STATUS_UNSPECIFIED: _ClassVar[InspectionStatus]
    INSPECTION_STATUS_OPEN: _ClassVar[InspectionStatus]
    INSPECTION_STATUS_CLOSED: _ClassVar[InspectionStatus]
FACILITY_KIND_UNSPECIFIED: FacilityKind
FACILITY_KIND_CARE_CENTRE: FacilityKind
FACILITY_KIND_CANTEEN: FacilityKind
FACILITY_KIND_INSTITUTION: FacilityKind
HAZARD_SEVERITY_UNSPECIFIED: HazardSeverity
HAZARD_SEVERITY_MINOR: HazardSeverity
HAZARD_SEVERITY_MAJOR: HazardSeverity
HAZARD_SEVERITY_CRITICAL: HazardSeverity
HAZARD_STATUS_UNSPECIFIED: HazardStatus
HAZARD_STATUS_OPEN: HazardStatus
HAZARD_STATUS_RECTIFIED: HazardStatus
HAZARD_STATUS_CLOSED: HazardStatus
INSPECTION_STATUS_UNSPECIFIED: InspectionStatus
INSPECTION_STATUS_OPEN: InspectionStatus
INSPECTION_STATUS_CLOSED: InspectionStatus

class Hazard(_message.Message):
    __slots__ = ("id", "inspection_id", "description", "severity", "rectify_by", "status", "rectified_on", "rectification_note", "verified_on", "verified_by", "verification_note", "facility_kind", "facility_name", "region_code", "days_overdue")
    ID_FIELD_NUMBER: _ClassVar[int]
    INSPECTION_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    RECTIFY_BY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECTIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_NOTE_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_NOTE_FIELD_NUMBER: _ClassVar[int]
    FACILITY_KIND_FIELD_NUMBER: _ClassVar[int]
    FACILITY_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    id: str
    inspection_id: str
    description: str
    severity: HazardSeverity
    rectify_by: str
    status: HazardStatus
    rectified_on: str
    rectification_note: str
    verified_on: str
    verified_by: str
    verification_note: str
    facility_kind: FacilityKind
    facility_name: str
    region_code: str
    days_overdue: int
    def __init__(self, id: _Optional[str] = ..., inspection_id: _Optional[str] = ..., description: _Optional[str] = ..., severity: _Optional[_Union[HazardSeverity, str]] = ..., rectify_by: _Optional[str] = ..., status: _Optional[_Union[HazardStatus, str]] = ..., rectified_on: _Optional[str] = ..., rectification_note: _Optional[str] = ..., verified_on: _Optional[str] = ..., verified_by: _Optional[str] = ..., verification_note: _Optional[str] = ..., facility_kind: _Optional[_Union[FacilityKind, str]] = ..., facility_name: _Optional[str] = ..., region_code: _Optional[str] = ..., days_overdue: _Optional[int] = ...) -> None: ...

class Inspection(_message.Message):
    __slots__ = ("id", "facility_kind", "facility_id", "facility_name", "region_code", "inspected_on", "inspector", "findings", "status", "closed_on", "hazards", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    FACILITY_KIND_FIELD_NUMBER: _ClassVar[int]
    FACILITY_ID_FIELD_NUMBER: _ClassVar[int]
    FACILITY_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    INSPECTED_ON_FIELD_NUMBER: _ClassVar[int]
    INSPECTOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    HAZARDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    facility_kind: FacilityKind
    facility_id: str
    facility_name: str
    region_code: str
    inspected_on: str
    inspector: str
    findings: str
    status: InspectionStatus
    closed_on: str
    hazards: _containers.RepeatedCompositeFieldContainer[Hazard]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., facility_kind: _Optional[_Union[FacilityKind, str]] = ..., facility_id: _Optional[str] = ..., facility_name: _Optional[str] = ..., region_code: _Optional[str] = ..., inspected_on: _Optional[str] = ..., inspector: _Optional[str] = ..., findings: _Optional[str] = ..., status: _Optional[_Union[InspectionStatus, str]] = ..., closed_on: _Optional[str] = ..., hazards: _Optional[_Iterable[_Union[Hazard, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NewHazard(_message.Message):
    __slots__ = ("description", "severity", "rectify_by")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    RECTIFY_BY_FIELD_NUMBER: _ClassVar[int]
    description: str
    severity: HazardSeverity
    rectify_by: str
    def __init__(self, description: _Optional[str] = ..., severity: _Optional[_Union[HazardSeverity, str]] = ..., rectify_by: _Optional[str] = ...) -> None: ...

class RecordInspectionRequest(_message.Message):
    __slots__ = ("facility_kind", "facility_id", "facility_name", "region_code", "inspected_on", "inspector", "findings", "hazards")
    FACILITY_KIND_FIELD_NUMBER: _ClassVar[int]
    FACILITY_ID_FIELD_NUMBER: _ClassVar[int]
    FACILITY_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    INSPECTED_ON_FIELD_NUMBER: _ClassVar[int]
    INSPECTOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    HAZARDS_FIELD_NUMBER: _ClassVar[int]
    facility_kind: FacilityKind
    facility_id: str
    facility_name: str
    region_code: str
    inspected_on: str
    inspector: str
    findings: str
    hazards: _containers.RepeatedCompositeFieldContainer[NewHazard]
    def __init__(self, facility_kind: _Optional[_Union[FacilityKind, str]] = ..., facility_id: _Optional[str] = ..., facility_name: _Optional[str] = ..., region_code: _Optional[str] = ..., inspected_on: _Optional[str] = ..., inspector: _Optional[str] = ..., findings: _Optional[str] = ..., hazards: _Optional[_Iterable[_Union[NewHazard, _Mapping]]] = ...) -> None: ...

class RecordRectificationRequest(_message.Message):
    __slots__ = ("hazard_id", "rectified_on", "evidence")
    HAZARD_ID_FIELD_NUMBER: _ClassVar[int]
    RECTIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    hazard_id: str
    rectified_on: str
    evidence: str
    def __init__(self, hazard_id: _Optional[str] = ..., rectified_on: _Optional[str] = ..., evidence: _Optional[str] = ...) -> None: ...

class VerifyRectificationRequest(_message.Message):
    __slots__ = ("hazard_id", "accepted", "verified_on", "verified_by", "note")
    HAZARD_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    hazard_id: str
    accepted: bool
    verified_on: str
    verified_by: str
    note: str
    def __init__(self, hazard_id: _Optional[str] = ..., accepted: _Optional[bool] = ..., verified_on: _Optional[str] = ..., verified_by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class GetInspectionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListInspectionsRequest(_message.Message):
    __slots__ = ("region_code", "status", "facility_kind", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FACILITY_KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: InspectionStatus
    facility_kind: FacilityKind
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[InspectionStatus, str]] = ..., facility_kind: _Optional[_Union[FacilityKind, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListInspectionsResponse(_message.Message):
    __slots__ = ("inspections", "page_info", "cursors")
    INSPECTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    inspections: _containers.RepeatedCompositeFieldContainer[Inspection]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, inspections: _Optional[_Iterable[_Union[Inspection, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class ListOverdueRectificationsRequest(_message.Message):
    __slots__ = ("region_code", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListOverdueRectificationsResponse(_message.Message):
    __slots__ = ("hazards", "page_info", "cursors", "as_of")
    HAZARDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    hazards: _containers.RepeatedCompositeFieldContainer[Hazard]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    as_of: str
    def __init__(self, hazards: _Optional[_Iterable[_Union[Hazard, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ..., as_of: _Optional[str] = ...) -> None: ...
