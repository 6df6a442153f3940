from minzheng.childwelfare.v1 import childwelfare_pb2 as _childwelfare_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetIndicatorsRequest(_message.Message):
    __slots__ = ("region_code", "year")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class Rate(_message.Message):
    __slots__ = ("numerator", "denominator", "rate", "target")
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    numerator: int
    denominator: int
    rate: float
    target: float
    def __init__(self, numerator: _Optional[int] = ..., denominator: _Optional[int] = ..., rate: _Optional[float] = ..., target: _Optional[float] = ...) -> None: ...

class MonthlyVisitRate(_message.Message):
    __slots__ = ("month", "as_of", "rate")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    month: str
    as_of: str
    rate: Rate
    def __init__(self, month: _Optional[str] = ..., as_of: _Optional[str] = ..., rate: _Optional[_Union[Rate, _Mapping]] = ...) -> None: ...

class CategoryFigures(_message.Message):
    __slots__ = ("category", "registered", "paid_children", "paid_fen", "paid_yuan")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_FIELD_NUMBER: _ClassVar[int]
    PAID_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_YUAN_FIELD_NUMBER: _ClassVar[int]
    category: _childwelfare_pb2.ProtectionCategory
    registered: int
    paid_children: int
    paid_fen: int
    paid_yuan: str
    def __init__(self, category: _Optional[_Union[_childwelfare_pb2.ProtectionCategory, str]] = ..., registered: _Optional[int] = ..., paid_children: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ...) -> None: ...

class Indicators(_message.Message):
    __slots__ = ("region_code", "year", "as_of", "visit_rate", "visit_rate_by_month", "categories", "registered_children", "paid_children", "paid_fen", "paid_yuan", "temporary_guardianships", "children_home_town_coverage", "children_home_village_coverage")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    VISIT_RATE_FIELD_NUMBER: _ClassVar[int]
    VISIT_RATE_BY_MONTH_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    PAID_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_YUAN_FIELD_NUMBER: _ClassVar[int]
    TEMPORARY_GUARDIANSHIPS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_HOME_TOWN_COVERAGE_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_HOME_VILLAGE_COVERAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    as_of: str
    visit_rate: Rate
    visit_rate_by_month: _containers.RepeatedCompositeFieldContainer[MonthlyVisitRate]
    categories: _containers.RepeatedCompositeFieldContainer[CategoryFigures]
    registered_children: int
    paid_children: int
    paid_fen: int
    paid_yuan: str
    temporary_guardianships: int
    children_home_town_coverage: Rate
    children_home_village_coverage: Rate
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ..., as_of: _Optional[str] = ..., visit_rate: _Optional[_Union[Rate, _Mapping]] = ..., visit_rate_by_month: _Optional[_Iterable[_Union[MonthlyVisitRate, _Mapping]]] = ..., categories: _Optional[_Iterable[_Union[CategoryFigures, _Mapping]]] = ..., registered_children: _Optional[int] = ..., paid_children: _Optional[int] = ..., paid_fen: _Optional[int] = ..., paid_yuan: _Optional[str] = ..., temporary_guardianships: _Optional[int] = ..., children_home_town_coverage: _Optional[_Union[Rate, _Mapping]] = ..., children_home_village_coverage: _Optional[_Union[Rate, _Mapping]] = ...) -> None: ...
