from minzheng.relief.v1 import eligibility_pb2 as _eligibility_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReliefIndicatorStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELIEF_INDICATOR_STATUS_UNSPECIFIED: _ClassVar[ReliefIndicatorStatus]
    RELIEF_INDICATOR_STATUS_MET: _ClassVar[ReliefIndicatorStatus]
    RELIEF_INDICATOR_STATUS_NOT_MET: _ClassVar[ReliefIndicatorStatus]
    RELIEF_INDICATOR_STATUS_NO_TARGET: _ClassVar[ReliefIndicatorStatus]
    RELIEF_INDICATOR_STATUS_NO_DATA: _ClassVar[ReliefIndicatorStatus]
RELIEF_INDICATOR_STATUS_UNSPECIFIED: ReliefIndicatorStatus
RELIEF_INDICATOR_STATUS_MET: ReliefIndicatorStatus
RELIEF_INDICATOR_STATUS_NOT_MET: ReliefIndicatorStatus
RELIEF_INDICATOR_STATUS_NO_TARGET: ReliefIndicatorStatus
RELIEF_INDICATOR_STATUS_NO_DATA: ReliefIndicatorStatus

class GetReliefIndicatorsRequest(_message.Message):
    __slots__ = ("region_code", "year")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class ReliefRate(_message.Message):
    __slots__ = ("numerator", "denominator", "value", "target", "status", "target_source")
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_SOURCE_FIELD_NUMBER: _ClassVar[int]
    numerator: int
    denominator: int
    value: float
    target: float
    status: ReliefIndicatorStatus
    target_source: str
    def __init__(self, numerator: _Optional[int] = ..., denominator: _Optional[int] = ..., value: _Optional[float] = ..., target: _Optional[float] = ..., status: _Optional[_Union[ReliefIndicatorStatus, str]] = ..., target_source: _Optional[str] = ...) -> None: ...

class DibaoStandard(_message.Message):
    __slots__ = ("region_code", "monthly_fen", "annual_fen", "target_annual_fen", "baseline_annual_fen", "status", "target_source", "standard_source", "unavailable_reason")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_FEN_FIELD_NUMBER: _ClassVar[int]
    TARGET_ANNUAL_FEN_FIELD_NUMBER: _ClassVar[int]
    BASELINE_ANNUAL_FEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_SOURCE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UNAVAILABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    monthly_fen: int
    annual_fen: int
    target_annual_fen: int
    baseline_annual_fen: int
    status: ReliefIndicatorStatus
    target_source: str
    standard_source: str
    unavailable_reason: str
    def __init__(self, region_code: _Optional[str] = ..., monthly_fen: _Optional[int] = ..., annual_fen: _Optional[int] = ..., target_annual_fen: _Optional[int] = ..., baseline_annual_fen: _Optional[int] = ..., status: _Optional[_Union[ReliefIndicatorStatus, str]] = ..., target_source: _Optional[str] = ..., standard_source: _Optional[str] = ..., unavailable_reason: _Optional[str] = ...) -> None: ...

class ProgrammeCount(_message.Message):
    __slots__ = ("programme", "households", "persons", "suspended_households")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    PERSONS_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    programme: _eligibility_pb2.Classification
    households: int
    persons: int
    suspended_households: int
    def __init__(self, programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., households: _Optional[int] = ..., persons: _Optional[int] = ..., suspended_households: _Optional[int] = ...) -> None: ...

class MoneyPaid(_message.Message):
    __slots__ = ("paid_fen", "unavailable_reason", "households", "programmes")
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    UNAVAILABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    paid_fen: int
    unavailable_reason: str
    households: int
    programmes: _containers.RepeatedCompositeFieldContainer[ProgrammePaid]
    def __init__(self, paid_fen: _Optional[int] = ..., unavailable_reason: _Optional[str] = ..., households: _Optional[int] = ..., programmes: _Optional[_Iterable[_Union[ProgrammePaid, _Mapping]]] = ...) -> None: ...

class ProgrammePaid(_message.Message):
    __slots__ = ("programme", "households", "paid_fen", "payments")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    programme: _eligibility_pb2.Classification
    households: int
    paid_fen: int
    payments: int
    def __init__(self, programme: _Optional[_Union[_eligibility_pb2.Classification, str]] = ..., households: _Optional[int] = ..., paid_fen: _Optional[int] = ..., payments: _Optional[int] = ...) -> None: ...

class ReliefIndicators(_message.Message):
    __slots__ = ("region_code", "year", "as_of", "dibao_standards", "programmes", "households", "persons", "money_paid", "visited", "list_delivered", "one_thing")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    DIBAO_STANDARDS_FIELD_NUMBER: _ClassVar[int]
    PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    PERSONS_FIELD_NUMBER: _ClassVar[int]
    MONEY_PAID_FIELD_NUMBER: _ClassVar[int]
    VISITED_FIELD_NUMBER: _ClassVar[int]
    LIST_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    ONE_THING_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    as_of: str
    dibao_standards: _containers.RepeatedCompositeFieldContainer[DibaoStandard]
    programmes: _containers.RepeatedCompositeFieldContainer[ProgrammeCount]
    households: int
    persons: int
    money_paid: MoneyPaid
    visited: ReliefRate
    list_delivered: ReliefRate
    one_thing: ReliefRate
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ..., as_of: _Optional[str] = ..., dibao_standards: _Optional[_Iterable[_Union[DibaoStandard, _Mapping]]] = ..., programmes: _Optional[_Iterable[_Union[ProgrammeCount, _Mapping]]] = ..., households: _Optional[int] = ..., persons: _Optional[int] = ..., money_paid: _Optional[_Union[MoneyPaid, _Mapping]] = ..., visited: _Optional[_Union[ReliefRate, _Mapping]] = ..., list_delivered: _Optional[_Union[ReliefRate, _Mapping]] = ..., one_thing: _Optional[_Union[ReliefRate, _Mapping]] = ...) -> None: ...
