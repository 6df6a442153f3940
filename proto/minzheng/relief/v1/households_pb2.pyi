import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from minzheng.common.v1 import common_pb2 as _common_pb2
from minzheng.relief.v1 import applications_pb2 as _applications_pb2
from minzheng.relief.v1 import discovery_pb2 as _discovery_pb2
from minzheng.relief.v1 import eligibility_pb2 as _eligibility_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Relation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELATION_UNSPECIFIED: _ClassVar[Relation]
    RELATION_HEAD: _ClassVar[Relation]
    RELATION_SPOUSE: _ClassVar[Relation]
    RELATION_CHILD: _ClassVar[Relation]
    RELATION_PARENT: _ClassVar[Relation]
    RELATION_GRANDCHILD: _ClassVar[Relation]
    RELATION_GRANDPARENT: _ClassVar[Relation]
    RELATION_SIBLING: _ClassVar[Relation]
    RELATION_OTHER: _ClassVar[Relation]

class LabourCapacity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LABOUR_CAPACITY_UNSPECIFIED: _ClassVar[LabourCapacity]
    LABOUR_CAPACITY_FULL: _ClassVar[LabourCapacity]
    LABOUR_CAPACITY_PARTIAL: _ClassVar[LabourCapacity]
    LABOUR_CAPACITY_NONE: _ClassVar[LabourCapacity]

class LeaveReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEAVE_REASON_UNSPECIFIED: _ClassVar[LeaveReason]
    LEAVE_REASON_LEFT: _ClassVar[LeaveReason]
    LEAVE_REASON_DIED: _ClassVar[LeaveReason]
    LEAVE_REASON_MOVED: _ClassVar[LeaveReason]
    LEAVE_REASON_OTHER: _ClassVar[LeaveReason]

class IncomeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INCOME_KIND_UNSPECIFIED: _ClassVar[IncomeKind]
    INCOME_KIND_WAGES: _ClassVar[IncomeKind]
    INCOME_KIND_PENSION: _ClassVar[IncomeKind]
    INCOME_KIND_FARMING: _ClassVar[IncomeKind]
    INCOME_KIND_BUSINESS: _ClassVar[IncomeKind]
    INCOME_KIND_TRANSFER: _ClassVar[IncomeKind]
    INCOME_KIND_OTHER: _ClassVar[IncomeKind]

class AssetKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSET_KIND_UNSPECIFIED: _ClassVar[AssetKind]
    ASSET_KIND_DEPOSIT: _ClassVar[AssetKind]
    ASSET_KIND_SECURITIES: _ClassVar[AssetKind]
    ASSET_KIND_VEHICLE: _ClassVar[AssetKind]
    ASSET_KIND_PROPERTY: _ClassVar[AssetKind]
    ASSET_KIND_OTHER: _ClassVar[AssetKind]
RELATION_UNSPECIFIED: Relation
RELATION_HEAD: Relation
RELATION_SPOUSE: Relation
RELATION_CHILD: Relation
RELATION_PARENT: Relation
RELATION_GRANDCHILD: Relation
RELATION_GRANDPARENT: Relation
RELATION_SIBLING: Relation
RELATION_OTHER: Relation
LABOUR_CAPACITY_UNSPECIFIED: LabourCapacity
LABOUR_CAPACITY_FULL: LabourCapacity
LABOUR_CAPACITY_PARTIAL: LabourCapacity
LABOUR_CAPACITY_NONE: LabourCapacity
LEAVE_REASON_UNSPECIFIED: LeaveReason
LEAVE_REASON_LEFT: LeaveReason
LEAVE_REASON_DIED: LeaveReason
LEAVE_REASON_MOVED: LeaveReason
LEAVE_REASON_OTHER: LeaveReason
INCOME_KIND_UNSPECIFIED: IncomeKind
INCOME_KIND_WAGES: IncomeKind
INCOME_KIND_PENSION: IncomeKind
INCOME_KIND_FARMING: IncomeKind
INCOME_KIND_BUSINESS: IncomeKind
INCOME_KIND_TRANSFER: IncomeKind
INCOME_KIND_OTHER: IncomeKind
ASSET_KIND_UNSPECIFIED: AssetKind
ASSET_KIND_DEPOSIT: AssetKind
ASSET_KIND_SECURITIES: AssetKind
ASSET_KIND_VEHICLE: AssetKind
ASSET_KIND_PROPERTY: AssetKind
ASSET_KIND_OTHER: AssetKind

class PersonInput(_message.Message):
    __slots__ = ("id_number", "name", "relation", "disability_grade", "labour_capacity", "employed")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GRADE_FIELD_NUMBER: _ClassVar[int]
    LABOUR_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    name: str
    relation: Relation
    disability_grade: int
    labour_capacity: LabourCapacity
    employed: bool
    def __init__(self, id_number: _Optional[str] = ..., name: _Optional[str] = ..., relation: _Optional[_Union[Relation, str]] = ..., disability_grade: _Optional[int] = ..., labour_capacity: _Optional[_Union[LabourCapacity, str]] = ..., employed: _Optional[bool] = ...) -> None: ...

