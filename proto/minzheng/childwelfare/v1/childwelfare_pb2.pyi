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

class ProtectionCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROTECTION_CATEGORY_UNSPECIFIED: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_ORPHAN_INSTITUTION: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_ORPHAN_SCATTERED: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_DE_FACTO_UNATTENDED: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_DIBAO_FAMILY: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_DIBIAN_FAMILY: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_LEFT_BEHIND: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_DISABLED_IN_DIFFICULTY: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_PARENT_DEPRIVED_OF_LIBERTY: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_PARENT_LOST_GUARDIANSHIP: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_PARENT_DEPORTED: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_STREET_CHILD: _ClassVar[ProtectionCategory]
    PROTECTION_CATEGORY_OTHER: _ClassVar[ProtectionCategory]

class GuardianRelation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GUARDIAN_RELATION_UNSPECIFIED: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_FATHER: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_MOTHER: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_GRANDPARENT: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_SIBLING: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_OTHER_RELATIVE: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_INSTITUTION: _ClassVar[GuardianRelation]
    GUARDIAN_RELATION_OTHER: _ClassVar[GuardianRelation]

class RiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RISK_LEVEL_UNSPECIFIED: _ClassVar[RiskLevel]
    RISK_LEVEL_LOW: _ClassVar[RiskLevel]
    RISK_LEVEL_MEDIUM: _ClassVar[RiskLevel]
    RISK_LEVEL_HIGH: _ClassVar[RiskLevel]

class NetworkRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NETWORK_ROLE_UNSPECIFIED: _ClassVar[NetworkRole]
    NETWORK_ROLE_SUPERVISOR: _ClassVar[NetworkRole]
    NETWORK_ROLE_DIRECTOR: _ClassVar[NetworkRole]

