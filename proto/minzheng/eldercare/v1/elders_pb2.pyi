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

class LivingArrangement(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIVING_ARRANGEMENT_UNSPECIFIED: _ClassVar[LivingArrangement]
    LIVING_ARRANGEMENT_ALONE: _ClassVar[LivingArrangement]
    LIVING_ARRANGEMENT_EMPTY_NEST: _ClassVar[LivingArrangement]
    LIVING_ARRANGEMENT_WITH_FAMILY: _ClassVar[LivingArrangement]
    LIVING_ARRANGEMENT_IN_INSTITUTION: _ClassVar[LivingArrangement]

class CapabilityLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAPABILITY_LEVEL_UNSPECIFIED: _ClassVar[CapabilityLevel]
    CAPABILITY_LEVEL_INTACT: _ClassVar[CapabilityLevel]
    CAPABILITY_LEVEL_MILD: _ClassVar[CapabilityLevel]
    CAPABILITY_LEVEL_MODERATE: _ClassVar[CapabilityLevel]
    CAPABILITY_LEVEL_SEVERE: _ClassVar[CapabilityLevel]
    CAPABILITY_LEVEL_COMPLETE: _ClassVar[CapabilityLevel]

class ContactRelation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTACT_RELATION_UNSPECIFIED: _ClassVar[ContactRelation]
    CONTACT_RELATION_CHILD: _ClassVar[ContactRelation]
    CONTACT_RELATION_SPOUSE: _ClassVar[ContactRelation]
    CONTACT_RELATION_RELATIVE: _ClassVar[ContactRelation]
    CONTACT_RELATION_NEIGHBOUR: _ClassVar[ContactRelation]
    CONTACT_RELATION_GRID_WORKER: _ClassVar[ContactRelation]
    CONTACT_RELATION_OTHER: _ClassVar[ContactRelation]

class VulnerabilityReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VULNERABILITY_REASON_UNSPECIFIED: _ClassVar[VulnerabilityReason]
    VULNERABILITY_REASON_ALONE: _ClassVar[VulnerabilityReason]
    VULNERABILITY_REASON_WIDOWED_CHILDLESS: _ClassVar[VulnerabilityReason]
    VULNERABILITY_REASON_LEFT_BEHIND: _ClassVar[VulnerabilityReason]
    VULNERABILITY_REASON_DISABLED: _ClassVar[VulnerabilityReason]
    VULNERABILITY_REASON_SPECIAL_FAMILY: _ClassVar[VulnerabilityReason]

class VisitRiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VISIT_RISK_LEVEL_UNSPECIFIED: _ClassVar[VisitRiskLevel]
    VISIT_RISK_LEVEL_LOW: _ClassVar[VisitRiskLevel]
    VISIT_RISK_LEVEL_MEDIUM: _ClassVar[VisitRiskLevel]
    VISIT_RISK_LEVEL_HIGH: _ClassVar[VisitRiskLevel]
LIVING_ARRANGEMENT_UNSPECIFIED: LivingArrangement
LIVING_ARRANGEMENT_ALONE: LivingArrangement
LIVING_ARRANGEMENT_EMPTY_NEST: LivingArrangement
LIVING_ARRANGEMENT_WITH_FAMILY: LivingArrangement
LIVING_ARRANGEMENT_IN_INSTITUTION: LivingArrangement
CAPABILITY_LEVEL_UNSPECIFIED: CapabilityLevel
CAPABILITY_LEVEL_INTACT: CapabilityLevel
CAPABILITY_LEVEL_MILD: CapabilityLevel
CAPABILITY_LEVEL_MODERATE: CapabilityLevel
CAPABILITY_LEVEL_SEVERE: CapabilityLevel
CAPABILITY_LEVEL_COMPLETE: CapabilityLevel
CONTACT_RELATION_UNSPECIFIED: ContactRelation
CONTACT_RELATION_CHILD: ContactRelation
CONTACT_RELATION_SPOUSE: ContactRelation
CONTACT_RELATION_RELATIVE: ContactRelation
CONTACT_RELATION_NEIGHBOUR: ContactRelation
CONTACT_RELATION_GRID_WORKER: ContactRelation
CONTACT_RELATION_OTHER: ContactRelation
VULNERABILITY_REASON_UNSPECIFIED: VulnerabilityReason
VULNERABILITY_REASON_ALONE: VulnerabilityReason
VULNERABILITY_REASON_WIDOWED_CHILDLESS: VulnerabilityReason
VULNERABILITY_REASON_LEFT_BEHIND: VulnerabilityReason
VULNERABILITY_REASON_DISABLED: VulnerabilityReason
VULNERABILITY_REASON_SPECIAL_FAMILY: VulnerabilityReason
VISIT_RISK_LEVEL_UNSPECIFIED: VisitRiskLevel
VISIT_RISK_LEVEL_LOW: VisitRiskLevel
VISIT_RISK_LEVEL_MEDIUM: VisitRiskLevel
VISIT_RISK_LEVEL_HIGH: VisitRiskLevel

class ElderContact(_message.Message):
    __slots__ = ("name", "relation", "phone")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    name: str
    relation: ContactRelation
    phone: str
    def __init__(self, name: _Optional[str] = ..., relation: _Optional[_Union[ContactRelation, str]] = ..., phone: _Optional[str] = ...) -> None: ...

class Elder(_message.Message):
    __slots__ = ("id", "id_number", "name", "sex", "birth_date", "age", "region_code", "living_arrangement", "widowed_childless", "left_behind", "special_family", "phone", "address", "contacts", "capability_level", "capability_assessed_on", "vulnerability", "last_visit_on", "visit_due_on", "visit_overdue", "days_overdue", "registered_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    LIVING_ARRANGEMENT_FIELD_NUMBER: _ClassVar[int]
    WIDOWED_CHILDLESS_FIELD_NUMBER: _ClassVar[int]
    LEFT_BEHIND_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_FAMILY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    VULNERABILITY_FIELD_NUMBER: _ClassVar[int]
    LAST_VISIT_ON_FIELD_NUMBER: _ClassVar[int]
    VISIT_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    VISIT_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_number: str
    name: str
    sex: str
    birth_date: str
    age: int
    region_code: str
    living_arrangement: LivingArrangement
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    phone: str
    address: str
    contacts: _containers.RepeatedCompositeFieldContainer[ElderContact]
    capability_level: CapabilityLevel
    capability_assessed_on: str
    vulnerability: _containers.RepeatedScalarFieldContainer[VulnerabilityReason]
    last_visit_on: str
    visit_due_on: str
    visit_overdue: bool
    days_overdue: int
    registered_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., id_number: _Optional[str] = ..., name: _Optional[str] = ..., sex: _Optional[str] = ..., birth_date: _Optional[str] = ..., age: _Optional[int] = ..., region_code: _Optional[str] = ..., living_arrangement: _Optional[_Union[LivingArrangement, str]] = ..., widowed_childless: _Optional[bool] = ..., left_behind: _Optional[bool] = ..., special_family: _Optional[bool] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., contacts: _Optional[_Iterable[_Union[ElderContact, _Mapping]]] = ..., capability_level: _Optional[_Union[CapabilityLevel, str]] = ..., capability_assessed_on: _Optional[str] = ..., vulnerability: _Optional[_Iterable[_Union[VulnerabilityReason, str]]] = ..., last_visit_on: _Optional[str] = ..., visit_due_on: _Optional[str] = ..., visit_overdue: _Optional[bool] = ..., days_overdue: _Optional[int] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterElderRequest(_message.Message):
    __slots__ = ("id_number", "name", "region_code", "living_arrangement", "widowed_childless", "left_behind", "special_family", "phone", "address", "contacts", "situation_since")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    LIVING_ARRANGEMENT_FIELD_NUMBER: _ClassVar[int]
    WIDOWED_CHILDLESS_FIELD_NUMBER: _ClassVar[int]
    LEFT_BEHIND_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_FAMILY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    SITUATION_SINCE_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    name: str
    region_code: str
    living_arrangement: LivingArrangement
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    phone: str
    address: str
    contacts: _containers.RepeatedCompositeFieldContainer[ElderContact]
    situation_since: str
    def __init__(self, id_number: _Optional[str] = ..., name: _Optional[str] = ..., region_code: _Optional[str] = ..., living_arrangement: _Optional[_Union[LivingArrangement, str]] = ..., widowed_childless: _Optional[bool] = ..., left_behind: _Optional[bool] = ..., special_family: _Optional[bool] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., contacts: _Optional[_Iterable[_Union[ElderContact, _Mapping]]] = ..., situation_since: _Optional[str] = ...) -> None: ...

class GetElderRequest(_message.Message):
    __slots__ = ("id", "id_number")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_number: str
    def __init__(self, id: _Optional[str] = ..., id_number: _Optional[str] = ...) -> None: ...

class UpdateElderRequest(_message.Message):
    __slots__ = ("id", "living_arrangement", "widowed_childless", "left_behind", "special_family", "phone", "address", "contacts")
    ID_FIELD_NUMBER: _ClassVar[int]
    LIVING_ARRANGEMENT_FIELD_NUMBER: _ClassVar[int]
    WIDOWED_CHILDLESS_FIELD_NUMBER: _ClassVar[int]
    LEFT_BEHIND_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_FAMILY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    living_arrangement: LivingArrangement
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    phone: str
    address: str
    contacts: _containers.RepeatedCompositeFieldContainer[ElderContact]
    def __init__(self, id: _Optional[str] = ..., living_arrangement: _Optional[_Union[LivingArrangement, str]] = ..., widowed_childless: _Optional[bool] = ..., left_behind: _Optional[bool] = ..., special_family: _Optional[bool] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., contacts: _Optional[_Iterable[_Union[ElderContact, _Mapping]]] = ...) -> None: ...

class ListEldersRequest(_message.Message):
    __slots__ = ("region_code", "vulnerable_only", "visit_overdue_only", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VULNERABLE_ONLY_FIELD_NUMBER: _ClassVar[int]
    VISIT_OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    vulnerable_only: bool
    visit_overdue_only: bool
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., vulnerable_only: _Optional[bool] = ..., visit_overdue_only: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListEldersResponse(_message.Message):
    __slots__ = ("elders", "page_info", "cursors")
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[Elder]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, elders: _Optional[_Iterable[_Union[Elder, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class CapabilityAssessment(_message.Message):
    __slots__ = ("id", "elder_id", "level", "assessed_on", "assessor", "organisation", "notes", "current", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    level: CapabilityLevel
    assessed_on: str
    assessor: str
    organisation: str
    notes: str
    current: bool
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., level: _Optional[_Union[CapabilityLevel, str]] = ..., assessed_on: _Optional[str] = ..., assessor: _Optional[str] = ..., organisation: _Optional[str] = ..., notes: _Optional[str] = ..., current: _Optional[bool] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordAssessmentRequest(_message.Message):
    __slots__ = ("elder_id", "level", "assessed_on", "assessor", "organisation", "notes")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    level: CapabilityLevel
    assessed_on: str
    assessor: str
    organisation: str
    notes: str
    def __init__(self, elder_id: _Optional[str] = ..., level: _Optional[_Union[CapabilityLevel, str]] = ..., assessed_on: _Optional[str] = ..., assessor: _Optional[str] = ..., organisation: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class ListAssessmentsRequest(_message.Message):
    __slots__ = ("elder_id", "page")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    page: _common_pb2.PageRequest
    def __init__(self, elder_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAssessmentsResponse(_message.Message):
    __slots__ = ("assessments", "page_info")
    ASSESSMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    assessments: _containers.RepeatedCompositeFieldContainer[CapabilityAssessment]
    page_info: _common_pb2.PageInfo
    def __init__(self, assessments: _Optional[_Iterable[_Union[CapabilityAssessment, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class BatchListAssessmentsRequest(_message.Message):
    __slots__ = ("elder_ids", "per_elder")
    ELDER_IDS_FIELD_NUMBER: _ClassVar[int]
    PER_ELDER_FIELD_NUMBER: _ClassVar[int]
    elder_ids: _containers.RepeatedScalarFieldContainer[str]
    per_elder: int
    def __init__(self, elder_ids: _Optional[_Iterable[str]] = ..., per_elder: _Optional[int] = ...) -> None: ...

class ElderAssessments(_message.Message):
    __slots__ = ("elder_id", "assessments", "total")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    assessments: _containers.RepeatedCompositeFieldContainer[CapabilityAssessment]
    total: int
    def __init__(self, elder_id: _Optional[str] = ..., assessments: _Optional[_Iterable[_Union[CapabilityAssessment, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class BatchListAssessmentsResponse(_message.Message):
    __slots__ = ("elders",)
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[ElderAssessments]
    def __init__(self, elders: _Optional[_Iterable[_Union[ElderAssessments, _Mapping]]] = ...) -> None: ...

class Visitor(_message.Message):
    __slots__ = ("name", "region_code")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    name: str
    region_code: str
    def __init__(self, name: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class ElderVisit(_message.Message):
    __slots__ = ("id", "elder_id", "visited_on", "visitor", "findings", "risk_level", "notes", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    VISITOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    visited_on: str
    visitor: Visitor
    findings: str
    risk_level: VisitRiskLevel
    notes: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., visited_on: _Optional[str] = ..., visitor: _Optional[_Union[Visitor, _Mapping]] = ..., findings: _Optional[str] = ..., risk_level: _Optional[_Union[VisitRiskLevel, str]] = ..., notes: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordElderVisitRequest(_message.Message):
    __slots__ = ("elder_id", "visited_on", "visitor", "findings", "risk_level", "notes")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    VISITOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    visited_on: str
    visitor: Visitor
    findings: str
    risk_level: VisitRiskLevel
    notes: str
    def __init__(self, elder_id: _Optional[str] = ..., visited_on: _Optional[str] = ..., visitor: _Optional[_Union[Visitor, _Mapping]] = ..., findings: _Optional[str] = ..., risk_level: _Optional[_Union[VisitRiskLevel, str]] = ..., notes: _Optional[str] = ...) -> None: ...

class ListElderVisitsRequest(_message.Message):
    __slots__ = ("elder_id", "page")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    page: _common_pb2.PageRequest
    def __init__(self, elder_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListElderVisitsResponse(_message.Message):
    __slots__ = ("visits", "page_info")
    VISITS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    visits: _containers.RepeatedCompositeFieldContainer[ElderVisit]
    page_info: _common_pb2.PageInfo
    def __init__(self, visits: _Optional[_Iterable[_Union[ElderVisit, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class BatchListElderVisitsRequest(_message.Message):
    __slots__ = ("elder_ids", "per_elder")
    ELDER_IDS_FIELD_NUMBER: _ClassVar[int]
    PER_ELDER_FIELD_NUMBER: _ClassVar[int]
    elder_ids: _containers.RepeatedScalarFieldContainer[str]
    per_elder: int
    def __init__(self, elder_ids: _Optional[_Iterable[str]] = ..., per_elder: _Optional[int] = ...) -> None: ...

class ElderVisits(_message.Message):
    __slots__ = ("elder_id", "visits", "total")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    visits: _containers.RepeatedCompositeFieldContainer[ElderVisit]
    total: int
    def __init__(self, elder_id: _Optional[str] = ..., visits: _Optional[_Iterable[_Union[ElderVisit, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class BatchListElderVisitsResponse(_message.Message):
    __slots__ = ("elders",)
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[ElderVisits]
    def __init__(self, elders: _Optional[_Iterable[_Union[ElderVisits, _Mapping]]] = ...) -> None: ...

class GetElderVisitComplianceRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class VillageVisitCompliance(_message.Message):
    __slots__ = ("region_code", "vulnerable", "overdue", "rate")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VULNERABLE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    vulnerable: int
    overdue: int
    rate: float
    def __init__(self, region_code: _Optional[str] = ..., vulnerable: _Optional[int] = ..., overdue: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...

class ElderVisitCompliance(_message.Message):
    __slots__ = ("villages", "vulnerable", "overdue", "rate")
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    VULNERABLE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    villages: _containers.RepeatedCompositeFieldContainer[VillageVisitCompliance]
    vulnerable: int
    overdue: int
    rate: float
    def __init__(self, villages: _Optional[_Iterable[_Union[VillageVisitCompliance, _Mapping]]] = ..., vulnerable: _Optional[int] = ..., overdue: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...
