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

class MealProviderKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEAL_PROVIDER_KIND_UNSPECIFIED: _ClassVar[MealProviderKind]
    MEAL_PROVIDER_KIND_CANTEEN: _ClassVar[MealProviderKind]
    MEAL_PROVIDER_KIND_MEAL_POINT: _ClassVar[MealProviderKind]

class MealKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEAL_KIND_UNSPECIFIED: _ClassVar[MealKind]
    MEAL_KIND_BREAKFAST: _ClassVar[MealKind]
    MEAL_KIND_LUNCH: _ClassVar[MealKind]
    MEAL_KIND_DINNER: _ClassVar[MealKind]
MEAL_PROVIDER_KIND_UNSPECIFIED: MealProviderKind
MEAL_PROVIDER_KIND_CANTEEN: MealProviderKind
MEAL_PROVIDER_KIND_MEAL_POINT: MealProviderKind
MEAL_KIND_UNSPECIFIED: MealKind
MEAL_KIND_BREAKFAST: MealKind
MEAL_KIND_LUNCH: MealKind
MEAL_KIND_DINNER: MealKind

class MealProvider(_message.Message):
    __slots__ = ("id", "kind", "name", "region_code", "operator", "villages_served", "opened_on", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_SERVED_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: MealProviderKind
    name: str
    region_code: str
    operator: str
    villages_served: _containers.RepeatedScalarFieldContainer[str]
    opened_on: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[MealProviderKind, str]] = ..., name: _Optional[str] = ..., region_code: _Optional[str] = ..., operator: _Optional[str] = ..., villages_served: _Optional[_Iterable[str]] = ..., opened_on: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterMealProviderRequest(_message.Message):
    __slots__ = ("kind", "name", "region_code", "operator", "villages_served", "opened_on")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_SERVED_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    kind: MealProviderKind
    name: str
    region_code: str
    operator: str
    villages_served: _containers.RepeatedScalarFieldContainer[str]
    opened_on: str
    def __init__(self, kind: _Optional[_Union[MealProviderKind, str]] = ..., name: _Optional[str] = ..., region_code: _Optional[str] = ..., operator: _Optional[str] = ..., villages_served: _Optional[_Iterable[str]] = ..., opened_on: _Optional[str] = ...) -> None: ...

class ListMealProvidersRequest(_message.Message):
    __slots__ = ("region_code", "kind", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    kind: MealProviderKind
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., kind: _Optional[_Union[MealProviderKind, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMealProvidersResponse(_message.Message):
    __slots__ = ("providers", "page_info", "cursors")
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    providers: _containers.RepeatedCompositeFieldContainer[MealProvider]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, providers: _Optional[_Iterable[_Union[MealProvider, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class MealServed(_message.Message):
    __slots__ = ("id", "provider_id", "region_code", "elder_id", "elder_name", "served_on", "meal", "price_fen", "subsidy_fen", "paid_by_elder_fen", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    SERVED_ON_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_BY_ELDER_FEN_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    provider_id: str
    region_code: str
    elder_id: str
    elder_name: str
    served_on: str
    meal: MealKind
    price_fen: int
    subsidy_fen: int
    paid_by_elder_fen: int
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., provider_id: _Optional[str] = ..., region_code: _Optional[str] = ..., elder_id: _Optional[str] = ..., elder_name: _Optional[str] = ..., served_on: _Optional[str] = ..., meal: _Optional[_Union[MealKind, str]] = ..., price_fen: _Optional[int] = ..., subsidy_fen: _Optional[int] = ..., paid_by_elder_fen: _Optional[int] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordMealRequest(_message.Message):
    __slots__ = ("provider_id", "elder_id", "served_on", "meal", "price_fen", "subsidy_fen")
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVED_ON_FIELD_NUMBER: _ClassVar[int]
    MEAL_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_FEN_FIELD_NUMBER: _ClassVar[int]
    provider_id: str
    elder_id: str
    served_on: str
    meal: MealKind
    price_fen: int
    subsidy_fen: int
    def __init__(self, provider_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., served_on: _Optional[str] = ..., meal: _Optional[_Union[MealKind, str]] = ..., price_fen: _Optional[int] = ..., subsidy_fen: _Optional[int] = ...) -> None: ...

class ListMealsRequest(_message.Message):
    __slots__ = ("region_code", "provider_id", "elder_id", "served_from", "served_to", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVED_FROM_FIELD_NUMBER: _ClassVar[int]
    SERVED_TO_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    provider_id: str
    elder_id: str
    served_from: str
    served_to: str
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., provider_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., served_from: _Optional[str] = ..., served_to: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMealsResponse(_message.Message):
    __slots__ = ("meals", "page_info", "cursors", "total_price_fen", "total_subsidy_fen")
    MEALS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SUBSIDY_FEN_FIELD_NUMBER: _ClassVar[int]
    meals: _containers.RepeatedCompositeFieldContainer[MealServed]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    total_price_fen: int
    total_subsidy_fen: int
    def __init__(self, meals: _Optional[_Iterable[_Union[MealServed, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ..., total_price_fen: _Optional[int] = ..., total_subsidy_fen: _Optional[int] = ...) -> None: ...

class GetMealCoverageRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class TownMealCoverage(_message.Message):
    __slots__ = ("town_code", "town_name", "village_count", "villages_covered", "canteens", "meal_points", "coverage_rate")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TOWN_NAME_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_COVERED_FIELD_NUMBER: _ClassVar[int]
    CANTEENS_FIELD_NUMBER: _ClassVar[int]
    MEAL_POINTS_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_RATE_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    town_name: str
    village_count: int
    villages_covered: int
    canteens: int
    meal_points: int
    coverage_rate: float
    def __init__(self, town_code: _Optional[str] = ..., town_name: _Optional[str] = ..., village_count: _Optional[int] = ..., villages_covered: _Optional[int] = ..., canteens: _Optional[int] = ..., meal_points: _Optional[int] = ..., coverage_rate: _Optional[float] = ...) -> None: ...

class GetMealCoverageResponse(_message.Message):
    __slots__ = ("towns", "village_count", "villages_covered", "coverage_rate", "as_of")
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_COVERED_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_RATE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    towns: _containers.RepeatedCompositeFieldContainer[TownMealCoverage]
    village_count: int
    villages_covered: int
    coverage_rate: float
    as_of: str
    def __init__(self, towns: _Optional[_Iterable[_Union[TownMealCoverage, _Mapping]]] = ..., village_count: _Optional[int] = ..., villages_covered: _Optional[int] = ..., coverage_rate: _Optional[float] = ..., as_of: _Optional[str] = ...) -> None: ...
