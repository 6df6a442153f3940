"""Between the protection-case proto messages and the case models and enums."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from minzheng.childwelfare.v1 import protection_pb2 as pb

from services.childwelfare import case_rules
from services.childwelfare.case_files import CaseFile
from services.childwelfare.case_rules import (
    CaseState,
    CloseReason,
    ConcernKind,
    InterventionKind,
    PlacementKind,
    ReportSource,
)
from services.childwelfare.models import CaseConference, CaseStep
from services.kit.errors import Collector
from services.kit.idcard import mask_id_number
from services.kit.protoconv import as_utc, timestamp
from services.kit.regions import within_any

E = TypeVar("E", bound=StrEnum)


def _table(enum: type[E], proto_enum: object, prefix: str) -> dict[E, int]:
    return {member: proto_enum.Value(f"{prefix}_{member.name}") for member in enum}  # type: ignore[attr-defined]


STATE_TO_PB = _table(CaseState, pb.CaseState, "CASE_STATE")
STATE_FROM_PB = {v: k for k, v in STATE_TO_PB.items()}
SOURCE_TO_PB = _table(ReportSource, pb.ReportSource, "REPORT_SOURCE")
SOURCE_FROM_PB = {v: k for k, v in SOURCE_TO_PB.items()}
CONCERN_TO_PB = _table(ConcernKind, pb.ConcernKind, "CONCERN_KIND")
CONCERN_FROM_PB = {v: k for k, v in CONCERN_TO_PB.items()}
INTERVENTION_TO_PB = _table(InterventionKind, pb.InterventionKind, "INTERVENTION_KIND")
INTERVENTION_FROM_PB = {v: k for k, v in INTERVENTION_TO_PB.items()}
PLACEMENT_TO_PB = _table(PlacementKind, pb.PlacementKind, "PLACEMENT_KIND")
PLACEMENT_FROM_PB = {v: k for k, v in PLACEMENT_TO_PB.items()}
CLOSE_TO_PB = _table(CloseReason, pb.CloseReason, "CLOSE_REASON")
CLOSE_FROM_PB = {v: k for k, v in CLOSE_TO_PB.items()}


def enum_field(errors: Collector, field: str, value: int, table: dict[int, E], *, required: bool) -> E | None:
    """A known enum value; UNSPECIFIED (0) only when not required, unknown numbers refused."""
    found = table.get(value)
    if found is None and (required or value != 0):
        errors.add(field, f"unknown {field.rsplit('.', 1)[-1].replace('_', ' ')}" if value else "is required")
    return found


def _placement(
    kind: str | None, name: str | None, contact: str | None, start_on: object
) -> pb.Placement | None:
    if kind is None:
        return None
    return pb.Placement(
        kind=PLACEMENT_TO_PB[PlacementKind(kind)],
        name=name or "",
        contact=contact or "",
        start_on=start_on.isoformat() if start_on is not None else "",  # type: ignore[attr-defined]
    )


def _step(step: CaseStep) -> pb.CaseStep:
    return pb.CaseStep(
        sequence=step.sequence,
        from_state=STATE_TO_PB[CaseState(step.from_state)] if step.from_state else 0,
        to_state=STATE_TO_PB[CaseState(step.to_state)],
        note=step.note,
        actor=step.actor,
        at=timestamp(step.at),
        intervention=INTERVENTION_TO_PB[InterventionKind(step.intervention)] if step.intervention else 0,
        placement=_placement(
            step.placement_kind, step.placement_name, step.placement_contact, step.placement_start_on
        ),
        close_reason=CLOSE_TO_PB[CloseReason(step.close_reason)] if step.close_reason else 0,
    )


def _conference(conference: CaseConference) -> pb.CaseConference:
    return pb.CaseConference(
        id=conference.id,
        held_on=conference.held_on.isoformat(),
        participants=conference.participants.split("\n") if conference.participants else [],
        decisions=conference.decisions,
        recorded_by=conference.recorded_by,
        recorded_at=timestamp(conference.recorded_at),
    )


def case_to_pb(file: CaseFile, *, reveal_id: bool, now: datetime, scopes: Sequence[str]) -> pb.ProtectionCase:
    """The wire form of a case with its history; the ID number masked unless ``reveal_id``.

    A case may link a child registered in another region (found by ID number): the link is left out
    for callers who cannot see that file, so a report does not tell its reporter that a child they
    named is in the welfare registry elsewhere.
    """
    c = file.case
    show_child = file.child_region is not None and within_any(file.child_region, scopes)
    state = CaseState(c.state)
    id_number = c.id_number or ""
    return pb.ProtectionCase(
        id=c.id,
        region_code=c.region_code,
        child_id=c.child_id if c.child_id and show_child else "",
        child_name=c.child_name,
        id_number=id_number if reveal_id or not id_number else mask_id_number(id_number),
        state=STATE_TO_PB[state],
        source=SOURCE_TO_PB[ReportSource(c.source)],
        concern=CONCERN_TO_PB[ConcernKind(c.concern)],
        description=c.description,
        informant=c.informant,
        reported_by=c.reported_by,
        reported_at=timestamp(c.reported_at),
        response_due_at=timestamp(c.response_due_at),
        responded_at=timestamp(c.responded_at),
        response_overdue=case_rules.is_response_overdue(state, as_utc(c.response_due_at), now),
        escalated_at=timestamp(file.escalated_at),
        intervention=INTERVENTION_TO_PB[InterventionKind(c.intervention)] if c.intervention else 0,
        placement=_placement(c.placement_kind, c.placement_name, c.placement_contact, c.placement_start_on),
        closed_at=timestamp(c.closed_at),
        close_reason=CLOSE_TO_PB[CloseReason(c.close_reason)] if c.close_reason else 0,
        steps=[_step(s) for s in file.steps],
        conferences=[_conference(k) for k in file.conferences],
        allowed_next=[STATE_TO_PB[s] for s in case_rules.allowed_next(state)],
    )