class Member(_message.Message):
    __slots__ = ("person_id", "id_number", "name", "sex", "birth_date", "age", "relation", "disability_grade", "labour_capacity", "employed", "joined_on", "left_on", "left_reason", "left_note")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GRADE_FIELD_NUMBER: _ClassVar[int]
    LABOUR_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_FIELD_NUMBER: _ClassVar[int]
    JOINED_ON_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    LEFT_REASON_FIELD_NUMBER: _ClassVar[int]
    LEFT_NOTE_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    id_number: str
    name: str
    sex: str
    birth_date: str
    age: int
    relation: Relation
    disability_grade: int
    labour_capacity: LabourCapacity
    employed: bool
    joined_on: str
    left_on: str
    left_reason: LeaveReason
    left_note: str
    def __init__(self, person_id: _Optional[str] = ..., id_number: _Optional[str] = ..., name: _Optional[str] = ..., sex: _Optional[str] = ..., birth_date: _Optional[str] = ..., age: _Optional[int] = ..., relation: _Optional[_Union[Relation, str]] = ..., disability_grade: _Optional[int] = ..., labour_capacity: _Optional[_Union[LabourCapacity, str]] = ..., employed: _Optional[bool] = ..., joined_on: _Optional[str] = ..., left_on: _Optional[str] = ..., left_reason: _Optional[_Union[LeaveReason, str]] = ..., left_note: _Optional[str] = ...) -> None: ...

