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

class CaseState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_STATE_UNSPECIFIED: _ClassVar[CaseState]
    CASE_STATE_REPORTED: _ClassVar[CaseState]
    CASE_STATE_ASSESSING: _ClassVar[CaseState]
    CASE_STATE_INTERVENTION: _ClassVar[CaseState]
    CASE_STATE_MONITORING: _ClassVar[CaseState]
    CASE_STATE_CLOSED: _ClassVar[CaseState]

class ReportSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_SOURCE_UNSPECIFIED: _ClassVar[ReportSource]
    REPORT_SOURCE_SCHOOL: _ClassVar[ReportSource]
    REPORT_SOURCE_HOSPITAL: _ClassVar[ReportSource]
    REPORT_SOURCE_POLICE: _ClassVar[ReportSource]
    REPORT_SOURCE_VILLAGE_DIRECTOR: _ClassVar[ReportSource]
    REPORT_SOURCE_HOTLINE: _ClassVar[ReportSource]
    REPORT_SOURCE_NEIGHBOUR: _ClassVar[ReportSource]
    REPORT_SOURCE_RELATIVE: _ClassVar[ReportSource]
    REPORT_SOURCE_CHILD: _ClassVar[ReportSource]
    REPORT_SOURCE_OTHER: _ClassVar[ReportSource]

class ConcernKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONCERN_KIND_UNSPECIFIED: _ClassVar[ConcernKind]
    CONCERN_KIND_ABUSE: _ClassVar[ConcernKind]
    CONCERN_KIND_NEGLECT: _ClassVar[ConcernKind]
    CONCERN_KIND_ABANDONMENT: _ClassVar[ConcernKind]
    CONCERN_KIND_UNATTENDED: _ClassVar[ConcernKind]
    CONCERN_KIND_STREET: _ClassVar[ConcernKind]
    CONCERN_KIND_SELF_HARM_RISK: _ClassVar[ConcernKind]
    CONCERN_KIND_OTHER: _ClassVar[ConcernKind]

class InterventionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INTERVENTION_KIND_UNSPECIFIED: _ClassVar[InterventionKind]
    INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP: _ClassVar[InterventionKind]
    INTERVENTION_KIND_FAMILY_SUPPORT: _ClassVar[InterventionKind]
    INTERVENTION_KIND_POLICE_REFERRAL: _ClassVar[InterventionKind]
    INTERVENTION_KIND_EDUCATION_REFERRAL: _ClassVar[InterventionKind]
    INTERVENTION_KIND_HEALTH_REFERRAL: _ClassVar[InterventionKind]
    INTERVENTION_KIND_MEDICAL_HELP: _ClassVar[InterventionKind]
    INTERVENTION_KIND_PSYCHOLOGICAL_HELP: _ClassVar[InterventionKind]
    INTERVENTION_KIND_LEGAL_AID: _ClassVar[InterventionKind]
    INTERVENTION_KIND_OTHER: _ClassVar[InterventionKind]

class PlacementKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLACEMENT_KIND_UNSPECIFIED: _ClassVar[PlacementKind]
    PLACEMENT_KIND_INSTITUTION: _ClassVar[PlacementKind]
    PLACEMENT_KIND_PERSON: _ClassVar[PlacementKind]

class CloseReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLOSE_REASON_UNSPECIFIED: _ClassVar[CloseReason]
    CLOSE_REASON_NO_PROTECTION_NEED: _ClassVar[CloseReason]
    CLOSE_REASON_RESOLVED: _ClassVar[CloseReason]
    CLOSE_REASON_TRANSFERRED: _ClassVar[CloseReason]
    CLOSE_REASON_CAME_OF_AGE: _ClassVar[CloseReason]
