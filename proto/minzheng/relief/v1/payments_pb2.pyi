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

class PaymentBasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_BASIS_UNSPECIFIED: _ClassVar[PaymentBasis]
    PAYMENT_BASIS_ASSESSMENT: _ClassVar[PaymentBasis]
    PAYMENT_BASIS_GRANT: _ClassVar[PaymentBasis]

class OverpaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OVERPAYMENT_STATUS_UNSPECIFIED: _ClassVar[OverpaymentStatus]
    OVERPAYMENT_STATUS_OPEN: _ClassVar[OverpaymentStatus]
    OVERPAYMENT_STATUS_RECOVERED: _ClassVar[OverpaymentStatus]
    OVERPAYMENT_STATUS_WAIVED: _ClassVar[OverpaymentStatus]
PAYMENT_BASIS_UNSPECIFIED: PaymentBasis
PAYMENT_BASIS_ASSESSMENT: PaymentBasis
PAYMENT_BASIS_GRANT: PaymentBasis
OVERPAYMENT_STATUS_UNSPECIFIED: OverpaymentStatus
OVERPAYMENT_STATUS_OPEN: OverpaymentStatus
OVERPAYMENT_STATUS_RECOVERED: OverpaymentStatus
OVERPAYMENT_STATUS_WAIVED: OverpaymentStatus

class ReclassifyRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class ClassificationCount(_message.Message):
    __slots__ = ("classification", "households")
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    classification: _eligibility_pb2.Classification
    households: int
    def __init__(self, classification: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., households: _Optional[int] = ...) -> None: ...

class ClassificationRun(_message.Message):
    __slots__ = ("id", "period", "sequence", "started_at", "finished_at", "households", "engine_households", "flagged", "counts")
    ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    period: str
    sequence: int
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    households: int
    engine_households: int
    flagged: int
    counts: _containers.RepeatedCompositeFieldContainer[ClassificationCount]
    def __init__(self, id: _Optional[str] = ..., period: _Optional[str] = ..., sequence: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., households: _Optional[int] = ..., engine_households: _Optional[int] = ..., flagged: _Optional[int] = ..., counts: _Optional[_Iterable[_Union[ClassificationCount, _Mapping]]] = ...) -> None: ...

class RunPaymentsRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class ProgrammePaidTotal(_message.Message):
    __slots__ = ("programme", "households", "amount_fen", "amount_yuan")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    programme: _eligibility_pb2.Classification
    households: int
    amount_fen: int
    amount_yuan: str
    def __init__(self, programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., households: _Optional[int] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ...) -> None: ...

class PaymentRun(_message.Message):
    __slots__ = ("id", "period", "sequence", "classification_run_id", "started_at", "finished_at", "started_by", "paid_count", "paid_fen", "paid_yuan", "reported_count", "event_published", "paid_by_programme", "zero_amount")
    ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_BY_FIELD_NUMBER: _ClassVar[int]
    PAID_COUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_YUAN_FIELD_NUMBER: _ClassVar[int]
    REPORTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    EVENT_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    PAID_BY_PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    ZERO_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    period: str
    sequence: int
    classification_run_id: str
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    started_by: str
    paid_count: int
    paid_fen: int
    paid_yuan: str
    reported_count: int
    event_published: bool
    paid_by_programme: _containers.RepeatedCompositeFieldContainer[ProgrammePaidTotal]
    zero_amount: int
    def __init__(self, id: _Optional[str] = ..., period: _Optional[str] = ..., sequence: _Optional[int] = ..., classification_run_id: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_by: _Optional[str] = ..., paid_count: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ..., reported_count: _Optional[int] = ..., event_published: _Optional[bool] = ..., paid_by_programme: _Optional[_Iterable[_Union[ProgrammePaidTotal, _Mapping]]] = ..., zero_amount: _Optional[int] = ...) -> None: ...

