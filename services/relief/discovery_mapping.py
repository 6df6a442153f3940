"""Between the discovery proto messages and relief's household flags."""

from __future__ import annotations

from minzheng.relief.v1 import discovery_pb2 as pb

from services.kit.protoconv import timestamp
from services.relief.discovery_rules import FlagKind, FlagStatus
from services.relief.models import HouseholdFlag

KIND_TO_PB: dict[FlagKind, pb.FlagKind.ValueType] = {
    FlagKind.MAY_QUALIFY: pb.FLAG_KIND_MAY_QUALIFY,
    FlagKind.REASSESS: pb.FLAG_KIND_REASSESS,
    FlagKind.ENDED: pb.FLAG_KIND_ENDED,
}
STATUS_TO_PB: dict[FlagStatus, pb.FlagStatus.ValueType] = {
    FlagStatus.OPEN: pb.FLAG_STATUS_OPEN,
    FlagStatus.HANDLED: pb.FLAG_STATUS_HANDLED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}


def flag_to_pb(flag: HouseholdFlag) -> pb.HouseholdFlag:
    """The wire form of a flag."""
    return pb.HouseholdFlag(
        id=flag.id,
        household_id=flag.household_id,
        region_code=flag.region_code,
        kind=KIND_TO_PB[FlagKind(flag.kind)],
        fact=flag.fact,
        person_id=flag.person_id or "",
        reason=flag.reason,
        source_type=flag.source_type,
        raised_at=timestamp(flag.raised_at),
        status=STATUS_TO_PB[FlagStatus(flag.status)],
        handled_by=flag.handled_by or "",
        handled_at=timestamp(flag.handled_at),
        handled_note=flag.handled_note,
    )