CASE_STATE_UNSPECIFIED: CaseState
CASE_STATE_REPORTED: CaseState
CASE_STATE_ASSESSING: CaseState
CASE_STATE_INTERVENTION: CaseState
CASE_STATE_MONITORING: CaseState
CASE_STATE_CLOSED: CaseState
REPORT_SOURCE_UNSPECIFIED: ReportSource
REPORT_SOURCE_SCHOOL: ReportSource
REPORT_SOURCE_HOSPITAL: ReportSource
REPORT_SOURCE_POLICE: ReportSource
REPORT_SOURCE_VILLAGE_DIRECTOR: ReportSource
REPORT_SOURCE_HOTLINE: ReportSource
REPORT_SOURCE_NEIGHBOUR: ReportSource
REPORT_SOURCE_RELATIVE: ReportSource
REPORT_SOURCE_CHILD: ReportSource
REPORT_SOURCE_OTHER: ReportSource
CONCERN_KIND_UNSPECIFIED: ConcernKind
CONCERN_KIND_ABUSE: ConcernKind
CONCERN_KIND_NEGLECT: ConcernKind
CONCERN_KIND_ABANDONMENT: ConcernKind
CONCERN_KIND_UNATTENDED: ConcernKind
CONCERN_KIND_STREET: ConcernKind
CONCERN_KIND_SELF_HARM_RISK: ConcernKind
CONCERN_KIND_OTHER: ConcernKind
INTERVENTION_KIND_UNSPECIFIED: InterventionKind
INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP: InterventionKind
INTERVENTION_KIND_FAMILY_SUPPORT: InterventionKind
INTERVENTION_KIND_POLICE_REFERRAL: InterventionKind
INTERVENTION_KIND_EDUCATION_REFERRAL: InterventionKind
INTERVENTION_KIND_HEALTH_REFERRAL: InterventionKind
INTERVENTION_KIND_MEDICAL_HELP: InterventionKind
INTERVENTION_KIND_PSYCHOLOGICAL_HELP: InterventionKind
INTERVENTION_KIND_LEGAL_AID: InterventionKind
INTERVENTION_KIND_OTHER: InterventionKind
PLACEMENT_KIND_UNSPECIFIED: PlacementKind
PLACEMENT_KIND_INSTITUTION: PlacementKind
PLACEMENT_KIND_PERSON: PlacementKind
CLOSE_REASON_UNSPECIFIED: CloseReason
CLOSE_REASON_NO_PROTECTION_NEED: CloseReason
CLOSE_REASON_RESOLVED: CloseReason
CLOSE_REASON_TRANSFERRED: CloseReason
CLOSE_REASON_CAME_OF_AGE: CloseReason

class Placement(_message.Message):
    __slots__ = ("kind", "name", "contact", "start_on")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    START_ON_FIELD_NUMBER: _ClassVar[int]
    kind: PlacementKind
    name: str
    contact: str
    start_on: str
    def __init__(self, kind: _Optional[_Union[PlacementKind, str]] = ..., name: _Optional[str] = ..., contact: _Optional[str] = ..., start_on: _Optional[str] = ...) -> None: ...

class CaseStep(_message.Message):
    __slots__ = ("sequence", "from_state", "to_state", "note", "actor", "at", "intervention", "placement", "close_reason")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    INTERVENTION_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    from_state: CaseState
    to_state: CaseState
    note: str
    actor: str
    at: _timestamp_pb2.Timestamp
    intervention: InterventionKind
    placement: Placement
    close_reason: CloseReason
    def __init__(self, sequence: _Optional[int] = ..., from_state: _Optional[_Union[CaseState, str]] = ..., to_state: _Optional[_Union[CaseState, str]] = ..., note: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., intervention: _Optional[_Union[InterventionKind, str]] = ..., placement: _Optional[_Union[Placement, _Mapping]] = ..., close_reason: _Optional[_Union[CloseReason, str]] = ...) -> None: ...

