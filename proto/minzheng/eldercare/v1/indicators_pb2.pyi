from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IndicatorStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INDICATOR_STATUS_UNSPECIFIED: _ClassVar[IndicatorStatus]
    INDICATOR_STATUS_MET: _ClassVar[IndicatorStatus]
    INDICATOR_STATUS_NOT_MET: _ClassVar[IndicatorStatus]
    INDICATOR_STATUS_NO_TARGET: _ClassVar[IndicatorStatus]
    INDICATOR_STATUS_NO_DATA: _ClassVar[IndicatorStatus]
    INDICATOR_STATUS_NO_REFERENCE_POPULATION: _ClassVar[IndicatorStatus]
INDICATOR_STATUS_UNSPECIFIED: IndicatorStatus
INDICATOR_STATUS_MET: IndicatorStatus
INDICATOR_STATUS_NOT_MET: IndicatorStatus
INDICATOR_STATUS_NO_TARGET: IndicatorStatus
INDICATOR_STATUS_NO_DATA: IndicatorStatus
INDICATOR_STATUS_NO_REFERENCE_POPULATION: IndicatorStatus

class GetEldercareIndicatorsRequest(_message.Message):
    __slots__ = ("region_code", "year")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class Indicator(_message.Message):
    __slots__ = ("numerator", "denominator", "value", "target", "baseline", "status", "target_source")
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    BASELINE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_SOURCE_FIELD_NUMBER: _ClassVar[int]
    numerator: int
    denominator: int
    value: float
    target: float
    baseline: float
    status: IndicatorStatus
    target_source: str
    def __init__(self, numerator: _Optional[int] = ..., denominator: _Optional[int] = ..., value: _Optional[float] = ..., target: _Optional[float] = ..., baseline: _Optional[float] = ..., status: _Optional[_Union[IndicatorStatus, str]] = ..., target_source: _Optional[str] = ...) -> None: ...

class EldercareIndicators(_message.Message):
    __slots__ = ("region_code", "year", "as_of", "elderly_population", "population_source", "certified_caregivers_per_10k", "senior_caregiver_share", "dementia_beds_per_10k", "family_care_beds", "nursing_bed_share", "meal_village_coverage")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    ELDERLY_POPULATION_FIELD_NUMBER: _ClassVar[int]
    POPULATION_SOURCE_FIELD_NUMBER: _ClassVar[int]
    CERTIFIED_CAREGIVERS_PER_10K_FIELD_NUMBER: _ClassVar[int]
    SENIOR_CAREGIVER_SHARE_FIELD_NUMBER: _ClassVar[int]
    DEMENTIA_BEDS_PER_10K_FIELD_NUMBER: _ClassVar[int]
    FAMILY_CARE_BEDS_FIELD_NUMBER: _ClassVar[int]
    NURSING_BED_SHARE_FIELD_NUMBER: _ClassVar[int]
    MEAL_VILLAGE_COVERAGE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    year: int
    as_of: str
    elderly_population: int
    population_source: str
    certified_caregivers_per_10k: Indicator
    senior_caregiver_share: Indicator
    dementia_beds_per_10k: Indicator
    family_care_beds: Indicator
    nursing_bed_share: Indicator
    meal_village_coverage: Indicator
    def __init__(self, region_code: _Optional[str] = ..., year: _Optional[int] = ..., as_of: _Optional[str] = ..., elderly_population: _Optional[int] = ..., population_source: _Optional[str] = ..., certified_caregivers_per_10k: _Optional[_Union[Indicator, _Mapping]] = ..., senior_caregiver_share: _Optional[_Union[Indicator, _Mapping]] = ..., dementia_beds_per_10k: _Optional[_Union[Indicator, _Mapping]] = ..., family_care_beds: _Optional[_Union[Indicator, _Mapping]] = ..., nursing_bed_share: _Optional[_Union[Indicator, _Mapping]] = ..., meal_village_coverage: _Optional[_Union[Indicator, _Mapping]] = ...) -> None: ...
