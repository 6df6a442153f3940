import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from minzheng.childwelfare.v1 import childwelfare_pb2 as _childwelfare_pb2
from minzheng.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProposalKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPOSAL_KIND_UNSPECIFIED: _ClassVar[ProposalKind]
    PROPOSAL_KIND_CATEGORY_CHANGE: _ClassVar[ProposalKind]
    PROPOSAL_KIND_REASSESSMENT: _ClassVar[ProposalKind]

class ProposalStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPOSAL_STATUS_UNSPECIFIED: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_OPEN: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_ACCEPTED: _ClassVar[ProposalStatus]
    PROPOSAL_STATUS_REJECTED: _ClassVar[ProposalStatus]

class ProposalPriority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPOSAL_PRIORITY_UNSPECIFIED: _ClassVar[ProposalPriority]
    PROPOSAL_PRIORITY_NORMAL: _ClassVar[ProposalPriority]
    PROPOSAL_PRIORITY_HIGH: _ClassVar[ProposalPriority]
PROPOSAL_KIND_UNSPECIFIED: ProposalKind
PROPOSAL_KIND_CATEGORY_CHANGE: ProposalKind
PROPOSAL_KIND_REASSESSMENT: ProposalKind
PROPOSAL_STATUS_UNSPECIFIED: ProposalStatus
PROPOSAL_STATUS_OPEN: ProposalStatus
PROPOSAL_STATUS_ACCEPTED: ProposalStatus
PROPOSAL_STATUS_REJECTED: ProposalStatus
PROPOSAL_PRIORITY_UNSPECIFIED: ProposalPriority
PROPOSAL_PRIORITY_NORMAL: ProposalPriority
PROPOSAL_PRIORITY_HIGH: ProposalPriority

class Proposal(_message.Message):
    __slots__ = ("id", "child_id", "child_name", "region_code", "kind", "priority", "current_category", "proposed_category", "reason", "source_subject", "source_event_id", "proposed_at", "status", "decided_by", "decided_at", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_ID_FIELD_NUMBER: _ClassVar[int]
    CHILD_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CURRENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    child_id: str
    child_name: str
    region_code: str
    kind: ProposalKind
    priority: ProposalPriority
    current_category: _childwelfare_pb2.ProtectionCategory
    proposed_category: _childwelfare_pb2.ProtectionCategory
    reason: str
    source_subject: str
    source_event_id: str
    proposed_at: _timestamp_pb2.Timestamp
    status: ProposalStatus
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, id: _Optional[str] = ..., child_id: _Optional[str] = ..., child_name: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[ProposalKind, str]] = ..., priority: _Optional[_Union[ProposalPriority, str]] = ..., current_category: _Optional[_Union[_childwelfare_pb2.ProtectionCategory, str]] = ..., proposed_category: _Optional[_Union[_childwelfare_pb2.ProtectionCategory, str]] = ..., reason: _Optional[str] = ..., source_subject: _Optional[str] = ..., source_event_id: _Optional[str] = ..., proposed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[ProposalStatus, str]] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class ListProposalsRequest(_message.Message):
    __slots__ = ("region_code", "status", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: ProposalStatus
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[ProposalStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListProposalsResponse(_message.Message):
    __slots__ = ("proposals", "page_info", "cursors")
    PROPOSALS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    proposals: _containers.RepeatedCompositeFieldContainer[Proposal]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, proposals: _Optional[_Iterable[_Union[Proposal, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class AcceptProposalRequest(_message.Message):
    __slots__ = ("id", "category", "effective_from", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    category: _childwelfare_pb2.ProtectionCategory
    effective_from: str
    note: str
    def __init__(self, id: _Optional[str] = ..., category: _Optional[_Union[_childwelfare_pb2.ProtectionCategory, str]] = ..., effective_from: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectProposalRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...
