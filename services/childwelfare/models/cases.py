"""Protection cases (五位一体 / 强制报告): reports, steps, conferences and escalations (0004).

A reported child may not be in the registry yet (a street child, a child of an ordinary family): the
case keeps the name and, when given, the validated ID number, and links ``child_id`` when that number
is registered. The ID number is kept in clear like ``child.id_number`` — the police and the
procuratorate need the identity, and a later registration must find the case — and like it is masked
on every read unless the role may see it (clear reads audited) and never put in an event.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.childwelfare.models.base import ChildWelfareTable
from services.kit.columns import region_code_type, utc_datetime


class ProtectionCase(ChildWelfareTable, table=True):
    """One protection case, opened by a mandatory report; ``state`` is where it stands now.

    ``response_due_at`` is fixed when the report comes in (the policy of that day); whether the response
    is overdue is computed from it and the state, never stored. ``step_count`` numbers the steps and
    makes two concurrent steps on one case collide on ``uq_case_step_case_sequence``.
    """

    __tablename__ = "protection_case"
    __table_args__ = (
        # Listing newest first within the caller's regions.
        sa.Index("ix_protection_case_region_reported", "region_code", "reported_at"),
        # The escalation scan and the response-overdue filter: unanswered reports by deadline.
        sa.Index("ix_protection_case_state_due", "state", "response_due_at"),
        sa.Index("ix_protection_case_child", "child_id"),
        # A child registered after a report is linked to the cases that named its ID number.
        sa.Index("ix_protection_case_id_number", "id_number"),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    child_id: str | None = Field(default=None, foreign_key="child.id", max_length=36)
    child_name: str = Field(max_length=50)
    id_number: str | None = Field(default=None, max_length=18)
    state: str = Field(max_length=20)
    source: str = Field(max_length=20)
    concern: str = Field(max_length=20)
    description: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    informant: str = Field(default="", max_length=200)
    reported_by: str = Field(max_length=200)
    reported_at: datetime = Field(sa_column=utc_datetime())
    response_due_at: datetime = Field(sa_column=utc_datetime())
    responded_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    responded_by: str | None = Field(default=None, max_length=200)
    intervention: str | None = Field(default=None, max_length=30)
    placement_kind: str | None = Field(default=None, max_length=20)
    placement_name: str | None = Field(default=None, max_length=100)
    placement_contact: str | None = Field(default=None, max_length=50)
    placement_start_on: date | None = Field(default=None)
    closed_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    close_reason: str | None = Field(default=None, max_length=30)
    step_count: int = Field(default=0)


class CaseStep(ChildWelfareTable, table=True):
    """One step of a case's history: from which state to which, who, when, why, and what was done."""

    __tablename__ = "case_step"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "sequence", name="uq_case_step_case_sequence"),
        # Indicators: temporary guardianships started per region and year.
        sa.Index("ix_case_step_region_intervention", "region_code", "intervention", "at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    sequence: int
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    note: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_column=utc_datetime())
    intervention: str | None = Field(default=None, max_length=30)
    placement_kind: str | None = Field(default=None, max_length=20)
    placement_name: str | None = Field(default=None, max_length=100)
    placement_contact: str | None = Field(default=None, max_length=50)
    placement_start_on: date | None = Field(default=None)
    close_reason: str | None = Field(default=None, max_length=30)


class CaseConference(ChildWelfareTable, table=True):
    """A case conference (个案会商): when, who took part, what was decided."""

    __tablename__ = "case_conference"
    __table_args__ = (sa.Index("ix_case_conference_case", "case_id", "held_on"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    held_on: date
    # One participant per line ("name (organisation)"); a list of short strings, never queried inside.
    participants: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    decisions: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())


class CaseEscalation(ChildWelfareTable, table=True):
    """A protection-case-escalated event that was staged: at most one per case (the 24 h rule).

    ``id`` is the event id, derived from the case id, so a re-run or a second replica computes the same
    id and its insert conflicts; the unique ``case_id`` says "once per case" in the schema itself. It
    outlives the outbox row, which housekeeping prunes days after publishing.
    """

    __tablename__ = "case_escalation"
    __table_args__ = (sa.UniqueConstraint("case_id", name="uq_case_escalation_case"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="protection_case.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    response_due_at: datetime = Field(sa_column=utc_datetime())
    escalated_at: datetime = Field(sa_column=utc_datetime())