class CaseConference(_message.Message):
    __slots__ = ("id", "held_on", "participants", "decisions", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    held_on: str
    participants: _containers.RepeatedScalarFieldContainer[str]
    decisions: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., held_on: _Optional[str] = ..., participants: _Optional[_Iterable[str]] = ..., decisions: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProtectionCase(_message.Message):
    __slots__ = ("id", "region_code", "child_id", "child_name", "id_number", "state", "source", "concern", "description", "informant", "reported_by", "reported_at", "response_due_at", "responded_at", "response_overdue", "escalated_at", "intervention", "placement", "closed_at", "close_reason", "steps", "conferences", "allowed_next")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONCERN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INFORMANT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    RESPONDED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    INTERVENTION_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CONFERENCES_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_NEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_code: str
    child_id: str
    child_name: str
    id_number: str
    state: CaseState
    source: ReportSource
    concern: ConcernKind
    description: str
    informant: str
    reported_by: str
    reported_at: _timestamp_pb2.Timestamp
    response_due_at: _timestamp_pb2.Timestamp
    responded_at: _timestamp_pb2.Timestamp
    response_overdue: bool
    escalated_at: _timestamp_pb2.Timestamp
    intervention: InterventionKind
    placement: Placement
    closed_at: _timestamp_pb2.Timestamp
    close_reason: CloseReason
    steps: _containers.RepeatedCompositeFieldContainer[CaseStep]
    conferences: _containers.RepeatedCompositeFieldContainer[CaseConference]
    allowed_next: _containers.RepeatedScalarFieldContainer[CaseState]
    def __init__(self, id: _Optional[str] = ..., region_code: _Optional[str] = ..., child_id: _Optional[str] = ..., child_name: _Optional[str] = ..., id_number: _Optional[str] = ..., state: _Optional[_Union[CaseState, str]] = ..., source: _Optional[_Union[ReportSource, str]] = ..., concern: _Optional[_Union[ConcernKind, str]] = ..., description: _Optional[str] = ..., informant: _Optional[str] = ..., reported_by: _Optional[str] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., response_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., responded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., response_overdue: _Optional[bool] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., intervention: _Optional[_Union[InterventionKind, str]] = ..., placement: _Optional[_Union[Placement, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_reason: _Optional[_Union[CloseReason, str]] = ..., steps: _Optional[_Iterable[_Union[CaseStep, _Mapping]]] = ..., conferences: _Optional[_Iterable[_Union[CaseConference, _Mapping]]] = ..., allowed_next: _Optional[_Iterable[_Union[CaseState, str]]] = ...) -> None: ...

class ReportConcernRequest(_message.Message):
    __slots__ = ("child_id", "child_name", "id_number", "region_code", "source", "concern", "description", "informant", "reported_at")
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONCERN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INFORMANT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    child_id: str
    child_name: str
    id_number: str
    region_code: str
    source: ReportSource
    concern: ConcernKind
    description: str
    informant: str
    reported_at: _timestamp_pb2.Timestamp
    def __init__(self, child_id: _Optional[str] = ..., child_name: _Optional[str] = ..., id_number: _Optional[str] = ..., region_code: _Optional[str] = ..., source: _Optional[_Union[ReportSource, str]] = ..., concern: _Optional[_Union[ConcernKind, str]] = ..., description: _Optional[str] = ..., informant: _Optional[str] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListCasesRequest(_message.Message):
    __slots__ = ("region_code", "state", "response_overdue", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    state: CaseState
    response_overdue: bool
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., state: _Optional[_Union[CaseState, str]] = ..., response_overdue: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListCasesResponse(_message.Message):
    __slots__ = ("cases", "page_info", "cursors")
    CASES_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[ProtectionCase]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cases: _Optional[_Iterable[_Union[ProtectionCase, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class AdvanceCaseRequest(_message.Message):
    __slots__ = ("case_id", "to_state", "note", "intervention", "placement", "close_reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    INTERVENTION_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    to_state: CaseState
    note: str
    intervention: InterventionKind
    placement: Placement
    close_reason: CloseReason
    def __init__(self, case_id: _Optional[str] = ..., to_state: _Optional[_Union[CaseState, str]] = ..., note: _Optional[str] = ..., intervention: _Optional[_Union[InterventionKind, str]] = ..., placement: _Optional[_Union[Placement, _Mapping]] = ..., close_reason: _Optional[_Union[CloseReason, str]] = ...) -> None: ...

class RecordConferenceRequest(_message.Message):
    __slots__ = ("case_id", "held_on", "participants", "decisions")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    held_on: str
    participants: _containers.RepeatedScalarFieldContainer[str]
    decisions: str
    def __init__(self, case_id: _Optional[str] = ..., held_on: _Optional[str] = ..., participants: _Optional[_Iterable[str]] = ..., decisions: _Optional[str] = ...) -> None: ...