class ComplianceGrouping(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPLIANCE_GROUPING_UNSPECIFIED: _ClassVar[ComplianceGrouping]
    COMPLIANCE_GROUPING_VILLAGE: _ClassVar[ComplianceGrouping]
    COMPLIANCE_GROUPING_TOWN: _ClassVar[ComplianceGrouping]
    COMPLIANCE_GROUPING_DIRECTOR: _ClassVar[ComplianceGrouping]
PROTECTION_CATEGORY_UNSPECIFIED: ProtectionCategory
PROTECTION_CATEGORY_ORPHAN_INSTITUTION: ProtectionCategory
PROTECTION_CATEGORY_ORPHAN_SCATTERED: ProtectionCategory
PROTECTION_CATEGORY_DE_FACTO_UNATTENDED: ProtectionCategory
PROTECTION_CATEGORY_DIBAO_FAMILY: ProtectionCategory
PROTECTION_CATEGORY_DIBIAN_FAMILY: ProtectionCategory
PROTECTION_CATEGORY_LEFT_BEHIND: ProtectionCategory
PROTECTION_CATEGORY_DISABLED_IN_DIFFICULTY: ProtectionCategory
PROTECTION_CATEGORY_PARENT_DEPRIVED_OF_LIBERTY: ProtectionCategory
PROTECTION_CATEGORY_PARENT_LOST_GUARDIANSHIP: ProtectionCategory
PROTECTION_CATEGORY_PARENT_DEPORTED: ProtectionCategory
PROTECTION_CATEGORY_STREET_CHILD: ProtectionCategory
PROTECTION_CATEGORY_OTHER: ProtectionCategory
GUARDIAN_RELATION_UNSPECIFIED: GuardianRelation
GUARDIAN_RELATION_FATHER: GuardianRelation
GUARDIAN_RELATION_MOTHER: GuardianRelation
GUARDIAN_RELATION_GRANDPARENT: GuardianRelation
GUARDIAN_RELATION_SIBLING: GuardianRelation
GUARDIAN_RELATION_OTHER_RELATIVE: GuardianRelation
GUARDIAN_RELATION_INSTITUTION: GuardianRelation
GUARDIAN_RELATION_OTHER: GuardianRelation
RISK_LEVEL_UNSPECIFIED: RiskLevel
RISK_LEVEL_LOW: RiskLevel
RISK_LEVEL_MEDIUM: RiskLevel
RISK_LEVEL_HIGH: RiskLevel
NETWORK_ROLE_UNSPECIFIED: NetworkRole
NETWORK_ROLE_SUPERVISOR: NetworkRole
NETWORK_ROLE_DIRECTOR: NetworkRole
COMPLIANCE_GROUPING_UNSPECIFIED: ComplianceGrouping
COMPLIANCE_GROUPING_VILLAGE: ComplianceGrouping
COMPLIANCE_GROUPING_TOWN: ComplianceGrouping
COMPLIANCE_GROUPING_DIRECTOR: ComplianceGrouping

class Guardian(_message.Message):
    __slots__ = ("name", "relation", "contact", "is_primary")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    IS_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    name: str
    relation: GuardianRelation
    contact: str
    is_primary: bool
    def __init__(self, name: _Optional[str] = ..., relation: _Optional[_Union[GuardianRelation, str]] = ..., contact: _Optional[str] = ..., is_primary: _Optional[bool] = ...) -> None: ...

class CategoryPeriod(_message.Message):
    __slots__ = ("category", "effective_from", "effective_to", "reason")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_TO_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    category: ProtectionCategory
    effective_from: str
    effective_to: str
    reason: str
    def __init__(self, category: _Optional[_Union[ProtectionCategory, str]] = ..., effective_from: _Optional[str] = ..., effective_to: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class NetworkMember(_message.Message):
    __slots__ = ("id", "role", "subject", "name", "contact", "region_code", "assigned_on", "child_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    CHILD_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    role: NetworkRole
    subject: str
    name: str
    contact: str
    region_code: str
    assigned_on: str
    child_count: int
    def __init__(self, id: _Optional[str] = ..., role: _Optional[_Union[NetworkRole, str]] = ..., subject: _Optional[str] = ..., name: _Optional[str] = ..., contact: _Optional[str] = ..., region_code: _Optional[str] = ..., assigned_on: _Optional[str] = ..., child_count: _Optional[int] = ...) -> None: ...

class Child(_message.Message):
    __slots__ = ("id", "id_number", "name", "sex", "birth_date", "age", "adult", "region_code", "category", "category_since", "category_history", "guardians", "director", "in_visit_programme", "last_visit_on", "visit_due_on", "visit_overdue", "registered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    ADULT_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_SINCE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_HISTORY_FIELD_NUMBER: _ClassVar[int]
    GUARDIANS_FIELD_NUMBER: _ClassVar[int]
    DIRECTOR_FIELD_NUMBER: _ClassVar[int]
    IN_VISIT_PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    LAST_VISIT_ON_FIELD_NUMBER: _ClassVar[int]
    VISIT_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    VISIT_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_number: str
    name: str
    sex: str
    birth_date: str
    age: int
    adult: bool
    region_code: str
    category: ProtectionCategory
    category_since: str
    category_history: _containers.RepeatedCompositeFieldContainer[CategoryPeriod]
    guardians: _containers.RepeatedCompositeFieldContainer[Guardian]
    director: NetworkMember
    in_visit_programme: bool
    last_visit_on: str
    visit_due_on: str
    visit_overdue: bool
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., id_number: _Optional[str] = ..., name: _Optional[str] = ..., sex: _Optional[str] = ..., birth_date: _Optional[str] = ..., age: _Optional[int] = ..., adult: _Optional[bool] = ..., region_code: _Optional[str] = ..., category: _Optional[_Union[ProtectionCategory, str]] = ..., category_since: _Optional[str] = ..., category_history: _Optional[_Iterable[_Union[CategoryPeriod, _Mapping]]] = ..., guardians: _Optional[_Iterable[_Union[Guardian, _Mapping]]] = ..., director: _Optional[_Union[NetworkMember, _Mapping]] = ..., in_visit_programme: _Optional[bool] = ..., last_visit_on: _Optional[str] = ..., visit_due_on: _Optional[str] = ..., visit_overdue: _Optional[bool] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterChildRequest(_message.Message):
    __slots__ = ("id_number", "name", "region_code", "category", "category_since", "guardians")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_SINCE_FIELD_NUMBER: _ClassVar[int]
    GUARDIANS_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    name: str
    region_code: str
    category: ProtectionCategory
    category_since: str
    guardians: _containers.RepeatedCompositeFieldContainer[Guardian]
    def __init__(self, id_number: _Optional[str] = ..., name: _Optional[str] = ..., region_code: _Optional[str] = ..., category: _Optional[_Union[ProtectionCategory, str]] = ..., category_since: _Optional[str] = ..., guardians: _Optional[_Iterable[_Union[Guardian, _Mapping]]] = ...) -> None: ...

class GetChildRequest(_message.Message):
    __slots__ = ("id", "id_number")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_number: str
    def __init__(self, id: _Optional[str] = ..., id_number: _Optional[str] = ...) -> None: ...

class ListChildrenRequest(_message.Message):
    __slots__ = ("region_code", "category", "visit_overdue", "without_director", "director_subject", "include_adults", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    VISIT_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    WITHOUT_DIRECTOR_FIELD_NUMBER: _ClassVar[int]
    DIRECTOR_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ADULTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    category: ProtectionCategory
    visit_overdue: bool
    without_director: bool
    director_subject: str
    include_adults: bool
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., category: _Optional[_Union[ProtectionCategory, str]] = ..., visit_overdue: _Optional[bool] = ..., without_director: _Optional[bool] = ..., director_subject: _Optional[str] = ..., include_adults: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListChildrenResponse(_message.Message):
    __slots__ = ("children", "page_info", "cursors")
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    children: _containers.RepeatedCompositeFieldContainer[Child]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, children: _Optional[_Iterable[_Union[Child, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class ChangeCategoryRequest(_message.Message):
    __slots__ = ("child_id", "category", "effective_from", "reason")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    category: ProtectionCategory
    effective_from: str
    reason: str
    def __init__(self, child_id: _Optional[str] = ..., category: _Optional[_Union[ProtectionCategory, str]] = ..., effective_from: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SetGuardiansRequest(_message.Message):
    __slots__ = ("child_id", "guardians")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    GUARDIANS_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    guardians: _containers.RepeatedCompositeFieldContainer[Guardian]
    def __init__(self, child_id: _Optional[str] = ..., guardians: _Optional[_Iterable[_Union[Guardian, _Mapping]]] = ...) -> None: ...

class AssignSupervisorRequest(_message.Message):
    __slots__ = ("region_code", "subject", "name", "contact")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    subject: str
    name: str
    contact: str
    def __init__(self, region_code: _Optional[str] = ..., subject: _Optional[str] = ..., name: _Optional[str] = ..., contact: _Optional[str] = ...) -> None: ...

class AssignDirectorRequest(_message.Message):
    __slots__ = ("region_code", "subject", "name", "contact")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    subject: str
    name: str
    contact: str
    def __init__(self, region_code: _Optional[str] = ..., subject: _Optional[str] = ..., name: _Optional[str] = ..., contact: _Optional[str] = ...) -> None: ...

class ListNetworkRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class ListNetworkResponse(_message.Message):
    __slots__ = ("supervisors", "directors")
    SUPERVISORS_FIELD_NUMBER: _ClassVar[int]
    DIRECTORS_FIELD_NUMBER: _ClassVar[int]
    supervisors: _containers.RepeatedCompositeFieldContainer[NetworkMember]
    directors: _containers.RepeatedCompositeFieldContainer[NetworkMember]
    def __init__(self, supervisors: _Optional[_Iterable[_Union[NetworkMember, _Mapping]]] = ..., directors: _Optional[_Iterable[_Union[NetworkMember, _Mapping]]] = ...) -> None: ...

class ListVillagesWithoutDirectorRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class VillageWithoutDirector(_message.Message):
    __slots__ = ("region_code", "child_count")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CHILD_COUNT_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    child_count: int
    def __init__(self, region_code: _Optional[str] = ..., child_count: _Optional[int] = ...) -> None: ...

class ListVillagesWithoutDirectorResponse(_message.Message):
    __slots__ = ("villages",)
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    villages: _containers.RepeatedCompositeFieldContainer[VillageWithoutDirector]
    def __init__(self, villages: _Optional[_Iterable[_Union[VillageWithoutDirector, _Mapping]]] = ...) -> None: ...

class Visit(_message.Message):
    __slots__ = ("id", "child_id", "region_code", "visited_on", "visited_by", "living_conditions", "schooling", "guardianship", "risk_level", "notes", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    VISITED_BY_FIELD_NUMBER: _ClassVar[int]
    LIVING_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    SCHOOLING_FIELD_NUMBER: _ClassVar[int]
    GUARDIANSHIP_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    child_id: str
    region_code: str
    visited_on: str
    visited_by: str
    living_conditions: str
    schooling: str
    guardianship: str
    risk_level: RiskLevel
    notes: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., child_id: _Optional[str] = ..., region_code: _Optional[str] = ..., visited_on: _Optional[str] = ..., visited_by: _Optional[str] = ..., living_conditions: _Optional[str] = ..., schooling: _Optional[str] = ..., guardianship: _Optional[str] = ..., risk_level: _Optional[_Union[RiskLevel, str]] = ..., notes: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordVisitRequest(_message.Message):
    __slots__ = ("child_id", "visited_on", "living_conditions", "schooling", "guardianship", "risk_level", "notes")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    LIVING_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    SCHOOLING_FIELD_NUMBER: _ClassVar[int]
    GUARDIANSHIP_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    visited_on: str
    living_conditions: str
    schooling: str
    guardianship: str
    risk_level: RiskLevel
    notes: str
    def __init__(self, child_id: _Optional[str] = ..., visited_on: _Optional[str] = ..., living_conditions: _Optional[str] = ..., schooling: _Optional[str] = ..., guardianship: _Optional[str] = ..., risk_level: _Optional[_Union[RiskLevel, str]] = ..., notes: _Optional[str] = ...) -> None: ...

class ListVisitsRequest(_message.Message):
    __slots__ = ("child_id", "page", "child_ids")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    CHILD_IDS_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    page: _common_pb2.PageRequest
    child_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, child_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., child_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class VisitPage(_message.Message):
    __slots__ = ("child_id", "visits", "cursors", "page_info")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    visits: _containers.RepeatedCompositeFieldContainer[Visit]
    cursors: _containers.RepeatedScalarFieldContainer[str]
    page_info: _common_pb2.PageInfo
    def __init__(self, child_id: _Optional[str] = ..., visits: _Optional[_Iterable[_Union[Visit, _Mapping]]] = ..., cursors: _Optional[_Iterable[str]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class ListVisitsResponse(_message.Message):
    __slots__ = ("visits", "page_info", "cursors", "pages")
    VISITS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    visits: _containers.RepeatedCompositeFieldContainer[Visit]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    pages: _containers.RepeatedCompositeFieldContainer[VisitPage]
    def __init__(self, visits: _Optional[_Iterable[_Union[Visit, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ..., pages: _Optional[_Iterable[_Union[VisitPage, _Mapping]]] = ...) -> None: ...

class RunAllowancesRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class CategoryAllowanceTotal(_message.Message):
    __slots__ = ("category", "children", "amount_fen", "amount_yuan")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    category: ProtectionCategory
    children: int
    amount_fen: int
    amount_yuan: str
    def __init__(self, category: _Optional[_Union[ProtectionCategory, str]] = ..., children: _Optional[int] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ...) -> None: ...

class CategorySkippedCount(_message.Message):
    __slots__ = ("category", "children")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    category: ProtectionCategory
    children: int
    def __init__(self, category: _Optional[_Union[ProtectionCategory, str]] = ..., children: _Optional[int] = ...) -> None: ...

class AllowanceRun(_message.Message):
    __slots__ = ("id", "period", "sequence", "started_at", "finished_at", "paid_count", "paid_fen", "paid_yuan", "skipped_count", "reported_count", "event_published", "paid_by_category", "skipped_by_category")
    ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PAID_COUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_YUAN_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    EVENT_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    PAID_BY_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_BY_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    period: str
    sequence: int
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    paid_count: int
    paid_fen: int
    paid_yuan: str
    skipped_count: int
    reported_count: int
    event_published: bool
    paid_by_category: _containers.RepeatedCompositeFieldContainer[CategoryAllowanceTotal]
    skipped_by_category: _containers.RepeatedCompositeFieldContainer[CategorySkippedCount]
    def __init__(self, id: _Optional[str] = ..., period: _Optional[str] = ..., sequence: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_count: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ..., skipped_count: _Optional[int] = ..., reported_count: _Optional[int] = ..., event_published: _Optional[bool] = ..., paid_by_category: _Optional[_Iterable[_Union[CategoryAllowanceTotal, _Mapping]]] = ..., skipped_by_category: _Optional[_Iterable[_Union[CategorySkippedCount, _Mapping]]] = ...) -> None: ...

class ListAllowanceRunsRequest(_message.Message):
    __slots__ = ("period", "page")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    period: str
    page: _common_pb2.PageRequest
    def __init__(self, period: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAllowanceRunsResponse(_message.Message):
    __slots__ = ("runs", "page_info", "cursors")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[AllowanceRun]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, runs: _Optional[_Iterable[_Union[AllowanceRun, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class AllowancePayment(_message.Message):
    __slots__ = ("id", "child_id", "region_code", "period", "category", "amount_fen", "amount_yuan", "standard_key", "standard_effective_from", "run_id", "paid_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    STANDARD_KEY_FIELD_NUMBER: _ClassVar[int]
    STANDARD_EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    child_id: str
    region_code: str
    period: str
    category: ProtectionCategory
    amount_fen: int
    amount_yuan: str
    standard_key: str
    standard_effective_from: str
    run_id: str
    paid_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., child_id: _Optional[str] = ..., region_code: _Optional[str] = ..., period: _Optional[str] = ..., category: _Optional[_Union[ProtectionCategory, str]] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ..., standard_key: _Optional[str] = ..., standard_effective_from: _Optional[str] = ..., run_id: _Optional[str] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAllowancePaymentsRequest(_message.Message):
    __slots__ = ("child_id", "region_code", "period", "page", "child_ids")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    CHILD_IDS_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    region_code: str
    period: str
    page: _common_pb2.PageRequest
    child_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, child_id: _Optional[str] = ..., region_code: _Optional[str] = ..., period: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., child_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AllowancePaymentPage(_message.Message):
    __slots__ = ("child_id", "payments", "cursors", "page_info")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    payments: _containers.RepeatedCompositeFieldContainer[AllowancePayment]
    cursors: _containers.RepeatedScalarFieldContainer[str]
    page_info: _common_pb2.PageInfo
    def __init__(self, child_id: _Optional[str] = ..., payments: _Optional[_Iterable[_Union[AllowancePayment, _Mapping]]] = ..., cursors: _Optional[_Iterable[str]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class ListAllowancePaymentsResponse(_message.Message):
    __slots__ = ("payments", "page_info", "cursors", "pages")
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[AllowancePayment]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    pages: _containers.RepeatedCompositeFieldContainer[AllowancePaymentPage]
    def __init__(self, payments: _Optional[_Iterable[_Union[AllowancePayment, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ..., pages: _Optional[_Iterable[_Union[AllowancePaymentPage, _Mapping]]] = ...) -> None: ...

class GetVisitComplianceRequest(_message.Message):
    __slots__ = ("region_code", "group_by")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    group_by: ComplianceGrouping
    def __init__(self, region_code: _Optional[str] = ..., group_by: _Optional[_Union[ComplianceGrouping, str]] = ...) -> None: ...

class ComplianceRow(_message.Message):
    __slots__ = ("key", "name", "in_programme", "up_to_date", "overdue", "rate")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    UP_TO_DATE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    in_programme: int
    up_to_date: int
    overdue: int
    rate: float
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., in_programme: _Optional[int] = ..., up_to_date: _Optional[int] = ..., overdue: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...

class GetVisitComplianceResponse(_message.Message):
    __slots__ = ("rows", "total", "as_of")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[ComplianceRow]
    total: ComplianceRow
    as_of: str
    def __init__(self, rows: _Optional[_Iterable[_Union[ComplianceRow, _Mapping]]] = ..., total: _Optional[_Union[ComplianceRow, _Mapping]] = ..., as_of: _Optional[str] = ...) -> None: ...
