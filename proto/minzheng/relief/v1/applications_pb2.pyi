import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from minzheng.common.v1 import common_pb2 as _common_pb2
from minzheng.relief.v1 import eligibility_pb2 as _eligibility_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApplicationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPLICATION_STATE_UNSPECIFIED: _ClassVar[ApplicationState]
    APPLICATION_STATE_SUBMITTED: _ClassVar[ApplicationState]
    APPLICATION_STATE_REVIEWED: _ClassVar[ApplicationState]
    APPLICATION_STATE_APPROVED: _ClassVar[ApplicationState]
    APPLICATION_STATE_REJECTED: _ClassVar[ApplicationState]
    APPLICATION_STATE_APPEALED: _ClassVar[ApplicationState]
    APPLICATION_STATE_WITHDRAWN: _ClassVar[ApplicationState]

class GrantStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GRANT_STATUS_UNSPECIFIED: _ClassVar[GrantStatus]
    GRANT_STATUS_ACTIVE: _ClassVar[GrantStatus]
    GRANT_STATUS_SUSPENDED: _ClassVar[GrantStatus]
    GRANT_STATUS_TERMINATED: _ClassVar[GrantStatus]

class RecheckOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECHECK_OUTCOME_UNSPECIFIED: _ClassVar[RecheckOutcome]
    RECHECK_OUTCOME_CONTINUE: _ClassVar[RecheckOutcome]
    RECHECK_OUTCOME_SUSPEND: _ClassVar[RecheckOutcome]
    RECHECK_OUTCOME_TERMINATE: _ClassVar[RecheckOutcome]
APPLICATION_STATE_UNSPECIFIED: ApplicationState
APPLICATION_STATE_SUBMITTED: ApplicationState
APPLICATION_STATE_REVIEWED: ApplicationState
APPLICATION_STATE_APPROVED: ApplicationState
APPLICATION_STATE_REJECTED: ApplicationState
APPLICATION_STATE_APPEALED: ApplicationState
APPLICATION_STATE_WITHDRAWN: ApplicationState
GRANT_STATUS_UNSPECIFIED: GrantStatus
GRANT_STATUS_ACTIVE: GrantStatus
GRANT_STATUS_SUSPENDED: GrantStatus
GRANT_STATUS_TERMINATED: GrantStatus
RECHECK_OUTCOME_UNSPECIFIED: RecheckOutcome
RECHECK_OUTCOME_CONTINUE: RecheckOutcome
RECHECK_OUTCOME_SUSPEND: RecheckOutcome
RECHECK_OUTCOME_TERMINATE: RecheckOutcome

class CreditCommitment(_message.Message):
    __slots__ = ("signed_by", "signed_on")
    SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    signed_by: str
    signed_on: str
    def __init__(self, signed_by: _Optional[str] = ..., signed_on: _Optional[str] = ...) -> None: ...

class ApplicationStep(_message.Message):
    __slots__ = ("sequence", "action", "from_state", "to_state", "actor", "at", "note")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    action: str
    from_state: ApplicationState
    to_state: ApplicationState
    actor: str
    at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, sequence: _Optional[int] = ..., action: _Optional[str] = ..., from_state: _Optional[_Union[ApplicationState, str]] = ..., to_state: _Optional[_Union[ApplicationState, str]] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class ReviewAssessment(_message.Message):
    __slots__ = ("month", "classification", "amount_fen", "snapshot_json")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_JSON_FIELD_NUMBER: _ClassVar[int]
    month: str
    classification: _eligibility_pb2.Classification
    amount_fen: int
    snapshot_json: str
    def __init__(self, month: _Optional[str] = ..., classification: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., amount_fen: _Optional[int] = ..., snapshot_json: _Optional[str] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "items", "state", "note", "commitment", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "assessment", "decided_by", "decided_at", "reason", "appeal_reason", "steps", "grants")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    APPEAL_REASON_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    GRANTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    items: _containers.RepeatedScalarFieldContainer[str]
    state: ApplicationState
    note: str
    commitment: CreditCommitment
    submitted_by: str
    submitted_at: _timestamp_pb2.Timestamp
    reviewed_by: str
    reviewed_at: _timestamp_pb2.Timestamp
    assessment: ReviewAssessment
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    reason: str
    appeal_reason: str
    steps: _containers.RepeatedCompositeFieldContainer[ApplicationStep]
    grants: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., items: _Optional[_Iterable[str]] = ..., state: _Optional[_Union[ApplicationState, str]] = ..., note: _Optional[str] = ..., commitment: _Optional[_Union[CreditCommitment, _Mapping]] = ..., submitted_by: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by: _Optional[str] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assessment: _Optional[_Union[ReviewAssessment, _Mapping]] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., appeal_reason: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[ApplicationStep, _Mapping]]] = ..., grants: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...

