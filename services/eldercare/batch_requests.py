"""Taking the batch reads apart (many elders' assessments, visits, devices or alarms at once).

Every batch names 1..100 elders (duplicates count once) and how many rows each elder brings (as a page
size: 0 = the default, above the maximum capped, negative refused). One INVALID_ARGUMENT names every
bad field before anything is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from minzheng.eldercare.v1 import safety_pb2 as spb

from services.eldercare import safety_mapping as m
from services.eldercare.safety_rules import AlarmStatus, DeviceStatus
from services.kit import paging
from services.kit.errors import Collector

MAX_BATCH_IDS = 100


@dataclass(frozen=True)
class ElderBatch:
    """The elders asked for (once each, in order) and the rows per elder."""

    ids: tuple[str, ...]
    per_elder: int


def elder_batch(errors: Collector, elder_ids: Sequence[str], per_elder: int) -> ElderBatch:
    """The checked ids and page size; the caller raises ``errors`` once its own fields are checked too."""
    ids = tuple(dict.fromkeys(i.strip() for i in elder_ids))
    errors.check(bool(ids), "elder_ids", "at least one elder id is required")
    errors.check(all(ids), "elder_ids", "must not contain an empty id")
    errors.check(len(ids) <= MAX_BATCH_IDS, "elder_ids", f"at most {MAX_BATCH_IDS} elders per call")
    return ElderBatch(ids, paging.page_size(errors, "per_elder", per_elder))


def parse_elder_batch(elder_ids: Sequence[str], per_elder: int) -> ElderBatch:
    """A batch with no other field: the ids and page size, or INVALID_ARGUMENT."""
    errors = Collector()
    batch = elder_batch(errors, elder_ids, per_elder)
    errors.raise_if_any()
    return batch


def parse_device_batch(request: spb.BatchListDevicesRequest) -> tuple[ElderBatch, DeviceStatus | None]:
    """The elders, devices per elder, and the status asked for (None = any)."""
    errors = Collector()
    status = m.enum_field(errors, "status", request.status, m.DEVICE_STATUS_FROM_PB, required=False)
    batch = elder_batch(errors, request.elder_ids, request.per_elder)
    errors.raise_if_any()
    return batch, status


def parse_alarm_batch(request: spb.BatchListElderAlarmsRequest) -> tuple[ElderBatch, AlarmStatus | None]:
    """The elders, alarms per elder, and the status asked for (None = any)."""
    errors = Collector()
    status = m.enum_field(errors, "status", request.status, m.ALARM_STATUS_FROM_PB, required=False)
    batch = elder_batch(errors, request.elder_ids, request.per_elder)
    errors.raise_if_any()
    return batch, status
