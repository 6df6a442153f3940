"""Between the caregiver proto messages and the caregiver model."""

from __future__ import annotations

from collections.abc import Mapping

from minzheng.eldercare.v1 import caregivers_pb2 as pb

from services.eldercare import caregiver_rules as cr
from services.eldercare.community_requests import day
from services.eldercare.models import Caregiver
from services.kit.protoconv import timestamp

LEVEL_TO_PB: dict[cr.CaregiverLevel, pb.CaregiverLevel.ValueType] = {
    lv: pb.CaregiverLevel.Value(f"CAREGIVER_LEVEL_{lv.name}") for lv in cr.CaregiverLevel
}
LEVEL_FROM_PB = {v: k for k, v in LEVEL_TO_PB.items()}


def caregiver_to_pb(caregiver: Caregiver) -> pb.Caregiver:
    """The wire form of a caregiver."""
    return pb.Caregiver(
        id=caregiver.id,
        certificate_number=caregiver.certificate_number,
        name=caregiver.name,
        level=LEVEL_TO_PB[cr.CaregiverLevel(caregiver.level)],
        certified_on=day(caregiver.certified_on),
        employer_institution_id=caregiver.employer_institution_id or "",
        employer_name=caregiver.employer_name,
        region_code=caregiver.region_code,
        active=caregiver.active,
        left_on=day(caregiver.left_on),
        left_reason=caregiver.left_reason,
        created_at=timestamp(caregiver.created_at),
    )


def counts_to_pb(counts: Mapping[cr.CaregiverLevel, int]) -> pb.GetCaregiverCountsResponse:
    """Counts per level (in level order), the senior-or-above count and share."""
    reply = pb.GetCaregiverCountsResponse(
        levels=[
            pb.CaregiverLevelCount(level=LEVEL_TO_PB[lv], count=counts.get(lv, 0)) for lv in cr.CaregiverLevel
        ],
        active=sum(counts.values()),
        senior_or_above=cr.senior_count(counts),
    )
    share = cr.senior_share(counts)
    if share is not None:
        reply.senior_share = share
    return reply
