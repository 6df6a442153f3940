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

class InstitutionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSTITUTION_KIND_UNSPECIFIED: _ClassVar[InstitutionKind]
    INSTITUTION_KIND_PUBLIC: _ClassVar[InstitutionKind]
    INSTITUTION_KIND_PRIVATE: _ClassVar[InstitutionKind]
    INSTITUTION_KIND_RURAL_WUBAO: _ClassVar[InstitutionKind]

class BedType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BED_TYPE_UNSPECIFIED: _ClassVar[BedType]
    BED_TYPE_GENERAL: _ClassVar[BedType]
    BED_TYPE_NURSING: _ClassVar[BedType]
    BED_TYPE_DEMENTIA_CARE: _ClassVar[BedType]
    BED_TYPE_FAMILY_CARE: _ClassVar[BedType]

class BedStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BED_STATUS_UNSPECIFIED: _ClassVar[BedStatus]
    BED_STATUS_VACANT: _ClassVar[BedStatus]
    BED_STATUS_OCCUPIED: _ClassVar[BedStatus]
INSTITUTION_KIND_UNSPECIFIED: InstitutionKind
INSTITUTION_KIND_PUBLIC: InstitutionKind
INSTITUTION_KIND_PRIVATE: InstitutionKind
INSTITUTION_KIND_RURAL_WUBAO: InstitutionKind
BED_TYPE_UNSPECIFIED: BedType
BED_TYPE_GENERAL: BedType
BED_TYPE_NURSING: BedType
BED_TYPE_DEMENTIA_CARE: BedType
BED_TYPE_FAMILY_CARE: BedType
BED_STATUS_UNSPECIFIED: BedStatus
BED_STATUS_VACANT: BedStatus
BED_STATUS_OCCUPIED: BedStatus

class Institution(_message.Message):
    __slots__ = ("id", "name", "kind", "region_code", "star_rating", "bed_count", "occupied_count", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STAR_RATING_FIELD_NUMBER: _ClassVar[int]
    BED_COUNT_FIELD_NUMBER: _ClassVar[int]
    OCCUPIED_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: InstitutionKind
    region_code: str
    star_rating: int
    bed_count: int
    occupied_count: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[InstitutionKind, str]] = ..., region_code: _Optional[str] = ..., star_rating: _Optional[int] = ..., bed_count: _Optional[int] = ..., occupied_count: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Bed(_message.Message):
    __slots__ = ("id", "institution_id", "label", "type", "status", "region_code", "occupant_id_number", "occupant_name", "assigned_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    OCCUPANT_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OCCUPANT_NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    institution_id: str
    label: str
    type: BedType
    status: BedStatus
    region_code: str
    occupant_id_number: str
    occupant_name: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., institution_id: _Optional[str] = ..., label: _Optional[str] = ..., type: _Optional[_Union[BedType, str]] = ..., status: _Optional[_Union[BedStatus, str]] = ..., region_code: _Optional[str] = ..., occupant_id_number: _Optional[str] = ..., occupant_name: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterInstitutionRequest(_message.Message):
    __slots__ = ("name", "kind", "region_code", "star_rating")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    STAR_RATING_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: InstitutionKind
    region_code: str
    star_rating: int
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[InstitutionKind, str]] = ..., region_code: _Optional[str] = ..., star_rating: _Optional[int] = ...) -> None: ...

class GetInstitutionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListInstitutionsRequest(_message.Message):
    __slots__ = ("region_code", "kind", "page")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    kind: InstitutionKind
    page: _common_pb2.PageRequest
    def __init__(self, region_code: _Optional[str] = ..., kind: _Optional[_Union[InstitutionKind, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListInstitutionsResponse(_message.Message):
    __slots__ = ("institutions", "page_info", "cursors")
    INSTITUTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    institutions: _containers.RepeatedCompositeFieldContainer[Institution]
    page_info: _common_pb2.PageInfo
    cursors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, institutions: _Optional[_Iterable[_Union[Institution, _Mapping]]] = ..., page_info: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ..., cursors: _Optional[_Iterable[str]] = ...) -> None: ...

class AddBedsRequest(_message.Message):
    __slots__ = ("institution_id", "type", "count", "label_prefix")
    INSTITUTION_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    LABEL_PREFIX_FIELD_NUMBER: _ClassVar[int]
    institution_id: str
    type: BedType
    count: int
    label_prefix: str
    def __init__(self, institution_id: _Optional[str] = ..., type: _Optional[_Union[BedType, str]] = ..., count: _Optional[int] = ..., label_prefix: _Optional[str] = ...) -> None: ...

class AddBedsResponse(_message.Message):
    __slots__ = ("beds",)
    BEDS_FIELD_NUMBER: _ClassVar[int]
    beds: _containers.RepeatedCompositeFieldContainer[Bed]
    def __init__(self, beds: _Optional[_Iterable[_Union[Bed, _Mapping]]] = ...) -> None: ...

class ListBedsRequest(_message.Message):
    __slots__ = ("institution_ids", "status", "type")
    INSTITUTION_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    institution_ids: _containers.RepeatedScalarFieldContainer[str]
    status: BedStatus
    type: BedType
    def __init__(self, institution_ids: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[BedStatus, str]] = ..., type: _Optional[_Union[BedType, str]] = ...) -> None: ...

class ListBedsResponse(_message.Message):
    __slots__ = ("beds",)
    BEDS_FIELD_NUMBER: _ClassVar[int]
    beds: _containers.RepeatedCompositeFieldContainer[Bed]
    def __init__(self, beds: _Optional[_Iterable[_Union[Bed, _Mapping]]] = ...) -> None: ...

class AssignBedRequest(_message.Message):
    __slots__ = ("bed_id", "elder_id_number", "elder_name")
    BED_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    bed_id: str
    elder_id_number: str
    elder_name: str
    def __init__(self, bed_id: _Optional[str] = ..., elder_id_number: _Optional[str] = ..., elder_name: _Optional[str] = ...) -> None: ...

class ReleaseBedRequest(_message.Message):
    __slots__ = ("bed_id", "reason")
    BED_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    bed_id: str
    reason: str
    def __init__(self, bed_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetOccupancyRequest(_message.Message):
    __slots__ = ("region_code",)
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    def __init__(self, region_code: _Optional[str] = ...) -> None: ...

class OccupancyByType(_message.Message):
    __slots__ = ("type", "total", "occupied")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    OCCUPIED_FIELD_NUMBER: _ClassVar[int]
    type: BedType
    total: int
    occupied: int
    def __init__(self, type: _Optional[_Union[BedType, str]] = ..., total: _Optional[int] = ..., occupied: _Optional[int] = ...) -> None: ...

class Occupancy(_message.Message):
    __slots__ = ("region_code", "total", "occupied", "rate", "by_type")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    OCCUPIED_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    total: int
    occupied: int
    rate: float
    by_type: _containers.RepeatedCompositeFieldContainer[OccupancyByType]
    def __init__(self, region_code: _Optional[str] = ..., total: _Optional[int] = ..., occupied: _Optional[int] = ..., rate: _Optional[float] = ..., by_type: _Optional[_Iterable[_Union[OccupancyByType, _Mapping]]] = ...) -> None: ...
