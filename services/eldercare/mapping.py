"""Between the proto messages and eldercare's models and enums; page tokens; input parsing helpers."""

from __future__ import annotations

from datetime import datetime

from minzheng.eldercare.v1 import eldercare_pb2 as pb

from services.eldercare.beds import BedCounts
from services.eldercare.models import Bed, Institution
from services.eldercare.rules import BedStatus, BedType, InstitutionKind
from services.kit import paging
from services.kit.errors import Collector
from services.kit.idcard import mask_id_number
from services.kit.protoconv import as_utc, timestamp

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


def encode_page_token(created_at: datetime, row_id: str) -> str:
    """An opaque cursor: the keyset (created_at, id) of the last row served."""
    return paging.encode_page_token(as_utc(created_at).isoformat(), row_id)


def decode_page_token(errors: Collector, field: str, token: str) -> tuple[datetime, str] | None:
    """The keyset in a page token; None for the first page, a violation when it is not ours."""
    keys = paging.decode_page_token(errors, field, token, size=2)
    if keys is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(keys[0])), keys[1]
    except ValueError:
        errors.add(field, "is not a page token this service issued")
        return None
