from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Classification(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLASSIFICATION_UNSPECIFIED: _ClassVar[Classification]
    CLASSIFICATION_TEKUN: _ClassVar[Classification]
    CLASSIFICATION_DIBAO: _ClassVar[Classification]
    CLASSIFICATION_DIBIAN: _ClassVar[Classification]
    CLASSIFICATION_NONE: _ClassVar[Classification]
CLASSIFICATION_UNSPECIFIED: Classification
CLASSIFICATION_TEKUN: Classification
CLASSIFICATION_DIBAO: Classification
CLASSIFICATION_DIBIAN: Classification
CLASSIFICATION_NONE: Classification

class FigureSource(_message.Message):
    __slots__ = ("table", "region_key", "span", "source")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    REGION_KEY_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    table: str
    region_key: str
    span: str
    source: str
    def __init__(self, table: _Optional[str] = ..., region_key: _Optional[str] = ..., span: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class Standards(_message.Message):
    __slots__ = ("region_code", "day", "dibao_monthly_fen", "dibian_multiplier", "dibian_line_monthly_fen", "dibian_allowance_monthly_fen", "tekun_monthly_fen", "tekun_basis", "tekun_minor_age_limit", "price_subsidy_monthly_fen", "income_window_months", "asset_limit_months", "sources")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    DIBAO_MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    DIBIAN_MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    DIBIAN_LINE_MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    DIBIAN_ALLOWANCE_MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    TEKUN_MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    TEKUN_BASIS_FIELD_NUMBER: _ClassVar[int]
    TEKUN_MINOR_AGE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PRICE_SUBSIDY_MONTHLY_FEN_FIELD_NUMBER: _ClassVar[int]
    INCOME_WINDOW_MONTHS_FIELD_NUMBER: _ClassVar[int]
    ASSET_LIMIT_MONTHS_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    day: str
    dibao_monthly_fen: int
    dibian_multiplier: str
    dibian_line_monthly_fen: int
    dibian_allowance_monthly_fen: int
    tekun_monthly_fen: int
    tekun_basis: str
    tekun_minor_age_limit: int
    price_subsidy_monthly_fen: int
    income_window_months: int
    asset_limit_months: int
    sources: _containers.RepeatedCompositeFieldContainer[FigureSource]
    def __init__(self, region_code: _Optional[str] = ..., day: _Optional[str] = ..., dibao_monthly_fen: _Optional[int] = ..., dibian_multiplier: _Optional[str] = ..., dibian_line_monthly_fen: _Optional[int] = ..., dibian_allowance_monthly_fen: _Optional[int] = ..., tekun_monthly_fen: _Optional[int] = ..., tekun_basis: _Optional[str] = ..., tekun_minor_age_limit: _Optional[int] = ..., price_subsidy_monthly_fen: _Optional[int] = ..., income_window_months: _Optional[int] = ..., asset_limit_months: _Optional[int] = ..., sources: _Optional[_Iterable[_Union[FigureSource, _Mapping]]] = ...) -> None: ...

class GetStandardsRequest(_message.Message):
    __slots__ = ("region_code", "day")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    day: str
    def __init__(self, region_code: _Optional[str] = ..., day: _Optional[str] = ...) -> None: ...

class AssessHouseholdRequest(_message.Message):
    __slots__ = ("household_id", "month")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    month: str
    def __init__(self, household_id: _Optional[str] = ..., month: _Optional[str] = ...) -> None: ...

class AmountLine(_message.Message):
    __slots__ = ("item", "amount_fen", "person_id")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    item: str
    amount_fen: int
    person_id: str
    def __init__(self, item: _Optional[str] = ..., amount_fen: _Optional[int] = ..., person_id: _Optional[str] = ...) -> None: ...

class Reason(_message.Message):
    __slots__ = ("rule", "text", "figures_json")
    RULE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    FIGURES_JSON_FIELD_NUMBER: _ClassVar[int]
    rule: str
    text: str
    figures_json: str
    def __init__(self, rule: _Optional[str] = ..., text: _Optional[str] = ..., figures_json: _Optional[str] = ...) -> None: ...

class Assessment(_message.Message):
    __slots__ = ("household_id", "month", "classification", "amount_fen", "lines", "reasons", "standards", "engine_version")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    STANDARDS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_VERSION_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    month: str
    classification: Classification
    amount_fen: int
    lines: _containers.RepeatedCompositeFieldContainer[AmountLine]
    reasons: _containers.RepeatedCompositeFieldContainer[Reason]
    standards: Standards
    engine_version: str
    def __init__(self, household_id: _Optional[str] = ..., month: _Optional[str] = ..., classification: _Optional[_Union[Classification, str]] = ..., amount_fen: _Optional[int] = ..., lines: _Optional[_Iterable[_Union[AmountLine, _Mapping]]] = ..., reasons: _Optional[_Iterable[_Union[Reason, _Mapping]]] = ..., standards: _Optional[_Union[Standards, _Mapping]] = ..., engine_version: _Optional[str] = ...) -> None: ...
