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

class RenovationArea(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RENOVATION_AREA_UNSPECIFIED: _ClassVar[RenovationArea]
    RENOVATION_AREA_TOILET_BATHING: _ClassVar[RenovationArea]
    RENOVATION_AREA_INDOOR_MOBILITY: _ClassVar[RenovationArea]
    RENOVATION_AREA_LIVING_ENVIRONMENT: _ClassVar[RenovationArea]
    RENOVATION_AREA_SMART_MONITORING: _ClassVar[RenovationArea]
    RENOVATION_AREA_ASSISTIVE_DEVICES: _ClassVar[RenovationArea]

class RenovationPlanStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RENOVATION_PLAN_STATUS_UNSPECIFIED: _ClassVar[RenovationPlanStatus]
    RENOVATION_PLAN_STATUS_SURVEYED: _ClassVar[RenovationPlanStatus]
    RENOVATION_PLAN_STATUS_APPROVED: _ClassVar[RenovationPlanStatus]
    RENOVATION_PLAN_STATUS_IN_PROGRESS: _ClassVar[RenovationPlanStatus]
    RENOVATION_PLAN_STATUS_COMPLETED: _ClassVar[RenovationPlanStatus]
    RENOVATION_PLAN_STATUS_CANCELLED: _ClassVar[RenovationPlanStatus]
RENOVATION_AREA_UNSPECIFIED: RenovationArea
RENOVATION_AREA_TOILET_BATHING: RenovationArea
RENOVATION_AREA_INDOOR_MOBILITY: RenovationArea
RENOVATION_AREA_LIVING_ENVIRONMENT: RenovationArea
RENOVATION_AREA_SMART_MONITORING: RenovationArea
RENOVATION_AREA_ASSISTIVE_DEVICES: RenovationArea
RENOVATION_PLAN_STATUS_UNSPECIFIED: RenovationPlanStatus
RENOVATION_PLAN_STATUS_SURVEYED: RenovationPlanStatus
RENOVATION_PLAN_STATUS_APPROVED: RenovationPlanStatus
RENOVATION_PLAN_STATUS_IN_PROGRESS: RenovationPlanStatus
RENOVATION_PLAN_STATUS_COMPLETED: RenovationPlanStatus
RENOVATION_PLAN_STATUS_CANCELLED: RenovationPlanStatus

class RenovationItem(_message.Message):
    __slots__ = ("id", "code", "name", "area", "unit", "reference_price_fen", "active")
    ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    code: str
    name: str
    area: RenovationArea
    unit: str
    reference_price_fen: int
    active: bool
    def __init__(self, id: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., area: _Optional[_Union[RenovationArea, str]] = ..., unit: _Optional[str] = ..., reference_price_fen: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class AddRenovationItemRequest(_message.Message):
    __slots__ = ("code", "name", "area", "unit", "reference_price_fen")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    area: RenovationArea
    unit: str
    reference_price_fen: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., area: _Optional[_Union[RenovationArea, str]] = ..., unit: _Optional[str] = ..., reference_price_fen: _Optional[int] = ...) -> None: ...

class DeactivateRenovationItemRequest(_message.Message):
    __slots__ = ("item_id",)
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    def __init__(self, item_id: _Optional[str] = ...) -> None: ...

class ListRenovationItemsRequest(_message.Message):
    __slots__ = ("area", "include_inactive")
    AREA_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    area: RenovationArea
    include_inactive: bool
    def __init__(self, area: _Optional[_Union[RenovationArea, str]] = ..., include_inactive: _Optional[bool] = ...) -> None: ...

class ListRenovationItemsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[RenovationItem]
    def __init__(self, items: _Optional[_Iterable[_Union[RenovationItem, _Mapping]]] = ...) -> None: ...

class PlanLine(_message.Message):
    __slots__ = ("item_id", "item_code", "item_name", "area", "quantity", "unit_price_fen", "line_total_fen")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    LINE_TOTAL_FEN_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    item_code: str
    item_name: str
    area: RenovationArea
    quantity: int
    unit_price_fen: int
    line_total_fen: int
    def __init__(self, item_id: _Optional[str] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ..., area: _Optional[_Union[RenovationArea, str]] = ..., quantity: _Optional[int] = ..., unit_price_fen: _Optional[int] = ..., line_total_fen: _Optional[int] = ...) -> None: ...

class RenovationPlan(_message.Message):
    __slots__ = ("id", "elder_id", "elder_name", "region_code", "status", "lines", "total_fen", "subsidy_percent", "subsidy_fen", "self_paid_fen", "surveyed_on", "approved_on", "started_on", "completed_on", "cancelled_on", "notes", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FEN_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_FEN_FIELD_NUMBER: _ClassVar[int]
    SELF_PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    SURVEYED_ON_FIELD_NUMBER: _ClassVar[int]
    APPROVED_ON_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ON_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_ON_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    elder_name: str
    region_code: str
    status: RenovationPlanStatus
    lines: _containers.RepeatedCompositeFieldContainer[PlanLine]
    total_fen: int
    subsidy_percent: int
    subsidy_fen: int
    self_paid_fen: int
    surveyed_on: str
    approved_on: str
    started_on: str
    completed_on: str
    cancelled_on: str
    notes: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., elder_name: _Optional[str] = ..., region_code: _Optional[str] = ..., status: _Optional[_Union[RenovationPlanStatus, str]] = ..., lines: _Optional[_Iterable[_Union[PlanLine, _Mapping]]] = ..., total_fen: _Optional[int] = ..., subsidy_percent: _Optional[int] = ..., subsidy_fen: _Optional[int] = ..., self_paid_fen: _Optional[int] = ..., surveyed_on: _Optional[str] = ..., approved_on: _Optional[str] = ..., started_on: _Optional[str] = ..., completed_on: _Optional[str] = ..., cancelled_on: _Optional[str] = ..., notes: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateRenovationPlanRequest(_message.Message):
    __slots__ = ("elder_id", "surveyed_on", "lines", "subsidy_percent", "notes")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    SURVEYED_ON_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    surveyed_on: str
    lines: _containers.RepeatedCompositeFieldContainer[PlanLine]
    subsidy_percent: int
    notes: str
    def __init__(self, elder_id: _Optional[str] = ..., surveyed_on: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[PlanLine, _Mapping]]] = ..., subsidy_percent: _Optional[int] = ..., notes: _Optional[str] = ...) -> None: ...

class AdvanceRenovationPlanRequest(_message.Message):
    __slots__ = ("plan_id", "to_status", "on", "reason")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    to_status: RenovationPlanStatus
    on: str
    reason: str
    def __init__(self, plan_id: _Optional[str] = ..., to_status: _Optional[_Union[RenovationPlanStatus, str]] = ..., on: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetRenovationPlanRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListRenovationPlansRequest(_message.Message):
    __slots__ = ("region_code", "status", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    status: RenovationPlanStatus
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., status: _Optional[_Union[RenovationPlanStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListRenovationPlansResponse(_message.Message):
    __slots__ = ("plans", "page_info", "cursors")
    PLANS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[RenovationPlan]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, plans: _Optional[_Iterable[_Union[RenovationPlan, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...
