"""Between the proto messages and eldercare's models and enums; page tokens; input parsing helpers."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import eldercare_pb2 as pb

from services.eldercare.beds import BedCounts
from services.eldercare.models import Bed, Institution
from services.eldercare.rules import BedStatus, BedType, InstitutionKind
from services.kit.errors import Collector
from services.kit.idcard import mask_id_number
from services.kit.regions import InvalidRegionCode, level_of

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

KIND_TO_PB: dict[InstitutionKind, pb.InstitutionKind.ValueType] = {
    InstitutionKind.PUBLIC: pb.INSTITUTION_KIND_PUBLIC,
    InstitutionKind.PRIVATE: pb.INSTITUTION_KIND_PRIVATE,
    InstitutionKind.RURAL_WUBAO: pb.INSTITUTION_KIND_RURAL_WUBAO,
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
BED_TYPE_TO_PB: dict[BedType, pb.BedType.ValueType] = {
    BedType.GENERAL: pb.BED_TYPE_GENERAL,
    BedType.NURSING: pb.BED_TYPE_NURSING,
    BedType.DEMENTIA_CARE: pb.BED_TYPE_DEMENTIA_CARE,
    BedType.FAMILY_CARE: pb.BED_TYPE_FAMILY_CARE,
}
BED_TYPE_FROM_PB = {v: k for k, v in BED_TYPE_TO_PB.items()}
BED_STATUS_TO_PB: dict[BedStatus, pb.BedStatus.ValueType] = {
    BedStatus.VACANT: pb.BED_STATUS_VACANT,
    BedStatus.OCCUPIED: pb.BED_STATUS_OCCUPIED,
}
BED_STATUS_FROM_PB = {v: k for k, v in BED_STATUS_TO_PB.items()}


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive values, which were stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(moment: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp, or None to leave the field unset."""
    if moment is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(as_utc(moment))
    return ts


def institution_to_pb(institution: Institution, counts: BedCounts) -> pb.Institution:
    """The wire form of an institution with its bed numbers."""
    return pb.Institution(
        id=institution.id,
        name=institution.name,
        kind=KIND_TO_PB[InstitutionKind(institution.kind)],
        region_code=institution.region_code,
        star_rating=institution.star_rating,
        bed_count=counts.total,
        occupied_count=counts.occupied,
        created_at=timestamp(institution.created_at),
    )


def bed_to_pb(bed: Bed, *, reveal_id: bool) -> pb.Bed:
    """The wire form of a bed; the occupant's ID number masked unless ``reveal_id``."""
    shown = ""
    if bed.occupant_id_number:
        shown = bed.occupant_id_number if reveal_id else mask_id_number(bed.occupant_id_number)
    return pb.Bed(
        id=bed.id,
        institution_id=bed.institution_id,
        label=bed.label,
        type=BED_TYPE_TO_PB[BedType(bed.type)],
        status=BED_STATUS_TO_PB[BedStatus(bed.status)],
        region_code=bed.region_code,
        occupant_id_number=shown,
        occupant_name=bed.occupant_name or "",
        assigned_at=timestamp(bed.assigned_at),
    )


def region_code(errors: Collector, field: str, raw: str, *, levels: tuple[str, ...]) -> str:
    """A well-formed region code of one of ``levels``; records a violation and returns '' otherwise."""
    try:
        level = level_of(raw)
    except InvalidRegionCode as exc:
        errors.add(field, str(exc))
        return ""
    if level not in levels:
        errors.add(field, f"must be a {' or '.join(levels)} code, not a {level} code")
        return ""
    return raw.strip()


def encode_page_token(created_at: datetime, row_id: str) -> str:
    """An opaque cursor: the keyset (created_at, id) of the last row served."""
    raw = json.dumps([as_utc(created_at).isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(errors: Collector, field: str, token: str) -> tuple[datetime, str] | None:
    """The keyset in a page token; None for the first page, a violation when it is not ours."""
    if not token:
        return None
    try:
        created, row_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(row_id, str):
            raise ValueError(row_id)
        return as_utc(datetime.fromisoformat(created)), row_id
    except (ValueError, TypeError, binascii.Error):
        errors.add(field, "is not a page token this service issued")
        return None


def page_size(errors: Collector, field: str, requested: int) -> int:
    """0 means the default; above the maximum is capped (AIP-158); negative is refused."""
    if requested < 0:
        errors.add(field, "must not be negative")
        return DEFAULT_PAGE_SIZE
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def page_info(next_token: str, total: int) -> common_pb2.PageInfo:
    """Pagination facts for a list response."""
    return common_pb2.PageInfo(next_page_token=next_token, total_count=total)
