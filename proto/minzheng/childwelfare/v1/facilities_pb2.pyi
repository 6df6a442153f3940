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

class AdoptionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADOPTION_STATUS_UNSPECIFIED: _ClassVar[AdoptionStatus]
    ADOPTION_STATUS_APPLIED: _ClassVar[AdoptionStatus]
    ADOPTION_STATUS_ASSESSED: _ClassVar[AdoptionStatus]
    ADOPTION_STATUS_REGISTERED: _ClassVar[AdoptionStatus]
    ADOPTION_STATUS_REFUSED: _ClassVar[AdoptionStatus]
    ADOPTION_STATUS_WITHDRAWN: _ClassVar[AdoptionStatus]

class AssessmentResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSESSMENT_RESULT_UNSPECIFIED: _ClassVar[AssessmentResult]
    ASSESSMENT_RESULT_SUITABLE: _ClassVar[AssessmentResult]
    ASSESSMENT_RESULT_UNSUITABLE: _ClassVar[AssessmentResult]

class AdopterRelation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADOPTER_RELATION_UNSPECIFIED: _ClassVar[AdopterRelation]
    ADOPTER_RELATION_STEP_PARENT: _ClassVar[AdopterRelation]
    ADOPTER_RELATION_RELATIVE: _ClassVar[AdopterRelation]
    ADOPTER_RELATION_OTHER: _ClassVar[AdopterRelation]

class AdoptionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADOPTION_OUTCOME_UNSPECIFIED: _ClassVar[AdoptionOutcome]
    ADOPTION_OUTCOME_REGISTER: _ClassVar[AdoptionOutcome]
    ADOPTION_OUTCOME_REFUSE: _ClassVar[AdoptionOutcome]
    ADOPTION_OUTCOME_WITHDRAW: _ClassVar[AdoptionOutcome]

class ChildrenHomeLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHILDREN_HOME_LEVEL_UNSPECIFIED: _ClassVar[ChildrenHomeLevel]
    CHILDREN_HOME_LEVEL_BASIC: _ClassVar[ChildrenHomeLevel]
    CHILDREN_HOME_LEVEL_DEMONSTRATION: _ClassVar[ChildrenHomeLevel]

class DemonstrationTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEMONSTRATION_TIER_UNSPECIFIED: _ClassVar[DemonstrationTier]
    DEMONSTRATION_TIER_CITY: _ClassVar[DemonstrationTier]
    DEMONSTRATION_TIER_PROVINCE: _ClassVar[DemonstrationTier]
ADOPTION_STATUS_UNSPECIFIED: AdoptionStatus
ADOPTION_STATUS_APPLIED: AdoptionStatus
ADOPTION_STATUS_ASSESSED: AdoptionStatus
ADOPTION_STATUS_REGISTERED: AdoptionStatus
ADOPTION_STATUS_REFUSED: AdoptionStatus
ADOPTION_STATUS_WITHDRAWN: AdoptionStatus
ASSESSMENT_RESULT_UNSPECIFIED: AssessmentResult
ASSESSMENT_RESULT_SUITABLE: AssessmentResult
ASSESSMENT_RESULT_UNSUITABLE: AssessmentResult
ADOPTER_RELATION_UNSPECIFIED: AdopterRelation
ADOPTER_RELATION_STEP_PARENT: AdopterRelation
ADOPTER_RELATION_RELATIVE: AdopterRelation
ADOPTER_RELATION_OTHER: AdopterRelation
ADOPTION_OUTCOME_UNSPECIFIED: AdoptionOutcome
ADOPTION_OUTCOME_REGISTER: AdoptionOutcome
ADOPTION_OUTCOME_REFUSE: AdoptionOutcome
ADOPTION_OUTCOME_WITHDRAW: AdoptionOutcome
CHILDREN_HOME_LEVEL_UNSPECIFIED: ChildrenHomeLevel
CHILDREN_HOME_LEVEL_BASIC: ChildrenHomeLevel
CHILDREN_HOME_LEVEL_DEMONSTRATION: ChildrenHomeLevel
DEMONSTRATION_TIER_UNSPECIFIED: DemonstrationTier
DEMONSTRATION_TIER_CITY: DemonstrationTier
DEMONSTRATION_TIER_PROVINCE: DemonstrationTier

class Adopter(_message.Message):
    __slots__ = ("name", "id_number", "relation", "sex", "birth_date", "age_on_application")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    AGE_ON_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    name: str
    id_number: str
    relation: AdopterRelation
    sex: str
    birth_date: str
    age_on_application: int
    def __init__(self, name: _Optional[str] = ..., id_number: _Optional[str] = ..., relation: _Optional[_Union[AdopterRelation, str]] = ..., sex: _Optional[str] = ..., birth_date: _Optional[str] = ..., age_on_application: _Optional[int] = ...) -> None: ...