class GetLedgerRequest(_message.Message):
    __slots__ = ("household_id", "page")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    page: _common_pb2.PageRequest
    def __init__(self, household_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class LedgerPayment(_message.Message):
    __slots__ = ("id", "programme", "period", "amount_fen", "amount_yuan", "basis", "grant_id", "assessment_id", "classification", "standards_day", "run_id", "paid_at", "region_code")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    GRANT_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    STANDARDS_DAY_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    id: int
    programme: _eligibility_pb2.Classification
    period: str
    amount_fen: int
    amount_yuan: str
    basis: PaymentBasis
    grant_id: str
    assessment_id: int
    classification: _eligibility_pb2.Classification
    standards_day: str
    run_id: str
    paid_at: _timestamp_pb2.Timestamp
    region_code: str
    def __init__(self, id: _Optional[int] = ..., programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., period: _Optional[str] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ..., basis: _Optional[_Union[PaymentBasis, str]] = ..., grant_id: _Optional[str] = ..., assessment_id: _Optional[int] = ..., classification: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., standards_day: _Optional[str] = ..., run_id: _Optional[str] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., region_code: _Optional[str] = ...) -> None: ...

class Overpayment(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "payment_id", "person_id", "died_on", "period", "amount_fen", "amount_yuan", "status", "found_at", "handled_by", "handled_at", "handled_note")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DIED_ON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_YUAN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FOUND_AT_FIELD_NUMBER: _ClassVar[int]
    HANDLED_BY_FIELD_NUMBER: _ClassVar[int]
    HANDLED_AT_FIELD_NUMBER: _ClassVar[int]
    HANDLED_NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    payment_id: int
    person_id: str
    died_on: str
    period: str
    amount_fen: int
    amount_yuan: str
    status: OverpaymentStatus
    found_at: _timestamp_pb2.Timestamp
    handled_by: str
    handled_at: _timestamp_pb2.Timestamp
    handled_note: str
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., payment_id: _Optional[int] = ..., person_id: _Optional[str] = ..., died_on: _Optional[str] = ..., period: _Optional[str] = ..., amount_fen: _Optional[int] = ..., amount_yuan: _Optional[str] = ..., status: _Optional[_Union[OverpaymentStatus, str]] = ..., found_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., handled_by: _Optional[str] = ..., handled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., handled_note: _Optional[str] = ...) -> None: ...

class Ledger(_message.Message):
    __slots__ = ("household_id", "payments", "page_info", "cursors", "overpayments", "paid_count", "paid_fen", "paid_yuan", "overpaid_open_fen", "recovered_fen", "waived_fen")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    OVERPAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAID_COUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_YUAN_FIELD_NUMBER: _ClassVar[int]
    OVERPAID_OPEN_FEN_FIELD_NUMBER: _ClassVar[int]
    RECOVERED_FEN_FIELD_NUMBER: _ClassVar[int]
    WAIVED_FEN_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    payments: _containers.RepeatedCompositeFieldContainer[LedgerPayment]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    overpayments: _containers.RepeatedCompositeFieldContainer[Overpayment]
    paid_count: int
    paid_fen: int
    paid_yuan: str
    overpaid_open_fen: int
    recovered_fen: int
    waived_fen: int
    def __init__(self, household_id: _Optional[str] = ..., payments: _Optional[_Iterable[_Union[LedgerPayment, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ..., overpayments: _Optional[_Iterable[_Union[Overpayment, _Mapping]]] = ..., paid_count: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ..., overpaid_open_fen: _Optional[int] = ..., recovered_fen: _Optional[int] = ..., waived_fen: _Optional[int] = ...) -> None: ...

class ListOverpaymentsRequest(_message.Message):
    __slots__ = ("status", "household_id", "page")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    status: OverpaymentStatus
    household_id: str
    page: _common_pb2.PageRequest
    def __init__(self, status: _Optional[_Union[OverpaymentStatus, str]] = ..., household_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListOverpaymentsResponse(_message.Message):
    __slots__ = ("overpayments", "page_info", "cursors")
    OVERPAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    overpayments: _containers.RepeatedCompositeFieldContainer[Overpayment]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, overpayments: _Optional[_Iterable[_Union[Overpayment, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class HandleOverpaymentRequest(_message.Message):
    __slots__ = ("id", "outcome", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: OverpaymentStatus
    note: str
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[_Union[OverpaymentStatus, str]] = ..., note: _Optional[str] = ...) -> None: ...
