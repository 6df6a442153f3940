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

class AllowanceProgramme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALLOWANCE_PROGRAMME_UNSPECIFIED: _ClassVar[AllowanceProgramme]
    ALLOWANCE_PROGRAMME_OLD_AGE: _ClassVar[AllowanceProgramme]
    ALLOWANCE_PROGRAMME_VOUCHER: _ClassVar[AllowanceProgramme]

class VoucherEntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOUCHER_ENTRY_KIND_UNSPECIFIED: _ClassVar[VoucherEntryKind]
    VOUCHER_ENTRY_KIND_CREDIT: _ClassVar[VoucherEntryKind]
    VOUCHER_ENTRY_KIND_SPEND: _ClassVar[VoucherEntryKind]
ALLOWANCE_PROGRAMME_UNSPECIFIED: AllowanceProgramme
ALLOWANCE_PROGRAMME_OLD_AGE: AllowanceProgramme
ALLOWANCE_PROGRAMME_VOUCHER: AllowanceProgramme
VOUCHER_ENTRY_KIND_UNSPECIFIED: VoucherEntryKind
VOUCHER_ENTRY_KIND_CREDIT: VoucherEntryKind
VOUCHER_ENTRY_KIND_SPEND: VoucherEntryKind

class RunElderAllowancesRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class ProgrammeTierTotal(_message.Message):
    __slots__ = ("programme", "policy_key", "elders", "amount_fen", "amount_yuan")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    POLICY_KEY_FIELD_NUMBER: _ClassVar[int]
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    programme: AllowanceProgramme
    policy_key: str
    elders: int
    amount_fen: int
    amount_yuan: str
    def __init__(self, programme: _Optional[_Union[AllowanceProgramme, str]] = ..., policy_key: _Optional[str] = ..., elders: _Optional[int] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ...) -> None: ...

class ProgrammeTierSkipped(_message.Message):
    __slots__ = ("programme", "policy_key", "elders")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    POLICY_KEY_FIELD_NUMBER: _ClassVar[int]
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    programme: AllowanceProgramme
    policy_key: str
    elders: int
    def __init__(self, programme: _Optional[_Union[AllowanceProgramme, str]] = ..., policy_key: _Optional[str] = ..., elders: _Optional[int] = ...) -> None: ...

class ElderAllowanceRun(_message.Message):
    __slots__ = ("id", "period", "sequence", "started_at", "finished_at", "paid_count", "paid_fen", "paid_yuan", "skipped_count", "reported_count", "event_published", "paid_by_tier", "skipped_by_tier")
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
    PAID_BY_TIER_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_BY_TIER_FIELD_NUMBER: _ClassVar[int]
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
    paid_by_tier: _containers.RepeatedCompositeFieldContainer[ProgrammeTierTotal]
    skipped_by_tier: _containers.RepeatedCompositeFieldContainer[ProgrammeTierSkipped]
    def __init__(self, id: _Optional[str] = ..., period: _Optional[str] = ..., sequence: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., paid_count: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ..., skipped_count: _Optional[int] = ..., reported_count: _Optional[int] = ..., event_published: _Optional[bool] = ..., paid_by_tier: _Optional[_Iterable[_Union[ProgrammeTierTotal, _Mapping]]] = ..., skipped_by_tier: _Optional[_Iterable[_Union[ProgrammeTierSkipped, _Mapping]]] = ...) -> None: ...

class ListElderAllowanceRunsRequest(_message.Message):
    __slots__ = ("period", "page")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    period: str
    page: _common_pb2.PageRequest
    def __init__(self, period: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListElderAllowanceRunsResponse(_message.Message):
    __slots__ = ("runs", "page_info", "cursors")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[ElderAllowanceRun]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, runs: _Optional[_Iterable[_Union[ElderAllowanceRun, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class ElderAllowancePayment(_message.Message):
    __slots__ = ("id", "elder_id", "programme", "period", "region_code", "amount_fen", "amount_yuan", "policy_key", "policy_effective_from", "run_id", "paid_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    POLICY_KEY_FIELD_NUMBER: _ClassVar[int]
    POLICY_EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    elder_id: str
    programme: AllowanceProgramme
    period: str
    region_code: str
    amount_fen: int
    amount_yuan: str
    policy_key: str
    policy_effective_from: str
    run_id: str
    paid_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[int] = ..., elder_id: _Optional[str] = ..., programme: _Optional[_Union[AllowanceProgramme, str]] = ..., period: _Optional[str] = ..., region_code: _Optional[str] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ..., policy_key: _Optional[str] = ..., policy_effective_from: _Optional[str] = ..., run_id: _Optional[str] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListElderAllowancePaymentsRequest(_message.Message):
    __slots__ = ("elder_id", "region_code", "period", "programme", "page")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    region_code: str
    period: str
    programme: AllowanceProgramme
    page: _common_pb2.PageRequest
    def __init__(self, elder_id: _Optional[str] = ..., region_code: _Optional[str] = ..., period: _Optional[str] = ..., programme: _Optional[_Union[AllowanceProgramme, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListElderAllowancePaymentsResponse(_message.Message):
    __slots__ = ("payments", "page_info", "cursors")
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[ElderAllowancePayment]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, payments: _Optional[_Iterable[_Union[ElderAllowancePayment, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class GetVoucherBalanceRequest(_message.Message):
    __slots__ = ("elder_id",)
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    def __init__(self, elder_id: _Optional[str] = ...) -> None: ...

class VoucherBalance(_message.Message):
    __slots__ = ("elder_id", "balance_fen", "balance_yuan", "updated_at")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    BALANCE_YUAN_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    balance_fen: int
    balance_yuan: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, elder_id: _Optional[str] = ..., balance_fen: _Optional[int] = ..., balance_yuan: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SpendVoucherRequest(_message.Message):
    __slots__ = ("elder_id", "institution_id", "amount_fen", "reference")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    institution_id: str
    amount_fen: int
    reference: str
    def __init__(self, elder_id: _Optional[str] = ..., institution_id: _Optional[str] = ..., amount_fen: _Optional[int] = ..., reference: _Optional[str] = ...) -> None: ...

class VoucherEntry(_message.Message):
    __slots__ = ("id", "elder_id", "kind", "amount_fen", "amount_yuan", "balance_after_fen", "period", "institution_id", "reference", "created_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    BALANCE_AFTER_FEN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: int
    elder_id: str
    kind: VoucherEntryKind
    amount_fen: int
    amount_yuan: str
    balance_after_fen: int
    period: str
    institution_id: str
    reference: str
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[int] = ..., elder_id: _Optional[str] = ..., kind: _Optional[_Union[VoucherEntryKind, str]] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ..., balance_after_fen: _Optional[int] = ..., period: _Optional[str] = ..., institution_id: _Optional[str] = ..., reference: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class ListVoucherLedgerRequest(_message.Message):
    __slots__ = ("elder_id", "page")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    page: _common_pb2.PageRequest
    def __init__(self, elder_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListVoucherLedgerResponse(_message.Message):
    __slots__ = ("entries", "page_info", "balance", "cursors")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[VoucherEntry]
    page_info: _common_pb2.PageInfo
    balance: VoucherBalance
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, entries: _Optional[_Iterable[_Union[VoucherEntry, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., balance: _Optional[_Union[VoucherBalance, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...