class AdoptionAssessment(_message.Message):
    __slots__ = ("result", "assessed_on", "assessed_by", "notes")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    result: AssessmentResult
    assessed_on: str
    assessed_by: str
    notes: str
    def __init__(self, result: _Optional[_Union[AssessmentResult, str]] = ..., assessed_on: _Optional[str] = ..., assessed_by: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class Adoption(_message.Message):
    __slots__ = ("id", "region_code", "child_id", "child_id_number", "child_name", "child_birth_date", "child_sex", "child_age_on_application", "applied_on", "status", "adopters", "assessment", "decided_on", "certificate_number", "decision_reason", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CHILD_NAME_FIELD_NUMBER: _ClassVar[int]
    CHILD_BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    CHILD_SEX_FIELD_NUMBER: _ClassVar[int]
    CHILD_AGE_ON_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    APPLIED_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ADOPTERS_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_code: str
    child_id: str
    child_id_number: str
    child_name: str
    child_birth_date: str
    child_sex: str
    child_age_on_application: int
    applied_on: str
    status: AdoptionStatus
    adopters: _containers.RepeatedCompositeFieldContainer[Adopter]
    assessment: AdoptionAssessment
    decided_on: str
    certificate_number: str
    decision_reason: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., region_code: _Optional[str] = ..., child_id: _Optional[str] = ..., child_id_number: _Optional[str] = ..., child_name: _Optional[str] = ..., child_birth_date: _Optional[str] = ..., child_sex: _Optional[str] = ..., child_age_on_application: _Optional[int] = ..., applied_on: _Optional[str] = ..., status: _Optional[_Union[AdoptionStatus, str]] = ..., adopters: _Optional[_Iterable[_Union[Adopter, _Mapping]]] = ..., assessment: _Optional[_Union[AdoptionAssessment, _Mapping]] = ..., decided_on: _Optional[str] = ..., certificate_number: _Optional[str] = ..., decision_reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterAdoptionRequest(_message.Message):
    __slots__ = ("child_id", "child_id_number", "child_name", "region_code", "applied_on", "adopters")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CHILD_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    APPLIED_ON_FIELD_NUMBER: _ClassVar[int]
    ADOPTERS_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    child_id_number: str
    child_name: str
    region_code: str
    applied_on: str
    adopters: _containers.RepeatedCompositeFieldContainer[Adopter]
    def __init__(self, child_id: _Optional[str] = ..., child_id_number: _Optional[str] = ..., child_name: _Optional[str] = ..., region_code: _Optional[str] = ..., applied_on: _Optional[str] = ..., adopters: _Optional[_Iterable[_Union[Adopter, _Mapping]]] = ...) -> None: ...

class RecordAdoptionAssessmentRequest(_message.Message):
    __slots__ = ("adoption_id", "result", "assessed_on", "assessed_by", "notes")
    ADOPTION_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    adoption_id: str
    result: AssessmentResult
    assessed_on: str
    assessed_by: str
    notes: str
    def __init__(self, adoption_id: _Optional[str] = ..., result: _Optional[_Union[AssessmentResult, str]] = ..., assessed_on: _Optional[str] = ..., assessed_by: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class CompleteAdoptionRequest(_message.Message):
    __slots__ = ("adoption_id", "outcome", "decided_on", "certificate_number", "reason")
    ADOPTION_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    adoption_id: str
    outcome: AdoptionOutcome
    decided_on: str
    certificate_number: str
    reason: str
    def __init__(self, adoption_id: _Optional[str] = ..., outcome: _Optional[_Union[AdoptionOutcome, str]] = ..., decided_on: _Optional[str] = ..., certificate_number: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetAdoptionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListAdoptionsRequest(_message.Message):
    __slots__ = ("region_code", "status", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: AdoptionStatus
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[AdoptionStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAdoptionsResponse(_message.Message):
    __slots__ = ("adoptions", "page_info", "cursors")
    ADOPTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    adoptions: _containers.RepeatedCompositeFieldContainer[Adoption]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, adoptions: _Optional[_Iterable[_Union[Adoption, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class ChildrenHomeLevelPeriod(_message.Message):
    __slots__ = ("level", "tier", "effective_from", "effective_to", "reason")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_TO_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    level: ChildrenHomeLevel
    tier: DemonstrationTier
    effective_from: str
    effective_to: str
    reason: str
    def __init__(self, level: _Optional[_Union[ChildrenHomeLevel, str]] = ..., tier: _Optional[_Union[DemonstrationTier, str]] = ..., effective_from: _Optional[str] = ..., effective_to: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ChildrenHome(_message.Message):
    __slots__ = ("id", "region_code", "name", "level", "tier", "opened_on", "closed_on", "close_reason", "open", "level_history")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    LEVEL_HISTORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_code: str
    name: str
    level: ChildrenHomeLevel
    tier: DemonstrationTier
    opened_on: str
    closed_on: str
    close_reason: str
    open: bool
    level_history: _containers.RepeatedCompositeFieldContainer[ChildrenHomeLevelPeriod]
    def __init__(self, id: _Optional[str] = ..., region_code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[ChildrenHomeLevel, str]] = ..., tier: _Optional[_Union[DemonstrationTier, str]] = ..., opened_on: _Optional[str] = ..., closed_on: _Optional[str] = ..., close_reason: _Optional[str] = ..., open: _Optional[bool] = ..., level_history: _Optional[_Iterable[_Union[ChildrenHomeLevelPeriod, _Mapping]]] = ...) -> None: ...

class OpenChildrenHomeRequest(_message.Message):
    __slots__ = ("region_code", "name", "level", "tier", "opened_on")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    name: str
    level: ChildrenHomeLevel
    tier: DemonstrationTier
    opened_on: str
    def __init__(self, region_code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[_Union[ChildrenHomeLevel, str]] = ..., tier: _Optional[_Union[DemonstrationTier, str]] = ..., opened_on: _Optional[str] = ...) -> None: ...

class ChangeChildrenHomeLevelRequest(_message.Message):
    __slots__ = ("home_id", "level", "tier", "effective_from", "reason")
    HOME_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    home_id: str
    level: ChildrenHomeLevel
    tier: DemonstrationTier
    effective_from: str
    reason: str
    def __init__(self, home_id: _Optional[str] = ..., level: _Optional[_Union[ChildrenHomeLevel, str]] = ..., tier: _Optional[_Union[DemonstrationTier, str]] = ..., effective_from: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseChildrenHomeRequest(_message.Message):
    __slots__ = ("home_id", "closed_on", "reason")
    HOME_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    home_id: str
    closed_on: str
    reason: str
    def __init__(self, home_id: _Optional[str] = ..., closed_on: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListChildrenHomesRequest(_message.Message):
    __slots__ = ("region_code", "level", "include_closed", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CLOSED_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    level: ChildrenHomeLevel
    include_closed: bool
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., level: _Optional[_Union[ChildrenHomeLevel, str]] = ..., include_closed: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListChildrenHomesResponse(_message.Message):
    __slots__ = ("homes", "page_info", "cursors")
    HOMES_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    homes: _containers.RepeatedCompositeFieldContainer[ChildrenHome]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, homes: _Optional[_Iterable[_Union[ChildrenHome, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class ProtectionStation(_message.Message):
    __slots__ = ("id", "region_code", "name", "opened_on", "staff_count", "contact")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    STAFF_COUNT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_code: str
    name: str
    opened_on: str
    staff_count: int
    contact: str
    def __init__(self, id: _Optional[str] = ..., region_code: _Optional[str] = ..., name: _Optional[str] = ..., opened_on: _Optional[str] = ..., staff_count: _Optional[int] = ..., contact: _Optional[str] = ...) -> None: ...

class OpenProtectionStationRequest(_message.Message):
    __slots__ = ("region_code", "name", "opened_on", "staff_count", "contact")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    STAFF_COUNT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    name: str
    opened_on: str
    staff_count: int
    contact: str
    def __init__(self, region_code: _Optional[str] = ..., name: _Optional[str] = ..., opened_on: _Optional[str] = ..., staff_count: _Optional[int] = ..., contact: _Optional[str] = ...) -> None: ...

class ListProtectionStationsRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class ListProtectionStationsResponse(_message.Message):
    __slots__ = ("stations",)
    STATIONS_FIELD_NUMBER: _ClassVar[int]
    stations: _containers.RepeatedCompositeFieldContainer[ProtectionStation]
    def __init__(self, stations: _Optional[_Iterable[_Union[ProtectionStation, _Mapping]]] = ...) -> None: ...

class GetFacilityCoverageRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class TownFacilityCoverage(_message.Message):
    __slots__ = ("town_code", "town_name", "has_station", "station_name", "village_count", "villages_with_home", "demonstration_homes", "home_rate")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TOWN_NAME_FIELD_NUMBER: _ClassVar[int]
    HAS_STATION_FIELD_NUMBER: _ClassVar[int]
    STATION_NAME_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_WITH_HOME_FIELD_NUMBER: _ClassVar[int]
    DEMONSTRATION_HOMES_FIELD_NUMBER: _ClassVar[int]
    HOME_RATE_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    town_name: str
    has_station: bool
    station_name: str
    village_count: int
    villages_with_home: int
    demonstration_homes: int
    home_rate: float
    def __init__(self, town_code: _Optional[str] = ..., town_name: _Optional[str] = ..., has_station: _Optional[bool] = ..., station_name: _Optional[str] = ..., village_count: _Optional[int] = ..., villages_with_home: _Optional[int] = ..., demonstration_homes: _Optional[int] = ..., home_rate: _Optional[float] = ...) -> None: ...

class GetFacilityCoverageResponse(_message.Message):
    __slots__ = ("towns", "towns_with_station", "towns_with_home", "towns_fully_covered", "as_of")
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_WITH_STATION_FIELD_NUMBER: _ClassVar[int]
    TOWNS_WITH_HOME_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FULLY_COVERED_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    towns: _containers.RepeatedCompositeFieldContainer[TownFacilityCoverage]
    towns_with_station: int
    towns_with_home: int
    towns_fully_covered: int
    as_of: str
    def __init__(self, towns: _Optional[_Iterable[_Union[TownFacilityCoverage, _Mapping]]] = ..., towns_with_station: _Optional[int] = ..., towns_with_home: _Optional[int] = ..., towns_fully_covered: _Optional[int] = ..., as_of: _Optional[str] = ...) -> None: ...
