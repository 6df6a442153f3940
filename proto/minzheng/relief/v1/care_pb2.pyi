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

class ListItemKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIST_ITEM_KIND_UNSPECIFIED: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_MATERIAL: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_CARE: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_COMFORT: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_CAPABILITY: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_HEALTH: _ClassVar[ListItemKind]
    LIST_ITEM_KIND_OTHER: _ClassVar[ListItemKind]
LIST_ITEM_KIND_UNSPECIFIED: ListItemKind
LIST_ITEM_KIND_MATERIAL: ListItemKind
LIST_ITEM_KIND_CARE: ListItemKind
LIST_ITEM_KIND_COMFORT: ListItemKind
LIST_ITEM_KIND_CAPABILITY: ListItemKind
LIST_ITEM_KIND_HEALTH: ListItemKind
LIST_ITEM_KIND_OTHER: ListItemKind

class CareVisitor(_message.Message):
    __slots__ = ("name", "region_code")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    name: str
    region_code: str
    def __init__(self, name: _Optional[str] = ..., region_code: _Optional[str] = ...) -> None: ...

class CareVisit(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "visited_on", "visitor", "findings", "needs", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    VISITOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    visited_on: str
    visitor: CareVisitor
    findings: str
    needs: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., visited_on: _Optional[str] = ..., visitor: _Optional[_Union[CareVisitor, _Mapping]] = ..., findings: _Optional[str] = ..., needs: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordVisitRequest(_message.Message):
    __slots__ = ("household_id", "visited_on", "visitor", "findings", "needs")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    VISITED_ON_FIELD_NUMBER: _ClassVar[int]
    VISITOR_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    visited_on: str
    visitor: CareVisitor
    findings: str
    needs: str
    def __init__(self, household_id: _Optional[str] = ..., visited_on: _Optional[str] = ..., visitor: _Optional[_Union[CareVisitor, _Mapping]] = ..., findings: _Optional[str] = ..., needs: _Optional[str] = ...) -> None: ...

class ListVisitsRequest(_message.Message):
    __slots__ = ("household_id", "page")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    page: _common_pb2.PageRequest
    def __init__(self, household_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListVisitsResponse(_message.Message):
    __slots__ = ("visits", "page_info")
    VISITS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    visits: _containers.RepeatedCompositeFieldContainer[CareVisit]
    page_info: _common_pb2.PageInfo
    def __init__(self, visits: _Optional[_Iterable[_Union[CareVisit, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class CareListItem(_message.Message):
    __slots__ = ("id", "household_id", "region_code", "kind", "delivered_on", "delivered_by", "note", "recorded_by", "recorded_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_ON_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    region_code: str
    kind: ListItemKind
    delivered_on: str
    delivered_by: str
    note: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., region_code: _Optional[str] = ..., kind: _Optional[_Union[ListItemKind, str]] = ..., delivered_on: _Optional[str] = ..., delivered_by: _Optional[str] = ..., note: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordListItemRequest(_message.Message):
    __slots__ = ("household_id", "kind", "delivered_on", "delivered_by", "note")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_ON_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    kind: ListItemKind
    delivered_on: str
    delivered_by: str
    note: str
    def __init__(self, household_id: _Optional[str] = ..., kind: _Optional[_Union[ListItemKind, str]] = ..., delivered_on: _Optional[str] = ..., delivered_by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ListListItemsRequest(_message.Message):
    __slots__ = ("household_id", "page")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    page: _common_pb2.PageRequest
    def __init__(self, household_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListListItemsResponse(_message.Message):
    __slots__ = ("items", "page_info")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[CareListItem]
    page_info: _common_pb2.PageInfo
    def __init__(self, items: _Optional[_Iterable[_Union[CareListItem, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...

class GetCareRatesRequest(_message.Message):
    __slots__ = ("region_code", "year")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class CareTally(_message.Message):
    __slots__ = ("town_code", "households", "visited", "list_delivered", "one_thing", "visited_rate", "list_delivered_rate", "one_thing_rate")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    VISITED_FIELD_NUMBER: _ClassVar[int]
    LIST_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    ONE_THING_FIELD_NUMBER: _ClassVar[int]
    VISITED_RATE_FIELD_NUMBER: _ClassVar[int]
    LIST_DELIVERED_RATE_FIELD_NUMBER: _ClassVar[int]
    ONE_THING_RATE_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    households: int
    visited: int
    list_delivered: int
    one_thing: int
    visited_rate: float
    list_delivered_rate: float
    one_thing_rate: float
    def __init__(self, town_code: _Optional[str] = ..., households: _Optional[int] = ..., visited: _Optional[int] = ..., list_delivered: _Optional[int] = ..., one_thing: _Optional[int] = ..., visited_rate: _Optional[float] = ..., list_delivered_rate: _Optional[float] = ..., one_thing_rate: _Optional[float] = ...) -> None: ...

class CareRates(_message.Message):
    __slots__ = ("year", "reference_day", "target", "towns", "total")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_DAY_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    year: int
    reference_day: str
    target: float
    towns: _containers.RepeatedCompositeFieldContainer[CareTally]
    total: CareTally
    def __init__(self, year: _Optional[int] = ..., reference_day: _Optional[str] = ..., target: _Optional[float] = ..., towns: _Optional[_Iterable[_Union[CareTally, _Mapping]]] = ..., total: _Optional[_Union[CareTally, _Mapping]] = ...) -> None: ...