class Income(_message.Message):
    __slots__ = ("id", "household_id", "person_id", "kind", "amount_fen", "period_start", "period_end", "note", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    person_id: str
    kind: IncomeKind
    amount_fen: int
    period_start: str
    period_end: str
    note: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., person_id: _Optional[str] = ..., kind: _Optional[_Union[IncomeKind, str]] = ..., amount_fen: _Optional[int] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., note: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Asset(_message.Message):
    __slots__ = ("id", "household_id", "person_id", "kind", "value_fen", "as_of", "note", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FEN_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    person_id: str
    kind: AssetKind
    value_fen: int
    as_of: str
    note: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., person_id: _Optional[str] = ..., kind: _Optional[_Union[AssetKind, str]] = ..., value_fen: _Optional[int] = ..., as_of: _Optional[str] = ..., note: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Household(_message.Message):
    __slots__ = ("id", "region_code", "address", "members", "past_members", "incomes", "assets", "registered_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    PAST_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    INCOMES_FIELD_NUMBER: _ClassVar[int]
    ASSETS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_code: str
    address: str
    members: _containers.RepeatedCompositeFieldContainer[Member]
    past_members: _containers.RepeatedCompositeFieldContainer[Member]
    incomes: _containers.RepeatedCompositeFieldContainer[Income]
    assets: _containers.RepeatedCompositeFieldContainer[Asset]
    registered_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., region_code: _Optional[str] = ..., address: _Optional[str] = ..., members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ..., past_members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ..., incomes: _Optional[_Iterable[_Union[Income, _Mapping]]] = ..., assets: _Optional[_Iterable[_Union[Asset, _Mapping]]] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterHouseholdRequest(_message.Message):
    __slots__ = ("region_code", "address", "members", "since")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    address: str
    members: _containers.RepeatedCompositeFieldContainer[PersonInput]
    since: str
    def __init__(self, region_code: _Optional[str] = ..., address: _Optional[str] = ..., members: _Optional[_Iterable[_Union[PersonInput, _Mapping]]] = ..., since: _Optional[str] = ...) -> None: ...

class GetHouseholdRequest(_message.Message):
    __slots__ = ("id", "id_number")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_number: str
    def __init__(self, id: _Optional[str] = ..., id_number: _Optional[str] = ...) -> None: ...

class ListHouseholdsRequest(_message.Message):
    __slots__ = ("region_code", "page", "programme", "flagged")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    page: _common_pb2.PageRequest
    programme: _eligibility_pb2.Classification
    flagged: bool
    def __init__(self, region_code: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., flagged: _Optional[bool] = ...) -> None: ...

class ListHouseholdsResponse(_message.Message):
    __slots__ = ("households", "page_info", "cursors")
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    households: _containers.RepeatedCompositeFieldContainer[Household]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, households: _Optional[_Iterable[_Union[Household, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetHouseholdsRequest(_message.Message):
    __slots__ = ("ids", "with_file", "with_grants", "applications", "flags")
    IDS_FIELD_NUMBER: _ClassVar[int]
    WITH_FILE_FIELD_NUMBER: _ClassVar[int]
    WITH_GRANTS_FIELD_NUMBER: _ClassVar[int]
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    with_file: bool
    with_grants: bool
    applications: ApplicationsWanted
    flags: FlagsWanted
    def __init__(self, ids: _Optional[_Iterable[str]] = ..., with_file: _Optional[bool] = ..., with_grants: _Optional[bool] = ..., applications: _Optional[_Union[ApplicationsWanted, _Mapping]] = ..., flags: _Optional[_Union[FlagsWanted, _Mapping]] = ...) -> None: ...

class ApplicationsWanted(_message.Message):
    __slots__ = ("state", "page_size")
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    state: _applications_pb2.ApplicationState
    page_size: int
    def __init__(self, state: _Optional[_Union[_applications_pb2.ApplicationState, str]] = ..., page_size: _Optional[int] = ...) -> None: ...

class FlagsWanted(_message.Message):
    __slots__ = ("status", "page_size")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    status: _discovery_pb2.FlagStatus
    page_size: int
    def __init__(self, status: _Optional[_Union[_discovery_pb2.FlagStatus, str]] = ..., page_size: _Optional[int] = ...) -> None: ...

class HouseholdApplicationPage(_message.Message):
    __slots__ = ("applications", "page_info", "cursors")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[_applications_pb2.Application]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, applications: _Optional[_Iterable[_Union[_applications_pb2.Application, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class HouseholdFlagPage(_message.Message):
    __slots__ = ("flags", "page_info", "cursors")
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    flags: _containers.RepeatedCompositeFieldContainer[_discovery_pb2.HouseholdFlag]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, flags: _Optional[_Iterable[_Union[_discovery_pb2.HouseholdFlag, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class HouseholdBundle(_message.Message):
    __slots__ = ("household", "grants", "applications", "flags")
    HOUSEHOLD_FIELD_NUMBER: _ClassVar[int]
    GRANTS_FIELD_NUMBER: _ClassVar[int]
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    household: Household
    grants: _containers.RepeatedCompositeFieldContainer[_applications_pb2.Grant]
    applications: HouseholdApplicationPage
    flags: HouseholdFlagPage
    def __init__(self, household: _Optional[_Union[Household, _Mapping]] = ..., grants: _Optional[_Iterable[_Union[_applications_pb2.Grant, _Mapping]]] = ..., applications: _Optional[_Union[HouseholdApplicationPage, _Mapping]] = ..., flags: _Optional[_Union[HouseholdFlagPage, _Mapping]] = ...) -> None: ...

class BatchGetHouseholdsResponse(_message.Message):
    __slots__ = ("households",)
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    households: _containers.RepeatedCompositeFieldContainer[HouseholdBundle]
    def __init__(self, households: _Optional[_Iterable[_Union[HouseholdBundle, _Mapping]]] = ...) -> None: ...

class AddMemberRequest(_message.Message):
    __slots__ = ("household_id", "person", "joined_on")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    JOINED_ON_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    person: PersonInput
    joined_on: str
    def __init__(self, household_id: _Optional[str] = ..., person: _Optional[_Union[PersonInput, _Mapping]] = ..., joined_on: _Optional[str] = ...) -> None: ...

class MoveMemberRequest(_message.Message):
    __slots__ = ("person_id", "to_household_id", "relation", "moved_on", "new_head_person_id")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    TO_HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    MOVED_ON_FIELD_NUMBER: _ClassVar[int]
    NEW_HEAD_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    to_household_id: str
    relation: Relation
    moved_on: str
    new_head_person_id: str
    def __init__(self, person_id: _Optional[str] = ..., to_household_id: _Optional[str] = ..., relation: _Optional[_Union[Relation, str]] = ..., moved_on: _Optional[str] = ..., new_head_person_id: _Optional[str] = ...) -> None: ...

class RemoveMemberRequest(_message.Message):
    __slots__ = ("household_id", "person_id", "reason", "left_on", "note", "new_head_person_id")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEFT_ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    NEW_HEAD_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    person_id: str
    reason: LeaveReason
    left_on: str
    note: str
    new_head_person_id: str
    def __init__(self, household_id: _Optional[str] = ..., person_id: _Optional[str] = ..., reason: _Optional[_Union[LeaveReason, str]] = ..., left_on: _Optional[str] = ..., note: _Optional[str] = ..., new_head_person_id: _Optional[str] = ...) -> None: ...

class RecordIncomeRequest(_message.Message):
    __slots__ = ("household_id", "person_id", "kind", "amount_fen", "period_start", "period_end", "note")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    person_id: str
    kind: IncomeKind
    amount_fen: int
    period_start: str
    period_end: str
    note: str
    def __init__(self, household_id: _Optional[str] = ..., person_id: _Optional[str] = ..., kind: _Optional[_Union[IncomeKind, str]] = ..., amount_fen: _Optional[int] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RecordAssetRequest(_message.Message):
    __slots__ = ("household_id", "person_id", "kind", "value_fen", "as_of", "note")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FEN_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    person_id: str
    kind: AssetKind
    value_fen: int
    as_of: str
    note: str
    def __init__(self, household_id: _Optional[str] = ..., person_id: _Optional[str] = ..., kind: _Optional[_Union[AssetKind, str]] = ..., value_fen: _Optional[int] = ..., as_of: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...