class Grant(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "programme", "status", "effective_from", "suspended_from", "ended_on", "status_reason", "monthly_amount_fen", "application_id", "recheck_due_on", "granted_by", "granted_at", "assessment")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_FROM_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    RECHECK_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    GRANTED_BY_FIELD_NUMBER: _ClassVar[int]
    GRANTED_AT_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    programme: _eligibility_pb2.Classification
    status: GrantStatus
    effective_from: str
    suspended_from: str
    ended_on: str
    status_reason: str
    monthly_amount_fen: int
    application_id: str
    recheck_due_on: str
    granted_by: str
    granted_at: _timestamp_pb2.Timestamp
    assessment: ReviewAssessment
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., status: _Optional[_Union[GrantStatus, str]] = ..., effective_from: _Optional[str] = ..., suspended_from: _Optional[str] = ..., ended_on: _Optional[str] = ..., status_reason: _Optional[str] = ..., monthly_amount_fen: _Optional[int] = ..., application_id: _Optional[str] = ..., recheck_due_on: _Optional[str] = ..., granted_by: _Optional[str] = ..., granted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assessment: _Optional[_Union[ReviewAssessment, _Mapping]] = ...) -> None: ...

class SubmitApplicationRequest(_message.Message):
    __slots__ = ("household_id", "items", "commitment", "note")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    items: _containers.RepeatedScalarFieldContainer[str]
    commitment: CreditCommitment
    note: str
    def __init__(self, household_id: _Optional[str] = ..., items: _Optional[_Iterable[str]] = ..., commitment: _Optional[_Union[CreditCommitment, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class ReviewApplicationRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ApproveApplicationRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectApplicationRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AppealApplicationRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DecideAppealRequest(_message.Message):
    __slots__ = ("id", "upheld", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    upheld: bool
    reason: str
    def __init__(self, id: _Optional[str] = ..., upheld: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class WithdrawApplicationRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class BatchGetApplicationsRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetApplicationsResponse(_message.Message):
    __slots__ = ("applications",)
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ...) -> None: ...

class ListApplicationsRequest(_message.Message):
    __slots__ = ("region_code", "state", "page", "household_id")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    state: ApplicationState
    page: _common_pb2.PageRequest
    household_id: str
    def __init__(self, region_code: _Optional[str] = ..., state: _Optional[_Union[ApplicationState, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., household_id: _Optional[str] = ...) -> None: ...

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "page_info", "cursors")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class SuspendGrantRequest(_message.Message):
    __slots__ = ("id", "reason", "effective_from")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    effective_from: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., effective_from: _Optional[str] = ...) -> None: ...

class TerminateGrantRequest(_message.Message):
    __slots__ = ("id", "reason", "effective_from")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    effective_from: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., effective_from: _Optional[str] = ...) -> None: ...

class ListRecheckWorklistRequest(_message.Message):
    __slots__ = ("region_code", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListRecheckWorklistResponse(_message.Message):
    __slots__ = ("grants", "page_info", "cursors")
    GRANTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    grants: _containers.RepeatedCompositeFieldContainer[Grant]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, grants: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class RecordRecheckRequest(_message.Message):
    __slots__ = ("id", "outcome", "checked_on", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CHECKED_ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: RecheckOutcome
    checked_on: str
    note: str
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[_Union[RecheckOutcome, str]] = ..., checked_on: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ListGrantsRequest(_message.Message):
    __slots__ = ("household_id",)
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    def __init__(self, household_id: _Optional[str] = ...) -> None: ...

class ListGrantsResponse(_message.Message):
    __slots__ = ("grants",)
    GRANTS_FIELD_NUMBER: _ClassVar[int]
    grants: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, grants: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...
